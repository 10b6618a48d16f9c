import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.consent.models import Category
from hearth.plans.models import PlanVersion
from hearth.plans.services import plan_save
from hearth.scheduling.models import SessionKind, SessionSeries
from hearth.tests.factories import make_consent

REVIEW = timezone.localdate() + datetime.timedelta(days=30)


def _series(program, title="Evening group"):
    return SessionSeries.objects.create(
        program=program,
        kind=SessionKind.GROUP_THERAPY,
        title=title,
        time_zone="America/Chicago",
        start_time=datetime.time(18, 0),
        duration_minutes=180,
        rrule="FREQ=WEEKLY;BYDAY=MO,WE,TH",
        dtstart=timezone.localdate(),
    )


def _save(world, **overrides):
    values = {
        "actor": world.clinician,
        "person": world.participant,
        "program": world.program,
        "problems": "Drinking most evenings",
        "goals": "No alcohol for 30 days",
        "objectives": "Attend 3 groups a week",
        "interventions": "CBT group; relapse prevention",
        "groups": [],
        "weekly_hours_target": Decimal("9"),
        "next_review_on": REVIEW,
    }
    values.update(overrides)
    return plan_save(**values)


def test_every_save_is_a_new_version_with_who_and_what(world):
    series = _series(world.program)
    first = _save(world, groups=[series])
    second = _save(world, actor=world.admin, goals="No alcohol for 60 days", weekly_hours_target=Decimal("12"))
    assert (first.number, second.number) == (1, 2)
    assert second.author == world.admin
    assert sorted(second.changed_fields) == ["goals", "groups", "weekly_minutes_target"]
    assert PlanVersion.objects.get(pk=first.pk).goals == "No alcohol for 30 days"  # history kept
    assert first.weekly_minutes_target == 540 and second.weekly_minutes_target == 720
    assert series.people.filter(pk=world.participant.pk).exists()  # the group reaches their calendar
    assert AuditEntry.objects.filter(action="plans.plan.saved", subject=world.participant).count() == 2


def test_plan_text_is_encrypted_at_rest(world):
    from django.db import connection

    version = _save(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT problems FROM plans_planversion WHERE id = %s", [version.pk])
        stored = cursor.fetchone()[0]
    assert "Drinking" not in stored


@pytest.mark.parametrize(
    "overrides",
    [
        {"problems": "  "},
        {"weekly_hours_target": Decimal("0.5")},
        {"weekly_hours_target": Decimal("41")},
        {"next_review_on": timezone.localdate() - datetime.timedelta(days=1)},
        {"next_review_on": timezone.localdate() + datetime.timedelta(days=400)},
    ],
)
def test_bad_plans_are_refused_and_nothing_saved(world, overrides):
    with pytest.raises(ValidationError):
        _save(world, **overrides)
    assert not PlanVersion.objects.exists()


def test_groups_of_another_program_and_unchanged_saves_are_refused(world):
    with pytest.raises(ValidationError):
        _save(world, groups=[_series(world.other_program)])
    _save(world)
    with pytest.raises(ValidationError, match="Nothing changed"):
        _save(world)
    assert PlanVersion.objects.count() == 1


def test_only_the_care_team_writes(world):
    for actor in (world.participant, world.other_clinician, world.mentor):
        with pytest.raises(PermissionDenied):
            _save(world, actor=actor)


def test_participant_reads_own_plan_others_do_not(world, client_for):
    _save(world)
    url = reverse("plans:plan", args=[world.participant.pk])
    page = client_for(world.participant).get(url)
    assert page.status_code == 200 and "No alcohol for 30 days" in page.content.decode()
    assert "Update the plan" not in page.content.decode()
    for outsider in (world.other_participant, world.other_clinician, world.family_with_consent, world.mentor):
        assert client_for(outsider).get(url).status_code == 404
    assert (
        client_for(world.other_participant)
        .get(reverse("plans:edit", args=[world.participant.pk, world.program.pk]))
        .status_code
        == 403
    )


def test_family_reads_plan_only_with_a_treatment_plan_consent(world, client_for):
    _save(world)
    make_consent(world.participant, world.program, world.family_without, categories=[Category.TREATMENT_PLAN])
    page = client_for(world.family_without).get(reverse("plans:plan", args=[world.participant.pk]))
    assert page.status_code == 200 and "No alcohol for 30 days" in page.content.decode()


def test_clinician_edits_through_the_page(world, client_for):
    series = _series(world.program)
    client = client_for(world.clinician)
    url = reverse("plans:edit", args=[world.participant.pk, world.program.pk])
    bad = client.post(url, {"problems": "x", "goals": "y", "next_review_on": "2001-01-01", "weekly_hours_target": "80"})
    assert bad.status_code == 400 and not PlanVersion.objects.exists()
    good = client.post(
        url,
        {
            "problems": "Isolation",
            "goals": "One peer contact a day",
            "groups": [series.pk],
            "weekly_hours_target": "9.5",
            "next_review_on": REVIEW.isoformat(),
        },
    )
    assert good.status_code == 302
    version = PlanVersion.objects.get()
    assert version.weekly_minutes_target == 570 and list(version.groups.all()) == [series]
    history = client_for(world.participant).get(reverse("plans:history", args=[world.participant.pk, world.program.pk]))
    assert history.status_code == 200 and "Version 1" in history.content.decode()


@pytest.mark.parametrize("group_id", ["9223372036854775808", "-1", "abc"])
def test_a_group_id_beyond_the_database_integer_is_a_form_error(world, client_for, group_id):
    # Found by hearth/tests/test_fuzz.py: the id reached the query and overflowed (500 on SQLite).
    client = client_for(world.clinician)
    url = reverse("plans:edit", args=[world.participant.pk, world.program.pk])
    response = client.post(
        url, {"problems": "x", "goals": "y", "groups": [group_id], "next_review_on": REVIEW.isoformat()}
    )
    assert response.status_code == 400 and not PlanVersion.objects.exists()


def test_a_program_id_beyond_the_database_integer_in_the_history_url_is_404(world, client_for):
    # Found by `make fuzz`: the participant's own path queried with the id and overflowed (500 on SQLite).
    url = reverse("plans:history", args=[world.participant.pk, 2**63])
    assert client_for(world.participant).get(url).status_code == 404
