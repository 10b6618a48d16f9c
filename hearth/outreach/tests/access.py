import datetime

from django.utils import timezone

from hearth.outreach.models import OutreachTask, Rule, Urgency
from hearth.tests.authz import LOGIN_REDIRECT, STAFF, only, rule


def world_task(world) -> OutreachTask:
    task = getattr(world, "_task", None)
    if task is None:
        task = OutreachTask.objects.create(
            person=world.participant,
            program=world.program,
            rule=Rule.HIGH_CRAVING,
            urgency=Urgency.HIGH,
            owner=world.clinician,
            due_at=timezone.now() + datetime.timedelta(hours=4),
            evidence={"key": "checkin:2026-01-01", "facts": {"day": "2026-01-01", "craving": 9, "threshold": 8}},
        )
        world._task = task
    return task


def _task(world) -> dict:
    return {"task_id": world_task(world).pk}


_TEAM_ONLY = {
    **dict.fromkeys(("participant", "other_participant", "mentor", "family_with_consent", "family_without"), 403),
    "other_clinician": 404,
    "anonymous": LOGIN_REDIRECT,
}

ACCESS = {
    "outreach:thresholds": rule(
        {
            **dict.fromkeys(
                (
                    "participant",
                    "other_participant",
                    "clinician",
                    "other_clinician",
                    "mentor",
                    "family_with_consent",
                    "family_without",
                ),
                403,
            ),
            "admin": 200,
            "anonymous": LOGIN_REDIRECT,
        },
        kwargs=lambda w: {"program_id": w.program.pk},
        anonymous_to_login=True,
    ),
    "outreach:queue": only(STAFF),
    "outreach:task_detail": rule({**_TEAM_ONLY, "clinician": 200, "admin": 200}, kwargs=_task, anonymous_to_login=True),
    "outreach:task_log": rule(
        {**_TEAM_ONLY, "clinician": 302, "admin": 302},
        kwargs=_task,
        method="post",
        data=lambda w: {"outcome": "reached_call", "note": "Talked it through."},
        anonymous_to_login=True,
    ),
}
