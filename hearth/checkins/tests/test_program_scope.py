"""Check-ins belong to a program (#13 item 3): the care team is per program, so staff of one
program never see a person's check-ins of another program they also take part in."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from hearth.checkins.models import CheckIn, MeasureResponse
from hearth.checkins.selectors import checkins_for_viewer, measures_for_viewer
from hearth.checkins.services import checkin_submit, local_today, measure_submit
from hearth.programs.models import Role
from hearth.safety.models import SafetySignal
from hearth.tests.factories import UserFactory, grant_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def dual(world):
    """A participant of the world's program (joined first) and of the other program."""
    person = UserFactory(display_name="Dual")
    grant_role(person, world.program, Role.PARTICIPANT, cohort=world.cohort)
    grant_role(person, world.other_program, Role.PARTICIPANT)
    return person


def _checkin(person, program, days_ago: int, note: str) -> CheckIn:
    return CheckIn.objects.create(
        person=person,
        program=program,
        local_date=local_today(person) - datetime.timedelta(days=days_ago),
        mood=5,
        craving=2,
        sleep_hours=7,
        sleep_quality="good",
        note=note,
    )


def test_each_programs_care_team_sees_only_its_own_check_ins(world, dual):
    mine = _checkin(dual, world.program, 0, "program A words")
    theirs = _checkin(dual, world.other_program, 1, "program B words")
    assert list(checkins_for_viewer(viewer=world.clinician, person=dual)) == [mine]
    assert list(checkins_for_viewer(viewer=world.other_clinician, person=dual)) == [theirs]
    assert list(checkins_for_viewer(viewer=dual, person=dual)) == [mine, theirs]


def test_the_person_page_of_one_program_does_not_show_the_other_programs_check_ins(world, dual, client_for):
    _checkin(dual, world.program, 0, "Osprey words 1201")
    _checkin(dual, world.other_program, 1, "Osprey words 1202")
    page = client_for(world.clinician).get(reverse("checkins:person_checkins", args=[dual.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Osprey words 1201" in text and "Osprey words 1202" not in text


def test_a_staff_member_with_no_program_in_common_gets_404(world, dual):
    _checkin(dual, world.other_program, 0, "program B words")
    outsider = UserFactory(display_name="Outsider")
    with pytest.raises(Http404):
        checkins_for_viewer(viewer=outsider, person=dual)


def test_a_check_in_and_its_signal_go_to_the_persons_home_program(world, dual):
    checkin = checkin_submit(
        actor=dual,
        person=dual,
        local_date=local_today(dual),
        mood=3,
        craving=8,
        sleep_hours="5",
        sleep_quality="poor",
        used=True,
    )
    assert checkin.program_id == world.program.pk  # the participant program joined first
    signal = SafetySignal.objects.get(person=dual, source="checkins.use_reported")
    assert signal.program_id == world.program.pk


def test_the_migration_gives_earlier_check_ins_and_signals_the_persons_first_active_program(world, dual):
    import importlib

    from django.apps import apps

    from hearth.programs.models import Membership

    # Ended memberships come after active ones: the person left the world's program.
    Membership.objects.filter(user=dual, program=world.program).update(ended_at=world.program.created_at)
    old = _checkin(dual, None, 0, "from before programs were kept")
    signal = SafetySignal.objects.create(person=dual, source="checkins.use_reported", severity="high")
    for module in ("hearth.checkins.migrations.0004_checkin_program", "hearth.safety.migrations.0004_signal_program"):
        importlib.import_module(module).programs_backfill(apps, None)
    old.refresh_from_db()
    signal.refresh_from_db()
    assert old.program_id == signal.program_id == world.other_program.pk


def _answer(person, program, measure: str, days_ago: int, total: int) -> MeasureResponse:
    return MeasureResponse.objects.create(
        person=person,
        program=program,
        measure=measure,
        instance_date=local_today(person) - datetime.timedelta(days=days_ago),
        answers=[1] * 7,
        total=total,
        band="mild",
        level="low",
    )


def test_questionnaire_answers_are_per_program_too(world, dual, client_for):
    mine = _answer(dual, world.program, "gad7", 0, 11)
    theirs = _answer(dual, world.other_program, "gad7", 7, 17)
    assert list(measures_for_viewer(viewer=world.clinician, person=dual)) == [mine]
    assert list(measures_for_viewer(viewer=world.other_clinician, person=dual)) == [theirs]
    assert set(measures_for_viewer(viewer=dual, person=dual)) == {mine, theirs}
    with pytest.raises(Http404):
        measures_for_viewer(viewer=UserFactory(display_name="Outsider"), person=dual)


def test_an_answered_questionnaire_goes_to_the_persons_home_program(world, dual):
    response = measure_submit(actor=dual, person=dual, measure="gad7", answers=[1, 1, 0, 2, 1, 0, 1])
    assert response.program_id == world.program.pk


def test_the_migration_gives_earlier_answers_the_persons_first_active_program(world, dual):
    import importlib

    from django.apps import apps

    from hearth.programs.models import Membership

    Membership.objects.filter(user=dual, program=world.program).update(ended_at=world.program.created_at)
    old = _answer(dual, None, "phq9", 0, 4)
    importlib.import_module("hearth.checkins.migrations.0005_measureresponse_program").programs_backfill(apps, None)
    old.refresh_from_db()
    assert old.program_id == world.other_program.pk
