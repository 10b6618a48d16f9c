"""A scenario per rule, with time travel: exactly one task with its evidence, resolving it, and
overdue tasks escalating to the program admin."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.checkins.models import CheckIn
from hearth.checkins.services import checkin_submit, local_today, measure_submit
from hearth.messaging.models import Conversation, Message
from hearth.notifications.models import Notification
from hearth.outreach.models import OutreachTask, ProgramThresholds, Rule, Status, TaskEvent
from hearth.outreach.rules import describe
from hearth.outreach.services import outreach_escalate_overdue, outreach_evaluate_all, outreach_task_log
from hearth.outreach.tasks import escalate_overdue, evaluate_everyone
from hearth.programs.models import Membership
from hearth.scheduling.models import Attendance, AttendanceStatus, Occurrence, SessionKind

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 4, 6, 15, 0, tzinfo=datetime.UTC)  # a Monday, 10:00 in Chicago


@pytest.fixture
def enrolled(world):
    """The world's participant enrolled at START, with a check-in that day naming a peer."""
    Membership.objects.filter(user__in=[world.participant, world.other_participant]).update(started_at=START)
    with time_machine.travel(START, tick=False):
        checkin(world, connections=["peer"])
    return world


def checkin(world, person=None, **values):
    person = person or world.participant
    data = {"mood": 6, "craving": 2, "sleep_hours": 7, "sleep_quality": "good", "connections": ["peer"]}
    data.update(values)
    return checkin_submit(actor=person, person=person, local_date=local_today(person), **data)


def tasks(world, rule):
    return list(OutreachTask.objects.filter(person=world.participant, rule=rule))


def test_two_missed_checkins_in_a_row(enrolled):
    world = enrolled
    with time_machine.travel(START + datetime.timedelta(days=2), tick=False):
        evaluate_everyone.call_local()
        assert tasks(world, Rule.MISSED_CHECKINS) == []  # only yesterday missed so far
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        evaluate_everyone.call_local()
        evaluate_everyone.call_local()  # idempotent
    [task] = tasks(world, Rule.MISSED_CHECKINS)
    assert task.owner == world.clinician
    assert task.evidence["facts"] == {"missed_days": ["2026-04-07", "2026-04-08"], "last_checkin": "2026-04-06"}
    assert "2026-04-07, 2026-04-08" in describe(task.rule, task.evidence["facts"])
    assert Notification.objects.filter(recipient=world.clinician, kind="outreach.task").exists()
    with time_machine.travel(START + datetime.timedelta(days=3, hours=1), tick=False):
        outreach_task_log(actor=world.clinician, task_id=task.pk, outcome="no_answer", note="Rang twice.")
        task.refresh_from_db()
        assert task.status == Status.OPEN
        outreach_task_log(actor=world.clinician, task_id=task.pk, outcome="reached_call", note="Was unwell; fine now.")
    task.refresh_from_db()
    assert task.status == Status.RESOLVED and task.outcome == "reached_call"
    assert [e.kind for e in task.events.all()] == ["raised", "attempt", "attempt", "resolved"]
    assert "Rang twice." in task.notes
    # The same run of missed days does not come back once resolved...
    with time_machine.travel(START + datetime.timedelta(days=4), tick=False):
        outreach_evaluate_all()
    assert len(tasks(world, Rule.MISSED_CHECKINS)) == 1
    # ...but a new one after the next check-in does.
    with time_machine.travel(START + datetime.timedelta(days=5), tick=False):
        checkin(world)
    with time_machine.travel(START + datetime.timedelta(days=8), tick=False):
        outreach_evaluate_all()
    assert len(tasks(world, Rule.MISSED_CHECKINS)) == 2


def test_missed_scheduled_session(enrolled):
    world = enrolled
    starts = START + datetime.timedelta(days=1, hours=8)
    occurrence = Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Evening group",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        cohort=world.cohort,
    )
    Attendance.objects.create(occurrence=occurrence, person=world.participant, status=AttendanceStatus.ABSENT)
    Attendance.objects.create(occurrence=occurrence, person=world.other_participant, status=AttendanceStatus.PRESENT)
    with time_machine.travel(starts + datetime.timedelta(hours=4), tick=False):
        outreach_evaluate_all()
        outreach_evaluate_all()
    [task] = tasks(world, Rule.MISSED_SESSION)
    assert task.evidence["facts"]["occurrence_id"] == occurrence.pk
    assert "Evening group" in describe(task.rule, task.evidence["facts"])
    assert not OutreachTask.objects.filter(person=world.other_participant, rule=Rule.MISSED_SESSION).exists()
    outreach_task_log(actor=world.clinician, task_id=task.pk, outcome="reached_message")
    with time_machine.travel(starts + datetime.timedelta(hours=30), tick=False):
        outreach_evaluate_all()
    assert len(tasks(world, Rule.MISSED_SESSION)) == 1


def test_high_craving_on_the_check_in_event_with_program_threshold(enrolled, django_capture_on_commit_callbacks):
    world = enrolled
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            checkin(world, craving=7)
        assert tasks(world, Rule.HIGH_CRAVING) == []
        with django_capture_on_commit_callbacks(execute=True):
            checkin_submit(
                actor=world.participant,
                person=world.participant,
                local_date=local_today(world.participant),
                expected_version=1,
                mood=5,
                craving=8,
                sleep_hours=6,
                sleep_quality="poor",
            )
    [task] = tasks(world, Rule.HIGH_CRAVING)
    assert task.evidence["facts"] == {"day": "2026-04-07", "craving": 8, "threshold": 8}
    assert task.due_at == START + datetime.timedelta(days=1, hours=4)
    # A program that sets the bar at 9 would not have flagged 8.
    ProgramThresholds.objects.create(program=world.program, craving_at_least=9)
    with time_machine.travel(START + datetime.timedelta(days=2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            checkin(world, person=world.other_participant, craving=8)
    assert not OutreachTask.objects.filter(person=world.other_participant, rule=Rule.HIGH_CRAVING).exists()
    assert task.owner == world.clinician


def test_use_reported(enrolled, django_capture_on_commit_callbacks):
    world = enrolled
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            checkin(world, used=True, used_what="alcohol")
        outreach_evaluate_all()
    [task] = tasks(world, Rule.USE_REPORTED)
    assert task.evidence["facts"] == {"day": "2026-04-07"}
    assert task.urgency == 1
    outreach_task_log(actor=world.clinician, task_id=task.pk, outcome="reached_video")
    assert OutreachTask.objects.get(pk=task.pk).status == Status.RESOLVED


def test_phq9_item9_is_urgent_and_due_within_the_hour(enrolled, django_capture_on_commit_callbacks):
    world = enrolled
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = measure_submit(
                actor=world.participant, person=world.participant, measure="phq9", answers=[2, 2, 1, 1, 1, 1, 1, 1, 1]
            )
        outreach_evaluate_all()
    [task] = tasks(world, Rule.PHQ9_ITEM9)
    assert task.urgency == 0
    assert task.due_at == START + datetime.timedelta(days=1, hours=1)
    assert task.evidence["facts"]["response_id"] == response.pk
    assert task.evidence["facts"]["item9"] == 1
    assert Notification.objects.filter(recipient=world.clinician, kind="outreach.task", urgent=True).exists()


def test_isolation_after_n_days_without_contact(enrolled):
    world = enrolled
    # Check-ins keep coming, but they answer "no one".
    for day in (1, 2, 3):
        with time_machine.travel(START + datetime.timedelta(days=day), tick=False):
            checkin(world, connections=["no_one"])
            outreach_evaluate_all()
    assert tasks(world, Rule.ISOLATION) == []
    with time_machine.travel(START + datetime.timedelta(days=4), tick=False):
        checkin(world, connections=["no_one"])
        outreach_evaluate_all()
        outreach_evaluate_all()
    [task] = tasks(world, Rule.ISOLATION)
    facts = task.evidence["facts"]
    assert facts["days"] == 4 and facts["threshold"] == 4
    assert facts["last_connected_checkin"] == "2026-04-06"
    assert facts["no_one_answers"] == ["2026-04-07", "2026-04-08", "2026-04-09", "2026-04-10"]
    assert facts["last_message"] is None and facts["last_attended"] is None


def test_a_message_sent_counts_as_contact(enrolled):
    world = enrolled
    conversation = Conversation.objects.create(program=world.program, kind="group", title="Cohort")
    Message.objects.create(
        conversation=conversation,
        seq=1,
        sender=world.participant,
        client_msg_id="m1",
        body="hi all",
        created_at=START + datetime.timedelta(days=3),
    )
    with time_machine.travel(START + datetime.timedelta(days=5), tick=False):
        outreach_evaluate_all()
    assert tasks(world, Rule.ISOLATION) == []
    with time_machine.travel(START + datetime.timedelta(days=7), tick=False):
        outreach_evaluate_all()
    [task] = tasks(world, Rule.ISOLATION)
    assert task.evidence["facts"]["last_message"].startswith("2026-04-09")


def test_an_overdue_task_escalates_to_the_program_admin_once(enrolled, django_capture_on_commit_callbacks):
    world = enrolled
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            checkin(world, craving=9)
    [task] = tasks(world, Rule.HIGH_CRAVING)
    with time_machine.travel(START + datetime.timedelta(days=1, hours=3), tick=False):
        assert outreach_escalate_overdue() == 0
    with time_machine.travel(START + datetime.timedelta(days=1, hours=5), tick=False):
        assert escalate_overdue.call_local() == 1
        assert outreach_escalate_overdue() == 0
    task.refresh_from_db()
    assert task.escalated_to == world.admin
    assert task.events.filter(kind=TaskEvent.Kind.ESCALATED).count() == 1
    assert Notification.objects.filter(recipient=world.admin, kind="outreach.task").count() == 1
    # The admin now has it in their queue too and may resolve it.
    outreach_task_log(actor=world.admin, task_id=task.pk, outcome="left_message")
    outreach_task_log(actor=world.admin, task_id=task.pk, outcome="reached_call")
    task.refresh_from_db()
    assert task.status == Status.RESOLVED and task.resolved_by == world.admin


def test_at_most_one_open_task_per_person_and_rule_in_the_database(world):
    def make():
        return OutreachTask.objects.create(
            person=world.participant,
            program=world.program,
            rule=Rule.ISOLATION,
            urgency=2,
            due_at=timezone.now(),
            evidence={"key": "x"},
        )

    first = make()
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
    OutreachTask.objects.filter(pk=first.pk).update(status=Status.RESOLVED)
    make()  # a new open one once the first is resolved
    assert OutreachTask.objects.count() == 2


def test_only_the_care_team_logs_outcomes_and_bad_outcomes_are_refused(enrolled):
    from django.core.exceptions import PermissionDenied, ValidationError

    world = enrolled
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        outreach_evaluate_all()
    task = tasks(world, Rule.MISSED_CHECKINS)[0]
    for outsider in (world.other_clinician, world.participant, world.mentor):
        with pytest.raises(PermissionDenied):
            outreach_task_log(actor=outsider, task_id=task.pk, outcome="reached_call")
    with pytest.raises(ValidationError):
        outreach_task_log(actor=world.clinician, task_id=task.pk, outcome="teleported")
    outreach_task_log(actor=world.clinician, task_id=task.pk, outcome="reached_call")
    with pytest.raises(ValidationError):
        outreach_task_log(actor=world.clinician, task_id=task.pk, outcome="reached_call")
    assert CheckIn.objects.filter(person=world.participant).count() == 1


def test_program_admin_sets_thresholds_and_can_switch_rules_off_but_not_phq9(enrolled, client_for):
    world = enrolled
    client = client_for(world.admin)
    url = f"/outreach/programs/{world.program.pk}/thresholds/"
    assert client.get(url).status_code == 200
    data = {
        "missed_checkins_in_a_row": "3",
        "craving_at_least": "9",
        "isolation_days": "6",
        "missed_session_lookback_days": "7",
        "disabled_rules": ["missed_session"],
    }
    assert client.post(url, data).status_code == 302
    thresholds = ProgramThresholds.objects.get(program=world.program)
    assert (thresholds.missed_checkins_in_a_row, thresholds.isolation_days) == (3, 6)
    assert thresholds.disabled_rules == ["missed_session"]
    assert client.post(url, {**data, "disabled_rules": ["phq9_item9"]}).status_code == 400
    assert client.post(url, {**data, "craving_at_least": "11"}).status_code == 400
    assert ProgramThresholds.objects.get(program=world.program).craving_at_least == 9
    # Three missed days are now needed, not two.
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        outreach_evaluate_all()
    assert tasks(world, Rule.MISSED_CHECKINS) == []
    with time_machine.travel(START + datetime.timedelta(days=4), tick=False):
        outreach_evaluate_all()
    assert len(tasks(world, Rule.MISSED_CHECKINS)) == 1
    # Another program's admin cannot reach this page.
    assert client_for(world.other_clinician).get(url).status_code == 403


def test_a_session_attended_counts_as_contact_and_an_excused_absence_is_not_missed(enrolled):
    world = enrolled
    starts = START + datetime.timedelta(days=3)
    attended = Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GAME_NIGHT,
        title="Game night",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    excused = Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Evening group",
        starts_at=starts + datetime.timedelta(days=1),
        ends_at=starts + datetime.timedelta(days=1, hours=3),
    )
    Attendance.objects.create(occurrence=attended, person=world.participant, status=AttendanceStatus.LATE, minutes=90)
    Attendance.objects.create(occurrence=excused, person=world.participant, status=AttendanceStatus.EXCUSED)
    with time_machine.travel(START + datetime.timedelta(days=6), tick=False):
        outreach_evaluate_all()
    assert tasks(world, Rule.ISOLATION) == []
    assert tasks(world, Rule.MISSED_SESSION) == []
    with time_machine.travel(START + datetime.timedelta(days=8), tick=False):
        outreach_evaluate_all()
    [task] = tasks(world, Rule.ISOLATION)
    assert task.evidence["facts"]["last_attended"].startswith("2026-04-09")
