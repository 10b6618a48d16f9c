"""The clinician's section of the home dashboard: open safety signals, then who needs outreach today."""

from hearth.programs.permissions import is_clinician
from hearth.safety.selectors import open_signals_for_viewer

from .selectors import clinician_today


def clinician_section(request) -> dict | None:
    user = request.user
    if not is_clinician(user):
        return None
    signals = list(open_signals_for_viewer(viewer=user)[:20])
    # Outreach queue and caseload table with trends and flags (fixed query count).
    today = clinician_today(
        viewer=user,
        show=request.GET.get("show", ""),
        scope=request.GET.get("scope", ""),
        query=request.GET.get("q", "").strip(),
    )
    return {
        "template": "outreach/dashboard_clinician.html",
        "signals": signals,
        "today": today,
        # Whose information the section shows: the dashboard audits one look per person.
        "shown_people": [s.person_id for s in signals]
        + [t.person_id for t in today.queue]
        + [row.person.pk for row in today.rows],
    }
