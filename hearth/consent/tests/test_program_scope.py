"""Consent and care team are per program; the three-year limit holds in the service (issue #13, item 3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from hearth.consent.models import Category, Consent
from hearth.consent.selectors import consent_allows
from hearth.consent.services import consent_grant
from hearth.outreach.models import OutreachTask, Rule, Urgency
from hearth.outreach.selectors import queue_for_viewer, task_for_care_team
from hearth.outreach.services import outreach_task_log
from hearth.programs.models import Role
from hearth.tests.factories import grant_role

pytestmark = pytest.mark.django_db


def _grant(world, expires_at):
    return consent_grant(
        actor=world.participant,
        program=world.program,
        recipient_kind="family",
        recipient_name="Someone",
        recipient_user=world.family_without,
        categories=[Category.ATTENDANCE],
        purpose="support",
        expires_at=expires_at,
        signature="Participant",
    )


def test_a_consent_longer_than_three_years_is_refused_by_the_service(world):
    with pytest.raises(ValidationError) as exc:
        _grant(world, timezone.now() + datetime.timedelta(days=4 * 365))
    assert "expires_at" in exc.value.message_dict
    assert not Consent.objects.filter(recipient_user=world.family_without).exists()
    assert _grant(world, timezone.now() + datetime.timedelta(days=3 * 365)).pk


def test_the_model_refuses_a_consent_longer_than_three_years(world):
    consent = Consent(
        participant=world.participant,
        program=world.program,
        recipient_kind="family",
        recipient_name="Someone",
        categories=[Category.ATTENDANCE],
        purpose="support",
        expires_at=timezone.now() + datetime.timedelta(days=5 * 365),
        signature="Participant",
    )
    with pytest.raises(ValidationError):
        consent.full_clean()


def test_a_consent_opens_only_the_program_it_was_given_to(world):
    grant_role(world.participant, world.other_program, Role.PARTICIPANT)
    allows = lambda program: consent_allows(  # noqa: E731
        viewer=world.family_with_consent, subject=world.participant, category=Category.ATTENDANCE, program=program
    )
    assert allows(world.program)
    assert not allows(world.other_program)


def test_care_team_is_per_program(world):
    """A person in two programs: staff of each see what belongs to their own program only."""
    grant_role(world.participant, world.other_program, Role.PARTICIPANT)
    allows = lambda viewer, program: consent_allows(  # noqa: E731
        viewer=viewer, subject=world.participant, category=Category.CHECKINS, program=program
    )
    assert allows(world.clinician, world.program) and not allows(world.clinician, world.other_program)
    assert allows(world.other_clinician, world.other_program) and not allows(world.other_clinician, world.program)


def _task(world, program, owner=None, rule=Rule.HIGH_CRAVING):
    return OutreachTask.objects.create(
        person=world.participant,
        program=program,
        rule=rule,
        urgency=Urgency.HIGH,
        owner=owner,
        due_at=timezone.now() + datetime.timedelta(hours=4),
        evidence={"key": f"k{program.pk}", "facts": {"day": "2026-01-01", "craving": 9, "threshold": 8}},
    )


def test_staff_of_another_program_of_the_person_do_not_see_this_programs_tasks(world):
    grant_role(world.participant, world.other_program, Role.PARTICIPANT)
    here = _task(world, world.program)
    there = _task(world, world.other_program, rule=Rule.MISSED_CHECKINS)
    assert task_for_care_team(viewer=world.clinician, task_id=here.pk) == here
    with pytest.raises(Http404):
        task_for_care_team(viewer=world.other_clinician, task_id=here.pk)
    with pytest.raises(Http404):
        task_for_care_team(viewer=world.clinician, task_id=there.pk)
    with pytest.raises(PermissionDenied):
        outreach_task_log(actor=world.other_clinician, task_id=here.pk, outcome="no_answer")


def test_a_task_owned_by_someone_whose_role_ended_leaves_their_queue(world):
    from hearth.programs.models import Membership
    from hearth.programs.services import staff_end

    task = _task(world, world.program, owner=world.clinician)
    assert task in list(queue_for_viewer(viewer=world.clinician))
    staff_end(
        actor=world.admin,
        membership=Membership.objects.get(user=world.clinician, program=world.program, role=Role.CLINICIAN),
    )
    world.clinician.__dict__.pop("_hearth_roles", None)
    assert task not in list(queue_for_viewer(viewer=world.clinician))


def test_attendance_shared_under_consent_is_only_the_consented_programs(world):
    from hearth.scheduling.models import Attendance, AttendanceStatus, Occurrence, SessionKind
    from hearth.scheduling.selectors import attendance_for_person

    grant_role(world.participant, world.other_program, Role.PARTICIPANT)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
    for program, title in ((world.program, "Here"), (world.other_program, "Elsewhere")):
        occurrence = Occurrence.objects.create(
            program=program,
            kind=SessionKind.GROUP_THERAPY,
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
        )
        Attendance.objects.create(occurrence=occurrence, person=world.participant, status=AttendanceStatus.PRESENT)
    # The world's consent (attendance) was given to the world's program only.
    shared = {
        a.occurrence.title for a in attendance_for_person(viewer=world.family_with_consent, person=world.participant)
    }
    assert shared == {"Here"}
