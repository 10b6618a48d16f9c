from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hearth.accounts.selectors import has_second_factor
from hearth.programs.permissions import is_clinician, is_family, is_participant, is_program_admin, needs_mfa
from hearth.programs.selectors import programs_for_viewer


def _navigation(user) -> list[dict]:
    items = [{"url": reverse("dashboard"), "label": _("Home"), "name": "dashboard"}]
    if is_clinician(user) or is_program_admin(user):
        items.append({"url": reverse("people_list"), "label": _("People"), "name": "people_list"})
        items.append({"url": reverse("outreach:queue"), "label": _("Outreach"), "name": "queue"})
    if is_program_admin(user):
        items.append({"url": reverse("invitation_list"), "label": _("Invitations"), "name": "invitation_list"})
        items.append({"url": reverse("audit_search"), "label": _("Audit log"), "name": "audit_search"})
    if is_participant(user):
        items.append({"url": reverse("checkins:checkin"), "label": _("Check in"), "name": "checkin"})
        items.append({"url": reverse("checkins:progress"), "label": _("My progress"), "name": "progress"})
        items.append({"url": reverse("consent_list"), "label": _("Sharing"), "name": "consent_list"})
        items.append({"url": reverse("my_disclosures"), "label": _("Who viewed my record"), "name": "my_disclosures"})
    if is_family(user):
        items.append({"url": reverse("family_shared"), "label": _("Shared with me"), "name": "family_shared"})
    items.append({"url": reverse("notification_list"), "label": _("Notifications"), "name": "notification_list"})
    items.append({"url": reverse("profile"), "label": _("Profile and settings"), "name": "profile"})
    return items


def shell(request):
    """What the page shell needs: navigation for the person's roles and the crisis numbers."""
    user = getattr(request, "user", None)
    context = {
        "crisis_lines": settings.CRISIS_LINES,
        "on_call_phone": settings.DEFAULT_ON_CALL_PHONE,
    }
    if user is not None and user.is_authenticated:
        programs = list(programs_for_viewer(viewer=user))
        on_call = next((p.on_call_phone for p in programs if p.on_call_phone), "")
        context.update(
            # Until a required second factor is set up, every page but enrolment is closed: no menu.
            nav_items=[] if needs_mfa(user) and not has_second_factor(user) else _navigation(user),
            on_call_phone=on_call or settings.DEFAULT_ON_CALL_PHONE,
            current_url_name=getattr(getattr(request, "resolver_match", None), "url_name", ""),
        )
    return context
