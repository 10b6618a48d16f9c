"""The participant's home section: one homework, the current goal step, the days counter (if on)
and a tool to try today. A fixed number of queries, whatever the amount of data."""

from django.utils import translation

from hearth.checkins.services import local_today
from hearth.programs.permissions import is_participant, is_staff_member

from .activities import activities_describe
from .selectors import counter_for_owner, current_goal_step, homework_to_review, next_homework
from .selfhelp import tool_of_the_day


def participant_toolkit_section(request) -> dict | None:
    user = request.user
    if not is_participant(user):
        return None
    today = local_today(user)
    homework = next_homework(viewer=user)
    if homework is not None:
        homework.is_overdue = homework.due_date < today
        activities_describe([homework], translation.get_language() or "en")
    _counter, stats = counter_for_owner(viewer=user)
    return {
        "template": "toolkit/dashboard_section.html",
        "homework": homework,
        "step": current_goal_step(viewer=user),
        "stats": stats,
        "tool": tool_of_the_day(today),
    }


def clinician_homework_section(request) -> dict | None:
    """Homework handed in and waiting for a comment (a count and the oldest few)."""
    user = request.user
    if not is_staff_member(user):
        return None
    waiting = activities_describe(homework_to_review(viewer=user)[:6], translation.get_language() or "en")
    if not waiting:
        return None
    return {"template": "toolkit/dashboard_clinician.html", "waiting": waiting[:5], "more": len(waiting) > 5}
