import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.notifications.models import Notification, Reminder
from hearth.scheduling.models import RSVP, RSVPStatus, SessionKind
from hearth.scheduling.services import (
    occurrence_cancel,
    occurrence_move,
    occurrence_schedule,
    occurrence_set_capacity,
    rsvp_cancel,
    rsvp_create,
)
from hearth.tests.factories import Role, UserFactory, grant_role

START = datetime.datetime(2026, 6, 5, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def game_night(world):
    with time_machine.travel(START - datetime.timedelta(days=3), tick=False):
        return occurrence_schedule(
            actor=world.admin,
            program=world.program,
            kind=SessionKind.GAME_NIGHT,
            title="Game night",
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=2),
            capacity=1,
            cohort=world.cohort,
        ).obj


@pytest.fixture
def third_participant(world):
    person = UserFactory(display_name="Third")
    grant_role(person, world.program, Role.PARTICIPANT, cohort=world.cohort)
    return person


@time_machine.travel(START - datetime.timedelta(days=1), tick=False)
def test_waitlist_and_automatic_promotion(world, game_night, third_participant):
    first = rsvp_create(actor=world.participant, occurrence=game_night)
    second = rsvp_create(actor=world.other_participant, occurrence=game_night)
    third = rsvp_create(actor=third_participant, occurrence=game_night)
    assert first.status == RSVPStatus.GOING
    assert (second.status, second.waitlist_position) == (RSVPStatus.WAITLISTED, 1)
    assert (third.status, third.waitlist_position) == (RSVPStatus.WAITLISTED, 2)
    # Replying twice changes nothing.
    assert rsvp_create(actor=world.participant, occurrence=game_night).pk == first.pk

    rsvp_cancel(actor=world.participant, occurrence=game_night)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.waitlist_position) == (RSVPStatus.GOING, None)
    assert (third.status, third.waitlist_position) == (RSVPStatus.WAITLISTED, 1)
    assert Notification.objects.filter(recipient=world.other_participant, kind="scheduling.changed").exists()
    assert AuditEntry.objects.filter(action="scheduling.rsvp.promoted", subject=world.other_participant).exists()

    # More seats promote the rest of the wait-list in order.
    occurrence_set_capacity(actor=world.admin, occurrence=game_night, capacity=5)
    third.refresh_from_db()
    assert third.status == RSVPStatus.GOING


@time_machine.travel(START - datetime.timedelta(days=1), tick=False)
def test_capacity_overflow_is_refused_and_nothing_changes(world, game_night):
    occurrence_set_capacity(actor=world.admin, occurrence=game_night, capacity=2)
    rsvp_create(actor=world.participant, occurrence=game_night)
    rsvp_create(actor=world.other_participant, occurrence=game_night)
    with pytest.raises(ValidationError) as exc:
        occurrence_set_capacity(actor=world.admin, occurrence=game_night, capacity=1)
    assert "already going" in " ".join(exc.value.messages)
    game_night.refresh_from_db()
    assert game_night.capacity == 2
    assert RSVP.objects.filter(occurrence=game_night, status=RSVPStatus.GOING).count() == 2

    occurrence_set_capacity(actor=world.admin, occurrence=game_night, capacity=2)
    outsider_in_cohort = UserFactory()
    grant_role(outsider_in_cohort, world.program, Role.PARTICIPANT, cohort=world.cohort)
    with pytest.raises(ValidationError) as exc:
        rsvp_create(actor=outsider_in_cohort, occurrence=game_night, join_waitlist=False)
    assert "full" in " ".join(exc.value.messages)
    assert not RSVP.objects.filter(person=outsider_in_cohort).exists()


@time_machine.travel(START - datetime.timedelta(days=1), tick=False)
def test_rsvp_when_not_on_the_roster_is_refused(world, game_night):
    before = AuditEntry.objects.count()
    for person in (world.mentor, world.family_with_consent, world.clinician, world.other_clinician):
        with pytest.raises(ValidationError) as exc:
            rsvp_create(actor=person, occurrence=game_night)
        assert "not on the list" in " ".join(exc.value.messages)
    assert not RSVP.objects.exists()
    assert AuditEntry.objects.count() == before


def test_rsvp_after_the_start_or_to_a_cancelled_session_is_refused(world, game_night):
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False), pytest.raises(ValidationError):
        rsvp_create(actor=world.participant, occurrence=game_night)
    assert not RSVP.objects.exists()


def test_changes_notify_everyone_on_the_session_and_keep_reminders_in_step(
    world, game_night, django_capture_on_commit_callbacks
):
    with time_machine.travel(START - datetime.timedelta(days=2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            rsvp_create(actor=world.participant, occurrence=game_night)
        due = set(
            Reminder.objects.filter(source_id=game_night.pk, cancelled_at__isnull=True).values_list(
                "person_id", "due_at"
            )
        )
        assert (world.participant.pk, START - datetime.timedelta(days=1)) in due
        with django_capture_on_commit_callbacks(execute=True):
            occurrence_move(actor=world.admin, occurrence=game_night, starts_at=START + datetime.timedelta(hours=1))
        moved_due = Reminder.objects.filter(
            source_id=game_night.pk, person=world.participant, cancelled_at__isnull=True, sent_at__isnull=True
        ).values_list("due_at", flat=True)
        assert START + datetime.timedelta(hours=1) - datetime.timedelta(days=1) in set(moved_due)
        changed = set(Notification.objects.filter(kind="scheduling.changed").values_list("recipient_id", flat=True))
        assert changed == {world.participant.pk, world.other_participant.pk}  # the cohort's roster
        with django_capture_on_commit_callbacks(execute=True):
            occurrence_cancel(actor=world.admin, occurrence=game_night)
        assert not Reminder.objects.filter(
            source_id=game_night.pk, cancelled_at__isnull=True, sent_at__isnull=True
        ).exists()
        assert Notification.objects.filter(kind="scheduling.changed").count() == 4


def test_replying_from_the_calendar_with_htmx_swaps_the_line(world, game_night, client_for):
    with time_machine.travel(START - datetime.timedelta(days=1), tick=False):
        client = client_for(world.participant)
        agenda = client.get(reverse("scheduling:calendar"))
        assert f'hx-post="/sessions/{game_night.pk}/rsvp/"' in agenda.content.decode()
        going = client.post(reverse("scheduling:occurrence_rsvp", args=[game_night.pk]), HTTP_HX_REQUEST="true")
        assert going.status_code == 200
        body = going.content.decode()
        assert body.lstrip().startswith(f'<li class="session" id="session-{game_night.pk}">')
        assert "Going" in body and "/rsvp/cancel/" in body
        full = client_for(world.other_participant).post(
            reverse("scheduling:occurrence_rsvp", args=[game_night.pk]), HTTP_HX_REQUEST="true"
        )
        assert full.status_code == 200 and "Wait-list #1" in full.content.decode()
        client = client_for(world.participant)
        withdrawn = client.post(
            reverse("scheduling:occurrence_rsvp_cancel", args=[game_night.pk]), HTTP_HX_REQUEST="true"
        )
        assert (
            withdrawn.status_code == 200 and f'hx-post="/sessions/{game_night.pk}/rsvp/"' in withdrawn.content.decode()
        )
        again = client.post(reverse("scheduling:occurrence_rsvp_cancel", args=[game_night.pk]), HTTP_HX_REQUEST="true")
        assert again.status_code == 400 and "not replied" in again.content.decode()
        # A staff member who is not on the roster gets the line back with the reason.
        staff = client_for(world.clinician).post(
            reverse("scheduling:occurrence_rsvp", args=[game_night.pk]), HTTP_HX_REQUEST="true"
        )
        assert staff.status_code == 400 and "not on the list" in staff.content.decode()
    assert RSVP.objects.get(person=world.other_participant).status == RSVPStatus.GOING  # promoted
