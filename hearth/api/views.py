"""The page where a person makes, lists and revokes their personal access tokens; the installable
app's manifest, service worker and offline page; and where the device sends a check-in it kept
while offline."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from hearth.checkins.forms import CheckInForm
from hearth.core.decorators import permission_required
from hearth.core.forms import apply_validation_error
from hearth.core.offline import OFFLINE_HEADER, keep_offline
from hearth.programs.selectors import programs_for_admin

from .forms import ApiTokenForm, IntegrationClientForm
from .selectors import (
    api_token_for_viewer,
    api_tokens_for_viewer,
    integration_client_for_admin,
    integration_clients_for_admin,
)
from .services import (
    IdempotencyConflict,
    api_token_create,
    api_token_revoke,
    checkin_submit_once,
    integration_client_create,
    integration_client_revoke,
)


@never_cache
@login_required
def token_list(request):
    raw = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            form = ApiTokenForm()
    tokens = api_tokens_for_viewer(viewer=request.user)
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "new_token": raw,
            "tokens": tokens,
            "openapi_url": reverse("api_v1:openapi-json"),
            "docs_url": reverse("api_v1:openapi-view"),
            "may_add_clients": request.user.has_perm("programs.administer"),
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = api_token_for_viewer(viewer=request.user, token_id=token_id)
    api_token_revoke(actor=request.user, token=token)
    message = _("The token “%(name)s” was revoked. Anything using it stops working now.")
    messages.success(request, message % {"name": token.name})
    return redirect("api:token_list")


@never_cache
@permission_required("programs.administer")
def client_list(request):
    """A program admin's integrations: make one (its id and secret shown once), list, revoke."""
    programs = list(programs_for_admin(viewer=request.user))
    form = IntegrationClientForm(request.POST or None, programs=programs)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = integration_client_create(
                actor=request.user,
                program_id=data["program"],
                name=data["name"],
                scopes=data["scopes"],
                expires_in_days=data["expires_in_days"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            created = {"client_id": client.client_id, "secret": secret, "name": client.name}
            form = IntegrationClientForm(programs=programs)
    return render(
        request,
        "api/client_list.html",
        {
            "form": form,
            "created": created,
            "clients": integration_clients_for_admin(viewer=request.user),
            "token_url": request.build_absolute_uri(reverse("api_v1:oauth_token")),
            "docs_url": reverse("api_v1:openapi-view"),
        },
    )


@require_POST
@permission_required("programs.administer")
def client_revoke(request, client_pk: int):
    client = integration_client_for_admin(viewer=request.user, client_pk=client_pk)
    integration_client_revoke(actor=request.user, client=client)
    message = _("The integration “%(name)s” was revoked. Its access tokens stop working now.")
    messages.success(request, message % {"name": client.name})
    return redirect("api:client_list")


def web_manifest(request):
    """The installable app's manifest. Its name on the home screen is only "Hearth": nothing on the
    device says what kind of service it is."""
    icons = [
        {"src": static("img/hearth-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("img/hearth-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("img/hearth.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    manifest = {
        "id": "/",
        "name": "Hearth",
        "short_name": "Hearth",
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbf8f4",
        "theme_color": "#8a3b12",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json", headers={"Vary": "Accept-Language, Cookie"})


# --- the installable app ------------------------------------------------------------------

WORKBOX_MODULES = ("core", "routing", "strategies", "precaching", "expiration")
# The app shell: kept on the device at install so that every page, and the offline page, has
# its styles, scripts and icons without a connection.
APP_SHELL = (
    "css/hearth.css",
    "js/shell.js",
    "api/offline.js",
    "vendor/htmx/htmx.min.js",
    "checkins/checkins.css",
    "img/hearth.svg",
    "img/hearth-192.png",
    "img/hearth-512.png",
)
WORKER_SCRIPTS = ("vendor/workbox/workbox-sw.js", "api/sw.js", "notifications/push-handlers.js")


def _file_digest(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} is missing (node_modules not installed?)")
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


def _service_worker_source(language: str) -> str:
    """The worker: its settings, then Workbox and the app's handlers from staticfiles. The text
    changes whenever a shell file, a worker script or the language changes, so browsers install
    the new worker (and re-fetch the offline page in the person's language)."""
    digests = {path: _file_digest(path) for path in (*APP_SHELL, *WORKER_SCRIPTS)}
    offline_url = reverse("api:offline")
    config = {
        "modules": {f"workbox-{m}": static(f"vendor/workbox/workbox-{m}.prod.js") for m in WORKBOX_MODULES},
        "precache": [{"url": static(path), "revision": digests[path]} for path in APP_SHELL],
        "offlineUrl": offline_url,
        "manifestUrl": reverse("api:manifest"),
        "offlineHeader": OFFLINE_HEADER,
        "staticUrl": settings.STATIC_URL,
        "version": hashlib.sha256(json.dumps([digests, language]).encode()).hexdigest()[:16],
    }
    scripts = ", ".join(json.dumps(static(path)) for path in WORKER_SCRIPTS)
    return (
        "// Hearth's service worker, made by hearth.api.views.service_worker.\n"
        f"self.HEARTH_SW = {json.dumps(config, sort_keys=True)};\n"
        f"importScripts({scripts});\n"
    )


_WORKER_CACHE: dict[str, str] = {}


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """The one service worker (app shell, offline pages, web push), served from the site root so
    that its scope covers every page."""
    language = get_language()
    source = _WORKER_CACHE.get(language)
    if source is None:
        source = _service_worker_source(language)
        if not settings.DEBUG:  # in development a changed file must show up at once
            _WORKER_CACHE[language] = source
    response = HttpResponse(source, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Vary"] = "Accept-Language, Cookie"
    return response


@require_GET
@never_cache
def offline(request):
    """What a page that is not kept on the device shows without a connection: crisis lines,
    the way to the person's own safety plan, and check-ins waiting to be sent."""
    # Kept by the service worker (like the crisis page) so that it is there without a connection.
    return keep_offline(render(request, "api/offline.html"))


def _json_error(status: int, code: str, detail) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail}, status=status)


@require_POST
def checkin_send(request):
    """A check-in the device kept while offline, sent once the connection is back. The body is the
    check-in form's fields; the Idempotency-Key header makes a resend return the same check-in."""
    user = request.user
    if not user.is_authenticated:
        return _json_error(401, "unauthorized", _("Sign in again to send your check-in."))
    key = request.headers.get("Idempotency-Key", "")
    if not 8 <= len(key) <= 100 or not key.isascii():
        return _json_error(400, "invalid_key", _("This check-in has no valid idempotency key."))
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _json_error(422, "invalid", {f: [str(m) for m in ms] for f, ms in form.errors.items()})
    data = form.cleaned_data
    fields = {
        "local_date": data["local_date"],
        "mood": data["mood"],
        "craving": data["craving"],
        "sleep_hours": data["sleep_hours"],
        "sleep_quality": data["sleep_quality"],
        "used": data["used"] == "yes",
        "used_what": data["used_what"],
        "triggers": data["triggers"],
        "trigger_other": data["trigger_other"],
        "connections": data["connections"],
        "note": data["note"],
        "expected_version": data["version"],
    }
    body = json.dumps({"source": "offline-form", **fields}, sort_keys=True, default=str).encode()
    try:
        checkin, replayed = checkin_submit_once(actor=user, key=key, body=body, **fields)
    except IdempotencyConflict:
        return _json_error(409, "idempotency_conflict", _("This check-in was already sent with other answers."))
    except PermissionDenied as exc:
        return _json_error(403, "forbidden", str(exc) or _("You cannot check in."))
    except ValidationError as exc:
        return _json_error(422, "invalid", exc.messages)
    payload = {"id": checkin.pk, "local_date": checkin.local_date.isoformat(), "replayed": replayed}
    return JsonResponse(payload, status=200 if replayed else 201)
