"""The demo's outreach queue, filled by the real rules from the seeded signals.

The rules run as of a few past evenings (``outreach_evaluate_person(now=...)``); the owner works
each task raised then the next day through ``outreach_task_log`` (some reached at once, some after
a missed call), so the queue has a history of closed tasks with notes. Then the rules run as of
now, which leaves today's open tasks: Jordan's PHQ-9 item 9 and cravings, Kim's isolation and
missed sessions, Marcus's missed check-ins and sessions.

Jordan is evaluated only as of now: the rules read questionnaires without an upper time bound,
so a past run would see today's answer. Idempotent: once the program has tasks, nothing is done."""

import datetime
import zoneinfo

import time_machine
from django.utils import timezone

from hearth.safety.models import SafetySignal, Severity
from hearth.safety.services import safety_signal_acknowledge

from .models import Outcome, OutreachTask
from .services import outreach_evaluate_all, outreach_evaluate_person, outreach_task_log

PAST_RUNS_DAYS_AGO = (33, 26, 19, 12, 8)
NOT_IN_PAST_RUNS = {"jordan"}

# rule -> (first attempt, note), (second attempt or None, note)
FOLLOW_UP = {
    "missed_checkins": (
        (Outcome.NO_ANSWER, "Called, no answer. Will try again tomorrow after work hours."),
        (Outcome.REACHED_MESSAGE, "Replied by message: phone broke, back on track. Checked in today."),
    ),
    "missed_session": (
        (Outcome.REACHED_CALL, "Reached by phone. Missed group for a work shift; plans to attend the next one."),
        None,
    ),
    "high_craving": (
        (Outcome.REACHED_CALL, "Talked through the craving; used the urge-surfing plan and called a peer. Safe."),
        None,
    ),
    "use_reported": (
        (Outcome.LEFT_MESSAGE, "Left a voicemail asking for a call back."),
        (
            Outcome.REACHED_VIDEO,
            "Video call. Drank at a family party; no use since. Reviewed relapse-prevention plan, added "
            "family events as a high-risk situation. Will discuss in group.",
        ),
    ),
    "isolation": (
        (Outcome.REACHED_CALL, "Reached by phone. Busy week, not withdrawing. Agreed to text a peer twice a week."),
        None,
    ),
}
DEFAULT_FOLLOW_UP = ((Outcome.REACHED_CALL, "Reached by phone; no concerns. Will see them in group."), None)


def _evening(tz, days_ago: int, hour: int) -> datetime.datetime:
    day = timezone.now().astimezone(tz).date() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=tz)


def seed(people) -> None:
    if OutreachTask.objects.filter(program=people.program).exists():
        return
    tz = zoneinfo.ZoneInfo(people.program.time_zone)
    past = [person for key, person in people.participants.items() if key not in NOT_IN_PAST_RUNS]
    for days_ago in PAST_RUNS_DAYS_AGO:
        run_at = _evening(tz, days_ago, 21)
        for person in past:
            for task in outreach_evaluate_person(person_id=person.pk, now=run_at):
                _work(task, run_at)
    outreach_evaluate_all()


def _work(task: OutreachTask, raised_at: datetime.datetime) -> None:
    """The owner follows up the next morning; a missed call is followed by a second try."""
    first, second = FOLLOW_UP.get(task.rule, DEFAULT_FOLLOW_UP)
    actor = task.owner
    at = raised_at + datetime.timedelta(hours=13)
    outreach_task_log(actor=actor, task_id=task.pk, outcome=first[0], note=first[1], now=at)
    if second is not None:
        at += datetime.timedelta(hours=7)
        outreach_task_log(actor=actor, task_id=task.pk, outcome=second[0], note=second[1], now=at)
    # Having talked with the person, the clinician also acknowledges the safety signal behind the task.
    with time_machine.travel(at, tick=False):
        for signal in SafetySignal.objects.filter(
            person_id=task.person_id, acknowledged_at__isnull=True, raised_at__lte=at
        ).exclude(severity=Severity.URGENT):
            safety_signal_acknowledge(actor=actor, signal=signal)
