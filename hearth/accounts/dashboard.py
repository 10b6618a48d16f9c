"""The program admin's section of the home dashboard: programs, people by role, open invitations."""

from hearth.programs.permissions import is_program_admin
from hearth.programs.selectors import memberships_for_program_admin, programs_for_viewer

from .selectors import invitations_for_viewer


def admin_section(request) -> dict | None:
    user = request.user
    if not is_program_admin(user):
        return None
    counts: dict[str, int] = {}
    for membership in memberships_for_program_admin(viewer=user):
        counts[membership.role] = counts.get(membership.role, 0) + 1
    pending = invitations_for_viewer(viewer=user).filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return {
        "template": "accounts/dashboard_admin.html",
        "programs": list(programs_for_viewer(viewer=user)),
        "counts": counts,
        "pending_invitations": list(pending[:5]),
    }
