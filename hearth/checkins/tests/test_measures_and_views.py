import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hearth.checkins.models import CheckIn, MeasureResponse
from hearth.checkins.services import local_today, measure_schedule_set, measure_submit
from hearth.consent.models import Category
from hearth.outreach.models import OutreachTask
from hearth.safety.models import SafetySignal
from hearth.tests.factories import make_consent

pytestmark = pytest.mark.django_db

PHQ9_CALM = [0, 1, 0, 1, 0, 0, 0, 0, 0]


def test_phq9_item9_raises_an_urgent_signal_an_urgent_task_and_shows_crisis_help(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.participant)
    page = client.get(reverse("checkins:measure_answer", args=["phq9"]))
    assert page.status_code == 200
    data = {f"q{i + 1}": str(v) for i, v in enumerate([1, 1, 0, 0, 0, 0, 0, 0, 2])}
    data["instance_date"] = page.context["form"].initial["instance_date"].isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkins:measure_answer", args=["phq9"]), data)
    assert response.status_code == 302
    signal = SafetySignal.objects.get(source="checkins.phq9.item9")
    assert signal.severity == "urgent"
    task = OutreachTask.objects.get(person=world.participant, rule="phq9_item9")
    assert task.urgency == 0
    assert (task.due_at - task.raised_at) == datetime.timedelta(hours=1)
    result = client.get(response["Location"])
    body = result.content.decode()
    assert "tel:988" in body and reverse("crisis") in body
    assert "You are not alone" in body


def test_a_measure_answered_twice_for_the_same_instance_is_refused(world):
    measure_schedule_set(
        actor=world.clinician,
        person=world.participant,
        measure="phq9",
        every_days=14,
        starts_on=local_today(world.participant) - datetime.timedelta(days=3),
    )
    first = measure_submit(actor=world.participant, person=world.participant, measure="phq9", answers=PHQ9_CALM)
    assert first.instance_date == local_today(world.participant) - datetime.timedelta(days=3)
    with pytest.raises(ValidationError, match="already answered"):
        measure_submit(actor=world.participant, person=world.participant, measure="phq9", answers=PHQ9_CALM)
    assert MeasureResponse.objects.count() == 1
    # The next instance, 14 days on, is a new one.
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=12)):
        second = measure_submit(actor=world.participant, person=world.participant, measure="phq9", answers=PHQ9_CALM)
    assert second.instance_date == first.instance_date + datetime.timedelta(days=14)


def test_measures_for_someone_else_and_bad_schedules_are_refused(world):
    with pytest.raises(PermissionDenied):
        measure_submit(actor=world.other_participant, person=world.participant, measure="gad7", answers=[0] * 7)
    with pytest.raises(PermissionDenied):
        measure_schedule_set(
            actor=world.other_clinician,
            person=world.participant,
            measure="phq9",
            every_days=14,
            starts_on=datetime.date.today(),
        )
    with pytest.raises(ValidationError):
        measure_schedule_set(
            actor=world.clinician,
            person=world.participant,
            measure="nope",
            every_days=14,
            starts_on=datetime.date.today(),
        )
    assert not MeasureResponse.objects.exists()


def test_due_questionnaires_show_on_the_progress_page(world, client_for):
    measure_schedule_set(
        actor=world.clinician,
        person=world.participant,
        measure="gad7",
        every_days=14,
        starts_on=datetime.date(2026, 1, 1),
    )
    body = client_for(world.participant).get(reverse("checkins:progress")).content.decode()
    assert reverse("checkins:measure_answer", args=["gad7"]) in body


def _form_data(page, **overrides):
    initial = page.context["form"].initial
    data = {
        "local_date": initial["local_date"].isoformat(),
        "version": str(initial["version"]),
        "mood": "7",
        "craving": "2",
        "sleep_hours": "8",
        "sleep_quality": "good",
        "used": "no",
        "connections": ["peer", "group"],
        "triggers": ["stress"],
        "note": "",
    }
    data.update(overrides)
    return data


def test_checkin_page_submit_then_a_stale_second_form_gets_a_clear_error(world, client_for):
    client = client_for(world.participant)
    url = reverse("checkins:checkin")
    first_tab = client.get(url)
    second_tab = client.get(url)
    assert 'class="scale-option"' in first_tab.content.decode()
    assert client.post(url, _form_data(first_tab)).status_code == 302
    stale = client.post(url, _form_data(second_tab, mood="2"))
    assert stale.status_code == 400
    assert "already checked in" in stale.content.decode()
    assert CheckIn.objects.get().mood == 7
    # Reloading shows today's answers to edit.
    again = client.get(url)
    assert again.context["form"].initial["version"] == 1
    assert client.post(url, _form_data(again, mood="9")).status_code == 302
    assert CheckIn.objects.get().mood == 9


def test_checkin_page_refuses_a_future_day_and_out_of_range_values(world, client_for):
    client = client_for(world.participant)
    url = reverse("checkins:checkin")
    page = client.get(url)
    tomorrow = (local_today(world.participant) + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, _form_data(page, local_date=tomorrow))
    assert response.status_code == 400 and "not come yet" in response.content.decode()
    assert client.post(url, _form_data(page, mood="12")).status_code == 400
    assert client.post(url, _form_data(page, sleep_hours="30")).status_code == 400
    assert not CheckIn.objects.exists()


def test_progress_page_plots_and_encouraging_streak(world, client_for):
    today = local_today(world.participant)
    for back in range(3):
        CheckIn.objects.create(
            person=world.participant,
            local_date=today - datetime.timedelta(days=back + 1),
            mood=5 + back,
            craving=2,
            sleep_hours=7,
            sleep_quality="fair",
        )
    response = client_for(world.participant).get(reverse("checkins:progress"))
    body = response.content.decode()
    assert response.context["streak"]["current"] == 3  # not checked in yet today: the run still counts
    assert "<svg" in body and "polyline" in body
    assert " style=" not in body and "<script>" not in body


def test_a_participant_cannot_read_anothers_checkins_or_measures(world, client_for):
    CheckIn.objects.create(
        person=world.participant,
        local_date=datetime.date(2026, 1, 2),
        mood=5,
        craving=1,
        sleep_hours=7,
        sleep_quality="fair",
    )
    client = client_for(world.other_participant)
    assert client.get(reverse("checkins:person_checkins", args=[world.participant.pk])).status_code == 404
    assert client.get(reverse("checkins:person_measures", args=[world.participant.pk])).status_code == 404


def test_family_sees_measures_only_under_a_consent_naming_measures(world, client_for):
    client = client_for(world.family_with_consent)
    url = reverse("checkins:person_measures", args=[world.participant.pk])
    assert client.get(url).status_code == 404  # the world's consent names check-ins, not measures
    assert client.get(reverse("checkins:person_checkins", args=[world.participant.pk])).status_code == 200
    make_consent(world.participant, world.program, world.family_with_consent, categories=[Category.MEASURES])
    assert client.get(url).status_code == 200
    # Revoking the check-ins consent closes check-ins at once.
    from django.utils import timezone

    world.consent.revoked_at = timezone.now()
    world.consent.save(update_fields=["revoked_at"])
    assert client.get(reverse("checkins:person_checkins", args=[world.participant.pk])).status_code == 404


def test_care_team_sees_history_and_plots_and_the_view_is_audited(world, client_for):
    from hearth.audit.models import AuditEntry

    measure_submit(actor=world.participant, person=world.participant, measure="gad7", answers=[1, 1, 1, 1, 1, 1, 0])
    response = client_for(world.clinician).get(reverse("checkins:person_measures", args=[world.participant.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "GAD-7" in body and "Mild" in body and "<svg" in body
    assert reverse("checkins:measure_schedule", args=[world.participant.pk]) in body
    assert AuditEntry.objects.filter(action="checkins.measure.viewed", actor=world.clinician).exists()
    # A schedule set from that page.
    response = client_for(world.clinician).post(
        reverse("checkins:measure_schedule", args=[world.participant.pk]),
        {"measure": "phq9", "every_days": "14", "starts_on": "2026-01-05"},
    )
    assert response.status_code == 302
    assert world.participant.measure_schedules.get().every_days == 14


def test_notes_reach_the_care_team_but_not_family_under_a_checkins_consent(world, client_for):
    CheckIn.objects.create(
        person=world.participant,
        local_date=datetime.date(2026, 1, 2),
        mood=5,
        craving=1,
        sleep_hours=7,
        sleep_quality="fair",
        note="argued with my brother",
    )
    url = reverse("checkins:person_checkins", args=[world.participant.pk])
    assert "argued with my brother" in client_for(world.clinician).get(url).content.decode()
    family_page = client_for(world.family_with_consent).get(url)
    assert family_page.status_code == 200
    assert "argued with my brother" not in family_page.content.decode()
