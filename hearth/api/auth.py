"""Bearer authentication with personal access tokens and integration clients' access tokens. The
token's person (for a client, its service account) becomes request.user, so every endpoint reads
through the same viewer-scoped selectors as the pages."""

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer

from hearth.core.rate_limit import allow

from .selectors import api_token_for_raw
from .services import api_token_touch


class ApiError(Exception):
    """Answered as ``{"error": code, "detail": ...}`` with ``status``."""

    def __init__(self, status: int, code: str, detail: str, headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = api_token_for_raw(token)
        if api_token is None:
            raise ApiError(401, "invalid_token", "The token is not valid.")
        if api_token.revoked_at is not None:
            raise ApiError(401, "invalid_token", "The token was revoked.")
        if api_token.expires_at <= timezone.now():
            raise ApiError(401, "invalid_token", "The token has expired.")
        if not api_token.person.is_active:
            raise ApiError(401, "invalid_token", "The token is not valid.")
        if api_token.client is not None and not api_token.client.is_active():
            raise ApiError(401, "invalid_token", "The integration client was revoked or has expired.")
        window = settings.API_RATE_LIMIT_WINDOW
        if not allow("api.token", api_token.pk, limit=settings.API_RATE_LIMIT, window=window):
            raise ApiError(429, "rate_limited", "Too many requests; try again shortly.", {"Retry-After": str(window)})
        api_token_touch(token=api_token)
        request.user = api_token.person
        request.api_token = api_token
        return api_token
