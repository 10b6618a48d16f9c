"""Who reaches each toolkit URL. Private records answer 404 to anyone but their author (they may
not know the record exists); pages for participants answer 403 to other roles; another program's
clinician gets 404 for a person or homework outside their care."""

import datetime

from hearth.tests.authz import LOGIN_REDIRECT, PARTICIPANTS, STAFF, only, rule, signed_in
from hearth.toolkit.models import Assignment, Goal, GoalStep, JournalEntry, Resource

NON_PARTICIPANTS = ("clinician", "other_clinician", "mentor", "family_with_consent", "family_without", "admin")
NOT_STAFF = ("participant", "other_participant", "mentor", "family_with_consent", "family_without")


def _objects(world) -> dict:
    made = getattr(world, "_toolkit", None)
    if made is None:
        goal = Goal.objects.create(person=world.participant, title="Walk every evening")
        step = GoalStep.objects.create(goal=goal, text="Walk once", order=0)
        resource = Resource.objects.filter(program__isnull=True).first() or Resource.objects.create(
            slug="access", title="Access", kind="article", language="en", summary="s"
        )
        assignment = Assignment.objects.create(
            resource=resource,
            person=world.participant,
            program=world.program,
            assigned_by=world.clinician,
            due_date=datetime.date.today() + datetime.timedelta(days=3),
        )
        entry = JournalEntry.objects.create(person=world.participant, body="A private line")
        made = world._toolkit = {
            "goal": goal,
            "step": step,
            "resource": resource,
            "assignment": assignment,
            "entry": entry,
        }
    return made


def _own_record(ok: int) -> dict:
    """The author's own record: ok; another participant: 404; other roles cannot use the page: 403."""
    return {
        "participant": ok,
        "other_participant": 404,
        **dict.fromkeys(NON_PARTICIPANTS, 403),
        "anonymous": LOGIN_REDIRECT,
    }


def _care_team(ok: int = 200) -> dict:
    return {
        **dict.fromkeys(NOT_STAFF, 403),
        "clinician": ok,
        "admin": ok,
        "other_clinician": 404,
        "anonymous": LOGIN_REDIRECT,
    }


ACCESS = {
    "toolkit:home": only(PARTICIPANTS),
    "toolkit:counter": only(PARTICIPANTS),
    # Without a counter turned on, the lapse page sends the person to the counter.
    "toolkit:lapse": only(PARTICIPANTS, ok={200, 302}),
    "toolkit:goal_list": only(PARTICIPANTS),
    "toolkit:homework_list": only(PARTICIPANTS),
    "toolkit:tools": only(PARTICIPANTS),
    "toolkit:thoughts": only(PARTICIPANTS),
    "toolkit:journal": only(PARTICIPANTS),
    "toolkit:goal_detail": rule(
        _own_record(200), kwargs=lambda w: {"goal_id": _objects(w)["goal"].pk}, anonymous_to_login=True
    ),
    "toolkit:step_toggle": rule(
        _own_record(302),
        kwargs=lambda w: {"goal_id": _objects(w)["goal"].pk, "step_id": _objects(w)["step"].pk},
        method="post",
        anonymous_to_login=True,
    ),
    "toolkit:homework_detail": rule(
        _own_record(200), kwargs=lambda w: {"assignment_id": _objects(w)["assignment"].pk}, anonymous_to_login=True
    ),
    "toolkit:share": rule(
        _own_record(302),
        kwargs=lambda w: {"kind": "journal", "record_id": _objects(w)["entry"].pk},
        method="post",
        data=lambda w: {"shared": "0"},
        anonymous_to_login=True,
    ),
    "toolkit:library": signed_in(),
    "toolkit:resource_detail": signed_in(kwargs=lambda w: {"resource_id": _objects(w)["resource"].pk}),
    "toolkit:favourite": signed_in(302, kwargs=lambda w: {"resource_id": _objects(w)["resource"].pk}, method="post"),
    "toolkit:assign": only(STAFF),
    "toolkit:resource_new": only(STAFF),
    "toolkit:review": rule(
        _care_team(), kwargs=lambda w: {"assignment_id": _objects(w)["assignment"].pk}, anonymous_to_login=True
    ),
    "toolkit:person": rule(_care_team(), kwargs=lambda w: {"person_id": w.participant.pk}, anonymous_to_login=True),
    # Linking a personal goal to a plan goal: the person's care team only (an empty choice unlinks).
    "toolkit:goal_link": rule(
        _care_team(302),
        kwargs=lambda w: {"person_id": w.participant.pk, "goal_id": _objects(w)["goal"].pk},
        method="post",
        data=lambda w: {"plan_goal": ""},
        anonymous_to_login=True,
    ),
}
