"""The page where a person makes, lists and revokes their personal access tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hearth.core.forms import apply_validation_error

from .forms import ApiTokenForm
from .selectors import api_token_for_viewer, api_tokens_for_viewer
from .services import api_token_create, api_token_revoke


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
