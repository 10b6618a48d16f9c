from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from hearth.accounts.dashboard import admin_section
from hearth.accounts.services import profile_update
from hearth.consent.dashboard import family_section, participant_section
from hearth.notifications.selectors import notifications_for_recipient
from hearth.outreach.dashboard import clinician_section
from hearth.programs.permissions import is_mentor
from hearth.toolkit.dashboard import clinician_homework_section, participant_toolkit_section


def mentor_section(request) -> dict | None:
    return {"template": "home/dashboard_mentor.html"} if is_mentor(request.user) else None


# Each app provides its section (a function of the request that returns the template and its
# context, or None when the person does not hold that role); this list only orders them,
# most clinical first.
DASHBOARD_SECTIONS = [
    admin_section,
    clinician_section,
    clinician_homework_section,
    mentor_section,
    family_section,
    participant_toolkit_section,
    participant_section,
]


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("account_login")


@login_required
def dashboard(request):
    """One page per person: a section for each role they hold."""
    sections = [section for provide in DASHBOARD_SECTIONS if (section := provide(request)) is not None]
    notifications = list(notifications_for_recipient(viewer=request.user)[:5])
    return render(request, "home/dashboard.html", {"sections": sections, "notifications": notifications})


def crisis(request):
    return render(request, "home/crisis.html")


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "alive"})


@require_GET
@never_cache
def readyz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure, by class only
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        layer = get_channel_layer()
        async_to_sync(layer.group_send)("readyz.probe", {"type": "readyz.probe"})
        checks["channel_layer"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["channel_layer"] = f"error: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


@require_POST
def switch_language(request):
    """Django's set_language (cookie), and for a signed-in person also their profile's language."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile_update(actor=request.user, user=request.user, language=language)
    return set_language(request)
