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

from hearth.accounts.selectors import invitations_for_viewer
from hearth.accounts.services import profile_update
from hearth.consent.selectors import consents_for_participant, consents_received
from hearth.notifications.selectors import notifications_for_recipient
from hearth.outreach.selectors import clinician_today
from hearth.programs.permissions import is_clinician, is_family, is_mentor, is_participant, is_program_admin
from hearth.programs.selectors import memberships_for_program_admin, programs_for_viewer
from hearth.safety.selectors import open_signals_for_viewer


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("account_login")


@login_required
def dashboard(request):
    """One page per person: a section for each role they hold, most clinical first."""
    user = request.user
    sections = []
    if is_program_admin(user):
        memberships = list(memberships_for_program_admin(viewer=user))
        sections.append(
            {
                "template": "core/dashboard/admin.html",
                "programs": list(programs_for_viewer(viewer=user)),
                "counts": _role_counts(memberships),
                "pending_invitations": list(
                    invitations_for_viewer(viewer=user).filter(accepted_at__isnull=True, revoked_at__isnull=True)[:5]
                ),
            }
        )
    if is_clinician(user):
        sections.append(
            {
                "template": "core/dashboard/clinician.html",
                "signals": list(open_signals_for_viewer(viewer=user)[:20]),
                # Outreach queue and caseload table with trends and flags (fixed query count).
                "today": clinician_today(
                    viewer=user,
                    show=request.GET.get("show", ""),
                    scope=request.GET.get("scope", ""),
                    query=request.GET.get("q", "").strip(),
                ),
            }
        )
    if is_mentor(user):
        sections.append({"template": "core/dashboard/mentor.html"})
    if is_family(user):
        sections.append({"template": "core/dashboard/family.html", "received": list(consents_received(viewer=user))})
    if is_participant(user):
        sections.append(
            {
                "template": "core/dashboard/participant.html",
                "consents": list(consents_for_participant(viewer=user).filter(revoked_at__isnull=True)[:5]),
            }
        )
    notifications = list(notifications_for_recipient(viewer=user)[:5])
    return render(request, "core/dashboard.html", {"sections": sections, "notifications": notifications})


def _role_counts(memberships) -> dict[str, int]:
    counts: dict[str, int] = {}
    for membership in memberships:
        counts[membership.role] = counts.get(membership.role, 0) + 1
    return counts


def crisis(request):
    return render(request, "core/crisis.html")


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
