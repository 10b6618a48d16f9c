"""The participant's home dashboard section: scenes their care team asked them to practise."""

from hearth.programs.permissions import is_participant

from .display import current_language, scene_summary
from .selectors import open_assignments_for

DASHBOARD_ASSIGNMENTS = 3


def participant_practice_section(request) -> dict | None:
    if not is_participant(request.user):
        return None
    language = current_language()
    assignments = [
        {"assignment": a, **scene_summary(a.scene, language)}
        for a in open_assignments_for(viewer=request.user)[:DASHBOARD_ASSIGNMENTS]
    ]
    return {"template": "practice/dashboard_section.html", "assignments": assignments}
