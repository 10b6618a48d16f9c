"""Every write of the API app: tokens made, used and revoked; check-ins sent exactly once."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record
from hearth.checkins.selectors import checkins_for_viewer
from hearth.checkins.services import checkin_submit

from .models import ApiToken, IdempotencyKey, Scope

TOKEN_PREFIX = "hth_"
EXPIRY_DAYS = (7, 30, 90, 365)
NAME_MAX = 80


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, actor, name: str, scopes, expires_in_days: int) -> tuple[ApiToken, str]:
    """A new token and its only plain-text copy (shown once, never stored)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    name = (name or "").strip()
    scopes = sorted(set(scopes or ()))
    errors = {}
    if not name or len(name) > NAME_MAX:
        errors["name"] = _("Give the token a name of up to 80 characters.")
    if not scopes or any(s not in Scope.values for s in scopes):
        errors["scopes"] = _("Choose at least one permission from the list.")
    if expires_in_days not in EXPIRY_DAYS:
        errors["expires_in_days"] = _("Choose when the token expires.")
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=actor,
            name=name,
            token_hash=hash_token(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 4],
            scopes=scopes,
            created_at=now,
            expires_at=now + datetime.timedelta(days=expires_in_days),
        )
        audit_record(
            actor=actor,
            action="api.token.created",
            subject=actor,
            obj=token,
            data={"scopes": scopes, "expires_in_days": expires_in_days},
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if actor is None or token.person_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api.token.revoked", subject=actor, obj=token)
    return token


def api_token_touch(*, token: ApiToken, now=None) -> None:
    """Record the last use; at most once a minute, so a busy integration does not write on every call."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class IdempotencyConflict(Exception):
    """The key was used before with a different request."""


def checkin_submit_once(*, actor, key: str, body: bytes, **fields):
    """``checkin_submit`` at most once per (person, key): a replay returns the first check-in and
    ``replayed=True``; the same key with another body raises IdempotencyConflict."""
    request_hash = hashlib.sha256(body).hexdigest()
    previous = IdempotencyKey.objects.filter(person=actor, endpoint="checkins.create", key=key).first()
    if previous is not None:
        if previous.request_hash != request_hash:
            raise IdempotencyConflict
        return checkins_for_viewer(viewer=actor, person=actor).get(pk=previous.object_id), True
    try:
        with transaction.atomic():
            checkin = checkin_submit(actor=actor, person=actor, **fields)
            IdempotencyKey.objects.create(
                person=actor, endpoint="checkins.create", key=key, request_hash=request_hash, object_id=checkin.pk
            )
    except IntegrityError:
        # Two requests with one key at the same moment: the other one won; answer with its result.
        return checkin_submit_once(actor=actor, key=key, body=body, **fields)
    return checkin, False
