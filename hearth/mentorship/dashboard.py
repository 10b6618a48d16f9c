"""The mentor's section of the home dashboard: proposals to answer, then the mentees of the day."""

import datetime

from django.utils import timezone

from hearth.programs.permissions import is_mentor

from .selectors import OVERDUE_DAYS, mentees_for_mentor, profile_for_mentor, proposals_for_viewer


def mentor_section(request) -> dict | None:
    user = request.user
    if not is_mentor(user):
        return None
    return {
        "template": "mentorship/dashboard_mentor.html",
        "mentees": list(mentees_for_mentor(viewer=user)),
        "proposals": list(proposals_for_viewer(viewer=user)),
        "profile": profile_for_mentor(viewer=user),
        "overdue_before": timezone.now() - datetime.timedelta(days=OVERDUE_DAYS),
    }
