"""Every write of the API app: tokens made, used and revoked; integration clients and their
access tokens; check-ins sent exactly once."""

import datetime
import hashlib
import hmac
import json
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.audit.services import audit_record, audit_record_many
from hearth.checkins.selectors import checkins_for_viewer
from hearth.checkins.services import checkin_submit
from hearth.programs.selectors import participant_memberships_for_staff, program_for_admin, program_for_staff_member
from hearth.programs.services import integration_role_add, staff_end

from .fhir import record_resources, validated
from .models import ApiToken, BulkExport, BulkExportFile, IdempotencyKey, IntegrationClient, Scope

TOKEN_PREFIX = "hth_"
EXPIRY_DAYS = (7, 30, 90, 365)
NAME_MAX = 80


CLIENT_ID_PREFIX = "hcl_"
CLIENT_SECRET_PREFIX = "hcs_"
# What an integration may be granted: the program-level reads. Nothing that writes.
CLIENT_SCOPES = (Scope.READ_CASELOAD, Scope.READ_ATTENDANCE, Scope.READ_FHIR)
CLIENT_EXPIRY_DAYS = (30, 90, 365)
ACCESS_TOKEN_SECONDS = 3600


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


# --- integration clients (OAuth 2.0 client credentials, RFC 6749 §4.4) ---------------------------


def integration_client_create(
    *, actor, program_id, name: str, scopes, expires_in_days: int
) -> tuple[IntegrationClient, str]:
    """A client of a program the actor administers, its service account (a clinician role there) and
    the secret's only plain-text copy."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    program = program_for_admin(viewer=actor, program_id=program_id)
    name = (name or "").strip()
    scopes = sorted(set(scopes or ()))
    errors = {}
    if not name or len(name) > NAME_MAX:
        errors["name"] = _("Give the integration a name of up to 80 characters.")
    if not scopes or any(s not in CLIENT_SCOPES for s in scopes):
        errors["scopes"] = _("Choose at least one permission from the list.")
    if expires_in_days not in CLIENT_EXPIRY_DAYS:
        errors["expires_in_days"] = _("Choose when the integration expires.")
    if errors:
        raise ValidationError(errors)
    client_id = CLIENT_ID_PREFIX + secrets.token_hex(10)
    secret = CLIENT_SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # A person row nobody can sign in as (no usable password; ".invalid" never receives mail).
        account = get_user_model().objects.create_user(
            email=f"{client_id}@integrations.invalid",
            password=None,
            display_name=(_("%(name)s (integration)") % {"name": name[:44]})[:60],
        )
        integration_role_add(actor=actor, program=program, user=account)
        client = IntegrationClient.objects.create(
            program=program,
            name=name,
            client_id=client_id,
            secret_hash=hash_token(secret),
            scopes=scopes,
            service_account=account,
            created_by=actor,
            created_at=now,
            expires_at=now + datetime.timedelta(days=expires_in_days),
        )
        audit_record(
            actor=actor,
            action="api.client.created",
            obj=client,
            program=program.pk,
            data={"scopes": scopes, "expires_in_days": expires_in_days, "service_account": account.pk},
        )
    return client, secret


def integration_client_revoke(*, actor, client: IntegrationClient) -> IntegrationClient:
    """Ends the client, its access tokens, its service account's role and the account itself."""
    program_for_admin(viewer=actor, program_id=client.program_id)
    if client.revoked_at is not None:
        return client
    now = timezone.now()
    with transaction.atomic():
        client.revoked_at = now
        client.save(update_fields=["revoked_at"])
        ApiToken.objects.filter(client=client, revoked_at__isnull=True).update(revoked_at=now)
        account = client.service_account
        for membership in account.memberships.filter(ended_at__isnull=True).select_related("program"):
            staff_end(actor=actor, membership=membership)
        account.is_active = False
        account.save(update_fields=["is_active"])
        audit_record(actor=actor, action="api.client.revoked", obj=client, program=client.program_id)
    return client


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: ``{"error": code, "error_description": ...}`` with ``status``."""

    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description


def oauth_token_issue(
    *, grant_type: str | None, client_id: str | None, client_secret: str | None, scope: str | None
) -> tuple[ApiToken, str]:
    """A bearer access token for the client's service account, valid ACCESS_TOKEN_SECONDS (never
    past the client's own expiry), with the scopes asked for (all the client's when none are)."""
    if not grant_type:
        raise OAuthError(400, "invalid_request", "grant_type is required.")
    if grant_type != "client_credentials":
        raise OAuthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.")
    if not client_id or not client_secret:
        raise OAuthError(401, "invalid_client", "Send client_id and client_secret (HTTP Basic or the form body).")
    client = (
        IntegrationClient.objects.select_related("service_account").filter(client_id=client_id[:40]).first()
        if len(client_id) <= 40
        else None
    )
    # Compare digests in constant time even when the client does not exist.
    expected = client.secret_hash if client is not None else hash_token(secrets.token_hex(16))
    if client is None or not hmac.compare_digest(expected, hash_token(client_secret[:200])):
        raise OAuthError(401, "invalid_client", "Unknown client or wrong secret.")
    now = timezone.now()
    if client.revoked_at is not None:
        raise OAuthError(401, "invalid_client", "This client was revoked.")
    if client.expires_at <= now:
        raise OAuthError(401, "invalid_client", "This client has expired.")
    if not client.service_account.is_active:
        raise OAuthError(401, "invalid_client", "This client was revoked.")
    asked = sorted(set((scope or "").split())) or list(client.scopes)
    if any(s not in client.scopes for s in asked):
        raise OAuthError(
            400,
            "invalid_scope",
            "The client was not granted: " + " ".join(s[:40] for s in asked if s not in client.scopes)[:300],
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=client.service_account,
            client=client,
            name=client.name,
            token_hash=hash_token(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 4],
            scopes=asked,
            created_at=now,
            expires_at=min(now + datetime.timedelta(seconds=ACCESS_TOKEN_SECONDS), client.expires_at),
        )
        IntegrationClient.objects.filter(pk=client.pk).update(last_used_at=now)
        audit_record(
            actor=client.service_account,
            action="api.client.token_issued",
            obj=client,
            program=client.program_id,
            data={"client": client.pk, "scopes": asked, "token": token.pk},
        )
    return token, raw


def access_tokens_expired_delete(*, now=None) -> int:
    """Client access tokens live an hour; their rows go a day after they stop working (the audit
    entries that name them stay)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=1)
    deleted, _rows = ApiToken.objects.filter(client__isnull=False, expires_at__lt=cutoff).delete()
    return deleted


# --- FHIR Bulk Data export ---------------------------------------------------------------------

EXPORT_TYPES = (
    "Patient",
    "Practitioner",
    "Organization",
    "Appointment",
    "Encounter",
    "QuestionnaireResponse",
    "Observation",
    "CarePlan",
    "Goal",
    "Consent",
    "Flag",
)
EXPORT_HOURS = 24


class ExportBusy(Exception):
    """The person already has an export queued or running (one at a time: each reads a whole program)."""


def bulk_export_start(*, actor, program_id: int, types=(), request_url: str) -> BulkExport:
    """A queued export of every participant of a program the actor works in; the job starts once
    this is committed."""
    program = program_for_staff_member(viewer=actor, program_id=program_id)
    running = (BulkExport.Status.QUEUED, BulkExport.Status.RUNNING)
    if BulkExport.objects.filter(requested_by=actor, status__in=running, expires_at__gt=timezone.now()).exists():
        raise ExportBusy
    types = sorted(set(types or ()))
    unknown = [t for t in types if t not in EXPORT_TYPES]
    if unknown:
        raise ValidationError(
            {
                "_type": _("These resource types are not exported: %(types)s")
                % {"types": ", ".join(t[:40] for t in unknown[:5])}
            }
        )
    now = timezone.now()
    with transaction.atomic():
        export = BulkExport.objects.create(
            requested_by=actor,
            program=program,
            types=types,
            request_url=request_url[:500],
            transaction_time=now,
            expires_at=now + datetime.timedelta(hours=EXPORT_HOURS),
        )
        audit_record(
            actor=actor, action="api.bulk_export.requested", obj=export, program=program.pk, data={"types": types}
        )
        export_id = str(export.pk)
        for runner in _EXPORT_RUNNERS:
            transaction.on_commit(lambda runner=runner: runner(export_id))
    return export


# The job that runs an export, registered by ApiConfig.ready (tasks import this module).
_EXPORT_RUNNERS: list = []


def on_bulk_export_requested(runner) -> None:
    if runner not in _EXPORT_RUNNERS:
        _EXPORT_RUNNERS.append(runner)


def _still_running(export_id) -> bool:
    return BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.RUNNING).exists()


def bulk_export_run(*, export_id) -> BulkExport | None:
    """The job: each participant's record read with the requester's scope (as Patient/$everything),
    one NDJSON file per resource type, every resource validated as R4B. Stops if cancelled; each
    participant exported is a subject of one ``api.fhir_bulk_export.called`` entry."""
    claimed = BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.QUEUED).update(
        status=BulkExport.Status.RUNNING
    )
    if not claimed:
        return None  # cancelled, or already run (a retried job)
    export = BulkExport.objects.select_related("requested_by", "program").get(pk=export_id)
    viewer = export.requested_by
    try:
        # The requester's scope now, not when they asked: a role that ended exports nobody.
        memberships = list(participant_memberships_for_staff(viewer=viewer, program=export.program))
    except Http404:
        memberships = []
    people = [m.user for m in memberships] if viewer.is_active else []
    lines: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    wanted = set(export.types or EXPORT_TYPES)
    for index, person in enumerate(people):
        for data in record_resources(viewer=viewer, person=person):
            kind = data["resourceType"]
            if kind not in wanted or (kind, data["id"]) in seen:
                continue
            seen.add((kind, data["id"]))
            validated(data)  # R4B-valid, then written as it is (already FHIR JSON)
            lines.setdefault(kind, []).append(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        progress = int(100 * (index + 1) / len(people))
        if progress != export.progress:
            export.progress = progress
            if not BulkExport.objects.filter(pk=export.pk, status=BulkExport.Status.RUNNING).update(progress=progress):
                return None  # cancelled meanwhile
    with transaction.atomic():
        if not _still_running(export.pk):
            return None
        BulkExportFile.objects.bulk_create(
            [
                BulkExportFile(export=export, resource_type=kind, count=len(rows), content="\n".join(rows) + "\n")
                for kind, rows in sorted(lines.items())
            ]
        )
        export.status = BulkExport.Status.DONE
        export.progress = 100
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "progress", "finished_at"])
        audit_record_many(
            actor=viewer,
            action="api.fhir_bulk_export.called",
            subjects=people,
            obj=export,
            program=export.program_id,
            data={"export": str(export.pk), "resources": {k: len(v) for k, v in lines.items()}},
        )
    return export


def bulk_export_fail(*, export_id) -> None:
    BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.RUNNING).update(
        status=BulkExport.Status.FAILED, finished_at=timezone.now()
    )


def bulk_export_cancel(*, actor, export: BulkExport) -> None:
    """DELETE on the status URL: the job stops and its files are gone."""
    if export.requested_by_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.CANCELLED, finished_at=timezone.now())
        export.files.all().delete()
        audit_record(actor=actor, action="api.bulk_export.cancelled", obj=export, program=export.program_id)


def bulk_exports_expired_delete(*, now=None) -> int:
    deleted, _rows = BulkExport.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
