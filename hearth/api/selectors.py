"""Reads of a person's own API tokens."""

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken
from .services import hash_token


def api_tokens_for_viewer(*, viewer) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=viewer).order_by("-created_at")


def api_token_for_viewer(*, viewer, token_id) -> ApiToken:
    try:
        return ApiToken.objects.get(pk=token_id, person=viewer)
    except (ApiToken.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def api_token_for_raw(raw: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the caller says why it cannot be used)."""
    if not raw or len(raw) > 200:
        return None
    return ApiToken.objects.select_related("person").filter(token_hash=hash_token(raw)).first()
