"""The participant's home dashboard section: scenes their care team asked them to practise."""

from hearth.programs.permissions import is_participant

from .display import current_language
from .selectors import open_assignments_for

DASHBOARD_ASSIGNMENTS = 3


def participant_practice_section(request) -> dict | None:
    if not is_participant(request.user):
        return None
    assignments = open_assignments_for(viewer=request.user, language=current_language(), limit=DASHBOARD_ASSIGNMENTS)
    return {"template": "practice/dashboard_section.html", "assignments": assignments}
