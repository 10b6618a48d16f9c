"""Reminders with time travel: the daily check-in at 20:00 local on both sides of the 2026 DST
changes, session reminders that follow a moved session and vanish with a cancelled one, quiet
hours, and the urgent alert that passes them."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from hearth.notifications.delivery import delivery_attempt
from hearth.notifications.models import Delivery, DeliveryStatus, Notification, Reminder
from hearth.notifications.reminders import reminders_send_due
from hearth.notifications.services import preferences_update, quiet_until
from hearth.scheduling.reminders import reminders_sync_for_occurrence, reminders_sync_upcoming

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
UTC = datetime.UTC


def at(year, month, day, hour, minute=0, tz=CHICAGO):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


def utc(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


def _send_due():
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders_send_due()


def _choose_checkin_time(person, hour=20):
    preferences_update(
        actor=person, choices={}, quiet_start=None, quiet_end=None, checkin_reminder_time=datetime.time(hour, 0)
    )


@pytest.mark.parametrize(
    ("chosen_on", "first_due", "second_due"),
    [
        # Spring forward on Sunday 8 March 2026: 20:00 CST is 02:00 UTC, 20:00 CDT is 01:00 UTC.
        (at(2026, 3, 7, 9), utc(2026, 3, 8, 2), utc(2026, 3, 9, 1)),
        # Fall back on Sunday 1 November 2026: 20:00 CDT is 01:00 UTC, 20:00 CST is 02:00 UTC.
        (at(2026, 10, 31, 9), utc(2026, 11, 1, 1), utc(2026, 11, 2, 2)),
    ],
)
def test_checkin_reminder_fires_at_20_local_across_dst(world, chosen_on, first_due, second_due):
    person = world.participant
    with time_machine.travel(chosen_on, tick=False):
        _choose_checkin_time(person)
    reminder = Reminder.objects.get(person=person, kind="checkins.reminder", sent_at__isnull=True)
    assert reminder.due_at == first_due
    with time_machine.travel(first_due - datetime.timedelta(minutes=1), tick=False):
        assert _send_due() == 0
    with time_machine.travel(first_due, tick=False):
        assert _send_due() == 1
        assert Notification.objects.filter(recipient=person, kind="checkins.reminder").count() == 1
        # Its email went out through a batched delivery job, once.
        assert Delivery.objects.get(notification__kind="checkins.reminder").status == DeliveryStatus.SENT
    following = Reminder.objects.get(person=person, kind="checkins.reminder", sent_at__isnull=True)
    assert following.due_at == second_due
    assert following.due_at.astimezone(CHICAGO).time() == datetime.time(20, 0)
    with time_machine.travel(second_due + datetime.timedelta(seconds=30), tick=False):
        assert _send_due() == 1
        assert _send_due() == 0  # nothing twice
    assert Notification.objects.filter(recipient=person, kind="checkins.reminder").count() == 2


def test_checkin_reminder_in_another_zone_and_turned_off(world):
    person = world.participant
    person.time_zone = "Europe/Madrid"  # Europe changes on 29 March 2026
    person.save(update_fields=["time_zone"])
    with time_machine.travel(datetime.datetime(2026, 3, 28, 21, tzinfo=zoneinfo.ZoneInfo("Europe/Madrid")), tick=False):
        _choose_checkin_time(person)
    reminder = Reminder.objects.get(person=person, sent_at__isnull=True, cancelled_at__isnull=True)
    assert reminder.due_at == utc(2026, 3, 29, 18)  # 20:00 CEST, the day after: 21:00 had passed
    preferences_update(actor=person, choices={}, quiet_start=None, quiet_end=None, checkin_reminder_time=None)
    assert not Reminder.objects.filter(person=person, sent_at__isnull=True, cancelled_at__isnull=True).exists()


def test_checkin_reminder_skipped_when_already_done_but_tomorrow_still_comes(world):
    from hearth.checkins.models import CheckIn

    person = world.participant
    with time_machine.travel(at(2026, 5, 4, 9), tick=False):
        _choose_checkin_time(person)
        CheckIn.objects.create(
            person=person, local_date=datetime.date(2026, 5, 4), mood=3, craving=1, sleep_hours=7, sleep_quality="good"
        )
    reminder = Reminder.objects.get(person=person, sent_at__isnull=True, cancelled_at__isnull=True)
    assert reminder.url == "/checkin/"
    with time_machine.travel(at(2026, 5, 4, 20), tick=False):
        assert _send_due() == 0  # already checked in today
    assert not Notification.objects.filter(recipient=person, kind="checkins.reminder").exists()
    assert Reminder.objects.get(person=person, sent_at__isnull=True, cancelled_at__isnull=True).due_at == (
        at(2026, 5, 5, 20)
    )
    with time_machine.travel(at(2026, 5, 5, 20), tick=False):
        assert _send_due() == 1  # not yet today


def test_unknown_reminder_kind_is_dropped_not_crashed(world):
    from django.contrib.contenttypes.models import ContentType

    Reminder.objects.create(
        person=world.participant,
        kind="no.such.kind",
        due_at=utc(2026, 1, 1, 0),
        source_type=ContentType.objects.get_for_model(type(world.participant)),
        source_id=world.participant.pk,
        slot="x",
    )
    with time_machine.travel(utc(2026, 1, 1, 1), tick=False):
        assert _send_due() == 0
    assert Reminder.objects.get(kind="no.such.kind").cancelled_at is not None


# --- Sessions --------------------------------------------------------------------------------


def _session(world, starts_at):
    from hearth.scheduling.services import occurrence_schedule

    return occurrence_schedule(
        actor=world.clinician,
        program=world.program,
        kind="group_therapy",
        title="Tuesday group",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=90),
        cohort=world.cohort,
    ).obj


def test_session_reminders_for_the_roster_follow_a_move_and_go_with_a_cancel(world):
    from hearth.scheduling.services import occurrence_cancel, occurrence_move

    with time_machine.travel(at(2026, 6, 1, 9), tick=False):
        occurrence = _session(world, at(2026, 6, 3, 18))
        reminders_sync_for_occurrence(occurrence)
        reminders = Reminder.objects.filter(kind="scheduling.reminder", source_id=occurrence.pk)
        assert {r.person_id for r in reminders} == {world.participant.pk, world.other_participant.pk}
        assert sorted({r.due_at for r in reminders}) == [
            at(2026, 6, 2, 18),
            at(2026, 6, 3, 17),
            at(2026, 6, 3, 17, 50),
        ]
        reminders_sync_for_occurrence(occurrence)  # idempotent
        assert reminders.count() == 6
    with time_machine.travel(at(2026, 6, 2, 18), tick=False):
        assert _send_due() == 2  # the 24-hour reminder for both people on the roster
    with time_machine.travel(at(2026, 6, 2, 19), tick=False):
        moved = occurrence_move(actor=world.clinician, occurrence=occurrence, starts_at=at(2026, 6, 4, 10)).obj
        reminders_sync_for_occurrence(moved)
        open_ = reminders.filter(sent_at__isnull=True, cancelled_at__isnull=True)
        assert sorted({r.due_at for r in open_}) == [at(2026, 6, 3, 10), at(2026, 6, 4, 9), at(2026, 6, 4, 9, 50)]
    with time_machine.travel(at(2026, 6, 3, 10, 1), tick=False):
        assert _send_due() == 2  # the new 24-hour reminder
    with time_machine.travel(at(2026, 6, 3, 17, 55), tick=False):
        assert _send_due() == 0  # the old 1-hour and 10-minute times no longer fire
        occurrence_cancel(actor=world.clinician, occurrence=moved)
        moved.refresh_from_db()
        reminders_sync_for_occurrence(moved)
    assert not reminders.filter(sent_at__isnull=True, cancelled_at__isnull=True).exists()
    with time_machine.travel(at(2026, 6, 4, 9, 55), tick=False):
        assert _send_due() == 0
    sent = reminders.filter(person=world.participant, sent_at__isnull=False, notification__isnull=False)
    (day_before,) = sent  # the 24-hour reminder, fired for the first time and again for the new time
    assert day_before.notification.created_at == at(2026, 6, 3, 10, 1)


def test_a_reminder_for_a_moved_session_not_yet_synced_does_not_fire_at_the_old_time(world):
    from hearth.scheduling.models import Occurrence

    with time_machine.travel(at(2026, 6, 1, 9), tick=False):
        occurrence = _session(world, at(2026, 6, 1, 12))
        reminders_sync_for_occurrence(occurrence)
        # Moved by a path that did not call the hook:
        Occurrence.objects.filter(pk=occurrence.pk).update(starts_at=at(2026, 6, 1, 15), ends_at=at(2026, 6, 1, 16))
    with time_machine.travel(at(2026, 6, 1, 11), tick=False):
        assert _send_due() == 0
        assert reminders_sync_upcoming() == 1  # the periodic sweep puts them right
    with time_machine.travel(at(2026, 6, 1, 14), tick=False):
        assert _send_due() == 2


def test_people_who_rsvp_to_an_event_get_reminders(world):
    from hearth.scheduling.models import RSVP, RSVPStatus

    with time_machine.travel(at(2026, 6, 1, 9), tick=False):
        occurrence = _session(world, at(2026, 6, 5, 18))
        RSVP.objects.create(occurrence=occurrence, person=world.mentor, status=RSVPStatus.GOING)
        reminders_sync_for_occurrence(occurrence)
    people = set(Reminder.objects.filter(source_id=occurrence.pk).values_list("person_id", flat=True))
    assert world.mentor.pk in people and world.participant.pk in people


# --- Quiet hours -----------------------------------------------------------------------------


def _quiet(person, start=datetime.time(21, 0), end=datetime.time(7, 0)):
    preferences_update(actor=person, choices={}, quiet_start=start, quiet_end=end)
    person.refresh_from_db()


def test_quiet_until_in_the_persons_zone():
    from hearth.accounts.models import User

    person = User(time_zone="America/Chicago")
    from hearth.notifications.models import NotificationSettings

    prefs = NotificationSettings(quiet_start=datetime.time(21), quiet_end=datetime.time(7))
    assert quiet_until(person, at(2026, 6, 1, 20, 59), prefs) is None
    assert quiet_until(person, at(2026, 6, 1, 21), prefs) == at(2026, 6, 2, 7)
    assert quiet_until(person, at(2026, 6, 2, 3), prefs) == at(2026, 6, 2, 7)
    assert quiet_until(person, at(2026, 6, 2, 7), prefs) is None
    # The night the clocks go back is an hour longer; the end is still 07:00 local.
    assert quiet_until(person, at(2026, 10, 31, 23), prefs) == utc(2026, 11, 1, 13)
    day = NotificationSettings(quiet_start=datetime.time(13), quiet_end=datetime.time(15))
    assert quiet_until(person, at(2026, 6, 1, 14), day) == at(2026, 6, 1, 15)
    assert quiet_until(person, at(2026, 6, 1, 16), day) is None


def test_quiet_hours_hold_email_until_they_end(world):
    person = world.participant
    _quiet(person)
    mail.outbox.clear()
    with time_machine.travel(at(2026, 6, 1, 23), tick=False):
        with TestCase.captureOnCommitCallbacks(execute=True):
            from hearth.notifications.services import notify

            notification = notify(recipient=person, kind="messaging.message")
        delivery = notification.deliveries.get(channel="email")
        assert delivery.status == DeliveryStatus.PENDING and delivery.not_before == at(2026, 6, 2, 7)
        assert mail.outbox == []
        assert delivery_attempt(delivery_id=delivery.pk).outcome == "wait"  # an early job waits
    with time_machine.travel(at(2026, 6, 2, 7, 1), tick=False):
        assert delivery_attempt(delivery_id=delivery.pk).outcome == "sent"
    assert len(mail.outbox) == 1
    assert notification.read_at is None  # the in-app notification was there all night


def test_urgent_safety_alert_to_staff_passes_quiet_hours(world):
    from hearth.safety.services import safety_signal_raise

    _quiet(world.clinician)
    mail.outbox.clear()
    with time_machine.travel(at(2026, 6, 1, 23, 30), tick=False):
        with TestCase.captureOnCommitCallbacks(execute=True):
            safety_signal_raise(person=world.participant, source="tests", severity="urgent", evidence="x")
    delivery = Delivery.objects.get(notification__recipient=world.clinician, notification__urgent=True)
    assert delivery.not_before is None and delivery.status == DeliveryStatus.SENT
    assert world.clinician.email in {m.to[0] for m in mail.outbox}
    assert all("x" != m.body for m in mail.outbox)


def test_lost_jobs_are_swept_up(world):
    from hearth.notifications.queue import deliveries_sweep
    from hearth.notifications.services import notify

    with time_machine.travel(at(2026, 6, 1, 12), tick=False):
        notification = notify(recipient=world.participant, kind="system.welcome")  # on_commit never runs: job lost
    delivery = notification.deliveries.get(channel="email")
    mail.outbox.clear()
    with time_machine.travel(at(2026, 6, 1, 12, 3), tick=False):
        assert deliveries_sweep() == 0  # not yet overdue
    with time_machine.travel(at(2026, 6, 1, 12, 6), tick=False):
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert deliveries_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(mail.outbox) == 1
