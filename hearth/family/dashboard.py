"""The family section of the home dashboard: the course and the daily contract, next to "Shared with you"."""

from hearth.programs.permissions import is_family

from .course import modules
from .selectors import contract_calendar, couples_for_viewer, course_done_for


def family_portal_section(request) -> dict | None:
    user = request.user
    couples = couples_for_viewer(viewer=user)
    if not is_family(user) and not couples:
        return None
    contracts = [{"couple": c, "today_entry": contract_calendar(couple=c, days=1)["today_entry"]} for c in couples]
    return {
        "template": "family/dashboard_section.html",
        "is_family": is_family(user),
        "done": len(course_done_for(viewer=user)),
        "total": len(modules()),
        "contracts": contracts,
        # The day's contract state of the participant is theirs: the partner's look is audited.
        "shown_people": [c.participant.pk for c in couples],
    }
