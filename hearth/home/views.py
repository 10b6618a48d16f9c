import json
import logging
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from hearth.accounts.dashboard import admin_section
from hearth.accounts.services import profile_update
from hearth.api.fhir import FHIR_BASE_PATH
from hearth.audit.services import audit_record_many
from hearth.community.selectors import is_alumnus
from hearth.consent.dashboard import family_section, participant_section
from hearth.core.offline import keep_offline
from hearth.core.rate_limit import allow
from hearth.family.dashboard import family_portal_section
from hearth.mentorship.dashboard import mentor_section
from hearth.notifications.selectors import notifications_for_recipient
from hearth.outreach.dashboard import clinician_section
from hearth.practice.dashboard import participant_practice_section
from hearth.programs.selectors import roles_of
from hearth.safety.selectors import own_safety_plan, plan_for_display
from hearth.toolkit.dashboard import clinician_homework_section, participant_toolkit_section

from .first_day import first_day_section
from .services import next_step_dismiss, record_export

logger = logging.getLogger(__name__)


# Each app provides its section (a function of the request that returns the template and its
# context, or None when the person does not hold that role); this list only orders them,
# most clinical first.
DASHBOARD_SECTIONS = [
    admin_section,
    clinician_section,
    clinician_homework_section,
    mentor_section,
    family_section,
    family_portal_section,
    first_day_section,
    participant_toolkit_section,
    participant_section,
    participant_practice_section,
]


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("account_login")


@login_required
@require_POST
def next_step_dismiss_view(request):
    try:
        next_step_dismiss(actor=request.user, step=request.POST.get("step", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dashboard")


@login_required
def dashboard(request):
    """One page per person: a section for each role they hold."""
    if not roles_of(request.user) and is_alumnus(request.user):
        return redirect("community:group_list")  # care has ended; the community is what they kept
    sections = [section for provide in DASHBOARD_SECTIONS if (section := provide(request)) is not None]
    shown = [pk for section in sections for pk in section.get("shown_people", ()) if pk != request.user.pk]
    if shown:
        # Legal names, mood, craving and flags: each person shown sees the look in "Who viewed my record".
        audit_record_many(actor=request.user, action="home.dashboard.viewed", subjects=shown)
    notifications = list(notifications_for_recipient(viewer=request.user)[:5])
    return render(request, "home/dashboard.html", {"sections": sections, "notifications": notifications})


def crisis(request):
    """Crisis lines for everyone; for a participant with a safety plan, their plan comes first."""
    version = own_safety_plan(viewer=request.user)
    context = {"person": request.user, "is_own": True}
    if version is not None:
        context["shown"] = plan_for_display(version=version, person=request.user)
    # Always the viewer's own page (crisis lines, their own plan): readable offline.
    return keep_offline(render(request, "home/crisis.html", context))


# A browser sends a report per blocked resource; a page full of them must not fill the logs.
CSP_REPORT_MAX_BYTES = 16 * 1024
CSP_REPORTS_PER_MINUTE = 30


@csrf_exempt  # browsers post reports without a CSRF token; the endpoint changes nothing
@require_POST
@never_cache
def csp_report(request):
    """Content-Security-Policy violation reports (``report-uri``): the legacy
    ``application/csp-report`` body and the Reporting API's ``application/reports+json`` list.
    Logged at WARNING with the directive and the blocked origin only (no query strings, which may
    carry tokens). 204 when read, 400 on junk, 413 when too large, 429 past the rate."""
    if not allow("home.csp_report", request.META.get("REMOTE_ADDR", ""), limit=CSP_REPORTS_PER_MINUTE, window=60):
        return HttpResponse(status=429)
    if len(request.body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "invalid_json"}, status=400)
    reports = _csp_reports(payload)
    if reports is None:
        return JsonResponse({"error": "not_a_csp_report"}, status=400)
    for report in reports[:10]:
        logger.warning(
            "CSP violation: %s blocked %s on %s",
            _short(
                report.get("effective-directive")
                or report.get("effectiveDirective")
                or report.get("violated-directive")
            ),
            _origin(report.get("blocked-uri") or report.get("blockedURL")),
            _origin_and_path(report.get("document-uri") or report.get("documentURL")),
        )
    return HttpResponse(status=204)


def _csp_reports(payload) -> list[dict] | None:
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        bodies = [r.get("body") for r in payload if isinstance(r, dict) and r.get("type") == "csp-violation"]
        bodies = [b for b in bodies if isinstance(b, dict)]
        return bodies or None
    return None


def _short(value) -> str:
    return str(value)[:60] if value else "?"


def _origin(value) -> str:
    """ "inline", "eval" or the scheme and host of what was blocked: never its path or query."""
    if not isinstance(value, str) or not value:
        return "?"
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}"[:100] if parts.netloc else value[:20]


def _origin_and_path(value) -> str:
    if not isinstance(value, str) or not value:
        return "?"
    parts = urlsplit(value)
    return parts.path[:100]


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


@login_required
@never_cache
def my_record(request):
    """Right of access: GET explains, POST downloads the person's own record (audited)."""
    if request.method == "POST":
        filename, content = record_export(actor=request.user, fhir_base_url=request.build_absolute_uri(FHIR_BASE_PATH))
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "home/record.html")
