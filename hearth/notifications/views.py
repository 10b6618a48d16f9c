import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.programs.models import MFA_REQUIRED_ROLES, STAFF_ROLES
from hearth.programs.selectors import role_names_of

from . import permissions  # noqa: F401  (registers the rules)
from .forms import PreferencesForm
from .kinds import GROUPS
from .models import Channel, DeliveryStatus
from .selectors import deliveries_for_program_admin, notifications_for_recipient, push_subscriptions_for_person
from .services import (
    channel_choices_for,
    notifications_mark_read,
    preferences_update,
    push_subscription_delete,
    push_subscription_save,
    settings_for,
)
from .transports import TRANSPORTS


@login_required
def notification_list(request):
    page = Paginator(notifications_for_recipient(viewer=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_mark_all_read(request):
    notifications_mark_read(actor=request.user)
    return redirect("notification_list")


def _groups_for(user) -> list[str]:
    """Staff-only groups (safety alerts, staff tasks) are shown to staff and mentors only."""
    roles = role_names_of(user)
    staff = bool(roles & (set(STAFF_ROLES) | set(MFA_REQUIRED_ROLES)))
    return [g for g in GROUPS if staff or g not in ("safety", "work")]


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    person = request.user
    channels = [c for c, t in TRANSPORTS.items() if t.configured()]
    prefs = settings_for(person)
    initial = {
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
        "sms_number": prefs.sms_number,
        "checkin_reminder_time": prefs.checkin_reminder_time,
    }
    form_options = {"groups": _groups_for(person), "channels": channels, "choices": channel_choices_for(person)}
    if request.method == "POST":
        form = PreferencesForm(request.POST, initial=initial, **form_options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                preferences_update(
                    actor=person,
                    choices=form.chosen(),
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                    sms_number=data.get("sms_number", prefs.sms_number) or "",
                    checkin_reminder_time=data.get("checkin_reminder_time", prefs.checkin_reminder_time),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notification_preferences")
    else:
        form = PreferencesForm(initial=initial, **form_options)
    context = {
        "form": form,
        "channels": [Channel(c) for c in channels],
        "push_configured": "push" in channels,
        "vapid_public_key": settings.WEBPUSH_VAPID_PUBLIC_KEY,
        "subscriptions": push_subscriptions_for_person(viewer=person),
        "time_zone": person.time_zone,
    }
    return render(request, "notifications/preferences.html", context)


def _json_body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


@login_required
@require_POST
def push_subscription_create(request):
    body = _json_body(request)
    if body is None:
        return JsonResponse({"error": "bad_json", "message": _("Send the subscription as a JSON object.")}, status=400)
    try:
        push_subscription_save(actor=request.user, subscription=body, user_agent=request.headers.get("User-Agent", ""))
    except ValidationError as exc:
        return JsonResponse({"error": "invalid_subscription", "message": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def push_subscription_remove(request):
    body = _json_body(request)
    endpoint = body.get("endpoint") if body else request.POST.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return JsonResponse({"error": "bad_request", "message": _("Say which subscription to remove.")}, status=400)
    push_subscription_delete(actor=request.user, endpoint=endpoint)
    if body is None:
        messages.success(request, _("Alerts are off on that browser."))
        return redirect("notification_preferences")
    return JsonResponse({"ok": True})


@permission_required("notifications.view_delivery_log")
def delivery_log(request):
    status = request.GET.get("status") or None
    if status not in DeliveryStatus.values:
        status = None
    deliveries = deliveries_for_program_admin(viewer=request.user, status=status)
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status or "", "statuses": DeliveryStatus.choices}
    return render(request, "notifications/delivery_log.html", context)
