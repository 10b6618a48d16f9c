from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hearth.accounts.selectors import has_second_factor
from hearth.community.selectors import is_alumnus
from hearth.programs.permissions import (
    is_clinician,
    is_family,
    is_mentor,
    is_participant,
    is_program_admin,
    needs_mfa,
)
from hearth.programs.selectors import programs_for_viewer, roles_of
from hearth.safety.selectors import own_safety_plan, plan_contacts


def _item(url_name: str, label) -> dict:
    return {"url": reverse(url_name), "label": label, "name": url_name.rpartition(":")[2]}


def _navigation(user) -> list[dict]:
    """The menu for the roles a person holds: what everyone uses first, then role pages."""
    if not roles_of(user) and is_alumnus(user):
        # Care has ended and the person kept the community: its pages, their notices and settings only.
        return [
            _item("community:group_list", _("Community")),
            _item("community:events", _("Social events")),
            _item("community:my_posts", _("My posts")),
            _item("notification_list", _("Notifications")),
            _item("profile", _("Profile and settings")),
        ]
    staff = is_clinician(user) or is_program_admin(user)
    items = [_item("dashboard", _("Home"))]
    if is_participant(user):
        items += [
            _item("checkins:checkin", _("Check in")),
            _item("toolkit:home", _("My toolkit")),
            _item("intake:home", _("Intake")),
        ]
    items += [_item("scheduling:calendar", _("Calendar")), _item("conversation_list", _("Messages"))]
    if staff or is_participant(user) or is_mentor(user) or is_family(user):
        items.append(_item("community:group_list", _("Community")))
    if staff:
        items += [
            _item("people_list", _("People")),
            _item("intake:review_list", _("Intakes")),
            _item("outreach:queue", _("Outreach")),
            _item("toolkit:assign", _("Homework")),
            _item("scheduling:series_list", _("Schedule")),
            _item("scheduling:hours_report", _("Hours report")),
            _item("mentorship:requests", _("Mentor requests")),
            _item("mentorship:supervision", _("Mentor supervision")),
            _item("reports:program_report", _("Program report")),
            _item("practice:scenes", _("Practice scenes")),
        ]
    if is_program_admin(user):
        items += [
            _item("program_list", _("Programs")),
            _item("invitation_list", _("Invitations")),
            _item("audit_search", _("Audit log")),
        ]
    if is_participant(user):
        items += [
            _item("checkins:progress", _("My progress")),
            _item("plans:mine", _("My plan")),
            _item("mentorship:mine", _("My mentor")),
            _item("practice:home", _("Practice")),
            _item("consent_list", _("Sharing")),
            _item("my_disclosures", _("Who viewed my record")),
        ]
    if is_mentor(user):
        items += [_item("mentorship:mentees", _("My mentees")), _item("mentorship:profile", _("My mentor profile"))]
    if is_participant(user):
        items.append(_item("family:my_summary", _("My progress summary")))
    if is_family(user):
        items += [
            _item("family:portal", _("Family portal")),
            _item("family_shared", _("Shared with me")),
            _item("family:course", _("Family course")),
        ]
    if is_family(user) or is_participant(user):
        items.append(_item("family:contract_home", _("Recovery contract")))
    items.append(_item("toolkit:library", _("Library")))
    items += [_item("notification_list", _("Notifications")), _item("profile", _("Profile and settings"))]
    return items


def _plan_for_panel(user):
    """The person's plan for the crisis panel, read only when a page renders the panel."""
    cache: list = []

    def read() -> dict | None:
        if not cache:
            version = own_safety_plan(viewer=user) if is_participant(user) else None
            # The panel shows the first few people to call; the plan page shows the rest.
            cache.append({"contacts": plan_contacts(version)[:3]} if version else None)
        return cache[0]

    return read


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
            my_safety_plan=_plan_for_panel(user),
            current_url_name=getattr(getattr(request, "resolver_match", None), "url_name", ""),
        )
    return context
