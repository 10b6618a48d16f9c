"""The REST API (django-ninja) under /api/v1/. Every endpoint: a token scope, one selector or
service with the token's person as viewer, one audit entry ``api.<endpoint>.called``."""

import base64
import binascii
import datetime
import hashlib
import json
import re
from typing import Literal
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Form, Header, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from pydantic import Field

from hearth.audit.services import audit_record, audit_record_many
from hearth.checkins.selectors import checkins_for_viewer
from hearth.core.rate_limit import allow
from hearth.notifications.selectors import notifications_for_recipient
from hearth.outreach.selectors import clinician_today
from hearth.scheduling.selectors import attendance_in_care_of, occurrence_for_viewer, occurrences_for_viewer
from hearth.scheduling.services import rsvp_cancel, rsvp_create

from .auth import ApiError, TokenAuth
from .fhir import FHIR_BASE_PATH, patient_everything_json, person_for_export
from .models import BulkExport, Scope
from .selectors import bulk_export_file_for_viewer, bulk_export_for_viewer
from .services import (
    ACCESS_TOKEN_SECONDS,
    EXPORT_TYPES,
    ExportBusy,
    IdempotencyConflict,
    OAuthError,
    bulk_export_cancel,
    bulk_export_start,
    checkin_submit_once,
    oauth_token_issue,
)

MAX_LIMIT = 100
MAX_SCHEDULE_DAYS = 62

api = NinjaAPI(
    title="Hearth API",
    version="1",
    description="Personal access tokens, or an integration client's access token from "
    "`POST /api/v1/oauth/token` (client credentials), sent as Bearer; scopes; every call is audited.",
    auth=TokenAuth(),
    urls_namespace="api_v1",
    # Swagger UI from the ninja package's own static files (ninja is in INSTALLED_APPS), never a CDN.
    docs=Swagger(settings={"validatorUrl": None}),
)


def _error(request, status: int, code: str, detail, headers: dict | None = None):
    response = api.create_response(request, {"error": code, "detail": detail}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _audit_denied(request, status: int):
    token = getattr(request, "api_token", None)
    if token is not None:
        audit_record(
            actor=token.person,
            action="api.request.denied",
            data={"path": request.path[:200], "status": status, "token": token.pk},
        )


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    if exc.status in (403, 404):
        _audit_denied(request, exc.status)
    return _error(request, exc.status, exc.code, exc.detail, headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(
        request,
        401,
        "unauthorized",
        "Send a personal access token: Authorization: Bearer <token>.",
        {"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:
        # ninja's answer to a body that is not JSON; the same 422 as any other malformed input.
        return _error(request, 422, "invalid_request", "The request body is not valid JSON.")
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return _error(request, 422, "invalid_request", exc.errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    _audit_denied(request, 404)
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    _audit_denied(request, 403)
    return _error(request, 403, "forbidden", str(exc) or "Not allowed.")


@api.exception_handler(DjangoValidationError)
def _service_invalid(request, exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "invalid", detail)


def require_scope(request, scope: str) -> None:
    if scope not in request.auth.scopes:
        raise ApiError(403, "insufficient_scope", f"This token does not have the {scope} scope.")


def _caller(request) -> dict:
    """Which token made the call and, for an integration, which client (audit data)."""
    token = request.auth
    return {"token": token.pk, "client": token.client_id} if token.client_id else {"token": token.pk}


def called(request, endpoint: str, *, subject=None, data: dict | None = None) -> None:
    audit_record(
        actor=request.user,
        action=f"api.{endpoint}.called",
        subject=subject,
        data={**_caller(request), **(data or {})},
    )


class Page(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=1_000_000)


class ErrorOut(Schema):
    error: str
    detail: str | dict | list


# --- me ----------------------------------------------------------------------------------------


class MeOut(Schema):
    id: int
    display_name: str
    scopes: list[str]
    token_expires_at: datetime.datetime


@api.get("/me", response={200: MeOut, 401: ErrorOut}, url_name="me", summary="Who this token acts for")
def me(request):
    called(request, "me")
    return {
        "id": request.user.pk,
        "display_name": request.user.display_name,
        "scopes": request.auth.scopes,
        "token_expires_at": request.auth.expires_at,
    }


# --- schedule ----------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    title: str
    kind: str
    program: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    cancelled: bool
    my_rsvp: str | None
    my_attendance: str | None


class SchedulePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SessionOut]


class ScheduleQuery(Page):
    # Bounded so that start + days can never overflow a datetime.
    start: datetime.date | None = Field(
        None,
        ge=datetime.date(2000, 1, 1),
        le=datetime.date(2100, 12, 31),
        description="First day (UTC); today if left out.",
    )
    days: int = Field(14, ge=1, le=MAX_SCHEDULE_DAYS)


@api.get(
    "/schedule",
    response={200: SchedulePage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="schedule",
    summary="My sessions (scope read:schedule)",
)
def schedule(request, q: Query[ScheduleQuery]):
    require_scope(request, Scope.READ_SCHEDULE)
    start_day = q.start or timezone.now().date()
    start = datetime.datetime.combine(start_day, datetime.time.min, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(days=q.days)
    sessions = occurrences_for_viewer(viewer=request.user, start=start, end=end)
    count = sessions.count()
    items = [
        {
            "id": o.pk,
            "title": o.title,
            "kind": o.kind,
            "program": o.program.name,
            "starts_at": o.starts_at,
            "ends_at": o.ends_at,
            "cancelled": o.cancelled_at is not None,
            "my_rsvp": o.my_rsvp_status,
            "my_attendance": o.my_attendance_status,
        }
        for o in sessions[q.offset : q.offset + q.limit]
    ]
    called(request, "schedule", subject=request.user, data={"count": len(items)})
    return {"count": count, "limit": q.limit, "offset": q.offset, "items": items}


class RsvpIn(Schema):
    going: bool
    join_waitlist: bool = True


class RsvpOut(Schema):
    session: int
    status: str
    waitlist_position: int | None


@api.post(
    "/schedule/{session_id}/rsvp",
    response={200: RsvpOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="rsvp",
    summary="Reply to one of my sessions: going or not (scope write:schedule)",
    description="Going to a full session puts me on its wait-list unless join_waitlist is false.",
)
def rsvp(request, session_id: int, payload: RsvpIn):
    require_scope(request, Scope.WRITE_SCHEDULE)
    occurrence = occurrence_for_viewer(viewer=request.user, occurrence_id=session_id)
    if payload.going:
        reply = rsvp_create(actor=request.user, occurrence=occurrence, join_waitlist=payload.join_waitlist)
    else:
        reply = rsvp_cancel(actor=request.user, occurrence=occurrence)
    called(request, "rsvp", subject=request.user, data={"session": occurrence.pk, "status": reply.status})
    return {"session": occurrence.pk, "status": reply.status, "waitlist_position": reply.waitlist_position}


# --- notifications -----------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    urgent: bool
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NotificationOut]


@api.get(
    "/notifications",
    response={200: NotificationPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="notifications",
    summary="My notifications, newest first (scope read:notifications)",
)
def notification_list(request, q: Query[Page]):
    require_scope(request, Scope.READ_NOTIFICATIONS)
    notifications = notifications_for_recipient(viewer=request.user).order_by("-created_at", "-pk")
    count = notifications.count()
    items = [
        {
            "id": n.pk,
            "kind": n.kind,
            "title": n.title,
            "url": n.url,
            "urgent": n.urgent,
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in notifications[q.offset : q.offset + q.limit]
    ]
    called(request, "notifications", subject=request.user, data={"count": len(items)})
    return {"count": count, "limit": q.limit, "offset": q.offset, "items": items}


# --- check-ins ---------------------------------------------------------------------------------


class CheckInOut(Schema):
    id: int
    local_date: datetime.date
    mood: int
    craving: int
    sleep_hours: float
    sleep_quality: str
    used: bool
    triggers: list[str]
    connections: list[str]
    note: str
    version: int
    submitted_at: datetime.datetime


class CheckInPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CheckInOut]


class CheckInIn(Schema):
    local_date: datetime.date
    mood: int
    craving: int
    sleep_hours: float
    sleep_quality: str
    used: bool = False
    used_what: str = Field("", max_length=500)
    triggers: list[str] = Field(default_factory=list, max_length=20)
    connections: list[str] = Field(default_factory=list, max_length=10)
    note: str = Field("", max_length=4000)


def _checkin_out(c) -> dict:
    return {
        "id": c.pk,
        "local_date": c.local_date,
        "mood": c.mood,
        "craving": c.craving,
        "sleep_hours": float(c.sleep_hours),
        "sleep_quality": c.sleep_quality,
        "used": c.used,
        "triggers": c.triggers,
        "connections": c.connections,
        "note": c.note,
        "version": c.version,
        "submitted_at": c.submitted_at,
    }


@api.get(
    "/checkins",
    response={200: CheckInPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="checkins",
    summary="My check-ins, newest first (scope read:checkins)",
)
def checkin_list(request, q: Query[Page]):
    require_scope(request, Scope.READ_CHECKINS)
    checkins = checkins_for_viewer(viewer=request.user, person=request.user)
    count = checkins.count()
    items = [_checkin_out(c) for c in checkins[q.offset : q.offset + q.limit]]
    called(request, "checkins_list", subject=request.user, data={"count": len(items)})
    return {"count": count, "limit": q.limit, "offset": q.offset, "items": items}


@api.post(
    "/checkins",
    response={200: CheckInOut, 201: CheckInOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    url_name="checkins",
    summary="Send today's check-in (scope write:checkins); Idempotency-Key makes a retry safe",
    description="A request sent again with the same Idempotency-Key answers 200 with the check-in the "
    "first one made, and changes nothing; the same key with a different body answers 409.",
)
def checkin_create(
    request,
    payload: CheckInIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8, max_length=100),
):
    require_scope(request, Scope.WRITE_CHECKINS)
    try:
        checkin, replayed = checkin_submit_once(
            actor=request.user,
            key=idempotency_key,
            body=json.dumps(payload.dict(), sort_keys=True, default=str).encode(),
            **payload.dict(),
        )
    except IdempotencyConflict:
        detail = "This Idempotency-Key was used with a different check-in."
        raise ApiError(409, "idempotency_conflict", detail) from None
    called(request, "checkins_create", subject=request.user, data={"replayed": replayed, "checkin": checkin.pk})
    return Status(200 if replayed else 201, _checkin_out(checkin))


# --- caseload ----------------------------------------------------------------------------------


class CaseloadRowOut(Schema):
    person_id: int
    display_name: str
    last_checkin: datetime.date | None
    week_minutes: int
    target_minutes: int
    open_flags: int


class CaseloadPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseloadRowOut]


class CaseloadQuery(Page):
    scope: Literal["mine", "program"] = Field(
        "mine", description="mine: the people whose primary clinician I am; program: everyone in my programs."
    )


@api.get(
    "/caseload",
    response={200: CaseloadPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="caseload",
    summary="My caseload summary, clinicians and admins (scope read:caseload)",
    description="An integration client is nobody's primary clinician: it asks for scope=program.",
)
def caseload(request, q: Query[CaseloadQuery]):
    require_scope(request, Scope.READ_CASELOAD)
    if not request.user.has_perm("programs.view_caseload"):
        raise PermissionDenied("Only clinicians and program admins have a caseload.")
    rows = clinician_today(viewer=request.user, scope="program" if q.scope == "program" else "").rows
    page = rows[q.offset : q.offset + q.limit]
    audit_record_many(
        actor=request.user,
        action="api.caseload.called",
        subjects=[row.person for row in page],
        data={**_caller(request), "count": len(page)},
    )
    return {
        "count": len(rows),
        "limit": q.limit,
        "offset": q.offset,
        "items": [
            {
                "person_id": row.person.pk,
                "display_name": row.person.display_name,
                "last_checkin": row.last_checkin,
                "week_minutes": row.week_minutes,
                "target_minutes": row.target_minutes,
                "open_flags": len(row.flags),
            }
            for row in page
        ],
    }


# --- attendance export -------------------------------------------------------------------------


class AttendanceOut(Schema):
    session: int
    title: str
    program: str
    starts_at: datetime.datetime
    person_id: int
    display_name: str
    status: str
    minutes: int


class AttendancePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AttendanceOut]


class AttendanceQuery(Page):
    start: datetime.date = Field(..., ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 12, 31))
    days: int = Field(7, ge=1, le=MAX_SCHEDULE_DAYS)


@api.get(
    "/attendance",
    response={200: AttendancePage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="attendance",
    summary="Attendance of the people in my care, by session (scope read:attendance; clinicians and admins)",
    description="Each person on the page is a subject of the call's audit entry (their “who viewed my record”).",
)
def attendance_export(request, q: Query[AttendanceQuery]):
    require_scope(request, Scope.READ_ATTENDANCE)
    if not request.user.has_perm("programs.view_caseload"):
        raise PermissionDenied("Only clinicians and program admins export attendance.")
    start = datetime.datetime.combine(q.start, datetime.time.min, tzinfo=datetime.UTC)
    records = attendance_in_care_of(viewer=request.user, start=start, end=start + datetime.timedelta(days=q.days))
    count = records.count()
    page = list(records[q.offset : q.offset + q.limit])
    audit_record_many(
        actor=request.user,
        action="api.attendance.called",
        subjects=[a.person for a in page],
        data={**_caller(request), "count": len(page)},
    )
    return {
        "count": count,
        "limit": q.limit,
        "offset": q.offset,
        "items": [
            {
                "session": a.occurrence_id,
                "title": a.occurrence.title,
                "program": a.occurrence.program.name,
                "starts_at": a.occurrence.starts_at,
                "person_id": a.person_id,
                "display_name": a.person.display_name,
                "status": a.status,
                "minutes": a.minutes,
            }
            for a in page
        ],
    }


# --- FHIR --------------------------------------------------------------------------------------


@api.get(
    "/fhir/Patient/{person_id}/$everything",
    response={200: dict, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="fhir_patient_everything",
    summary="One participant's record as a FHIR R4 Bundle (scope read:fhir; the person or their care team)",
    description="Every resource is labelled SUD / R (42 CFR Part 2). The export is a disclosure: it is "
    "audited with the participant as subject and listed in their “who viewed my record”.",
)
def fhir_patient_everything(request, person_id: str):
    require_scope(request, Scope.READ_FHIR)
    person = person_for_export(viewer=request.user, person_id=person_id)
    body, counts = patient_everything_json(
        viewer=request.user, person=person, base_url=request.build_absolute_uri(FHIR_BASE_PATH)
    )
    called(request, "fhir_patient_everything", subject=person, data={"resources": counts})
    response = HttpResponse(body, content_type="application/fhir+json")
    response["Cache-Control"] = "private, no-store"
    return response


# --- OAuth 2.0 client credentials (RFC 6749 §4.4) ----------------------------------------------


class TokenForm(Schema):
    # All optional here: a missing field is RFC 6749's 400 invalid_request, not a 422.
    grant_type: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_in: int
    scope: str


class OAuthErrorOut(Schema):
    error: str
    error_description: str


def _basic_credentials(request) -> tuple[str | None, str | None] | None:
    """(client_id, client_secret) from ``Authorization: Basic`` (RFC 6749 §2.3.1), None if not sent."""
    header = request.headers.get("Authorization", "")
    if not header[:6].lower() == "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return (None, None)
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else (None, None)


def _oauth_response(request, status: int, body: dict, *, basic: bool = False) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="hearth"' if basic else 'Bearer realm="hearth"'
    return response


@api.post(
    "/oauth/token",
    auth=None,
    response={200: TokenOut, 400: OAuthErrorOut, 401: OAuthErrorOut, 429: OAuthErrorOut},
    url_name="oauth_token",
    summary="An integration client's access token (OAuth 2.0 client credentials grant)",
    description="Form body `grant_type=client_credentials`, the client's id and secret in HTTP Basic or "
    f"as `client_id`/`client_secret`, optional `scope` (space-separated). The access token lasts "
    f"{ACCESS_TOKEN_SECONDS} seconds; send it as Bearer. Errors follow RFC 6749 §5.2.",
)
def oauth_token(request, form: Form[TokenForm]):
    basic = _basic_credentials(request)
    client_id, client_secret = basic if basic is not None else (form.client_id, form.client_secret)
    window = settings.API_RATE_LIMIT_WINDOW
    # Per client id (hashed: it is whatever the caller sent), so a guessed secret cannot be tried fast.
    rate_key = hashlib.sha256((client_id or "")[:200].encode()).hexdigest()[:32]
    if not allow("api.oauth_token", rate_key, limit=settings.API_RATE_LIMIT, window=window):
        response = _oauth_response(request, 429, {"error": "slow_down", "error_description": "Too many requests."})
        response["Retry-After"] = str(window)
        return response
    try:
        token, raw = oauth_token_issue(
            grant_type=form.grant_type, client_id=client_id, client_secret=client_secret, scope=form.scope
        )
    except OAuthError as exc:
        body = {"error": exc.code, "error_description": exc.description}
        return _oauth_response(request, exc.status, body, basic=basic is not None)
    expires_in = max(0, int((token.expires_at - timezone.now()).total_seconds()))
    body = {"access_token": raw, "token_type": "Bearer", "expires_in": expires_in, "scope": " ".join(token.scopes)}
    return _oauth_response(request, 200, body)


# --- FHIR Bulk Data export ---------------------------------------------------------------------

_PROGRAM_ID = re.compile(r"^[0-9]{1,12}$")
RETRY_AFTER_SECONDS = 5


class ExportQuery(Schema):
    type: str | None = Field(
        None, alias="_type", max_length=400, description="Comma-separated resource types; every type if left out."
    )
    output_format: str | None = Field(
        None, alias="_outputFormat", max_length=60, description="application/fhir+ndjson (the only one)."
    )


class ExportOutputOut(Schema):
    type: str
    url: str
    count: int


class ExportManifestOut(Schema):
    transactionTime: datetime.datetime
    request: str
    requiresAccessToken: bool
    output: list[ExportOutputOut]
    error: list[ExportOutputOut]


NDJSON_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}


@api.get(
    "/fhir/Group/{program_id}/$export",
    response={202: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    url_name="fhir_group_export",
    summary="Start a FHIR Bulk Data export of a program I work in (scope read:fhir; Prefer: respond-async)",
    description="Answers 202 with the status URL in Content-Location. The job reads each participant's "
    "record as Patient/$everything does for me; each participant is audited and sees the export under "
    "“who viewed my record”. Files last 24 hours.",
)
def fhir_group_export(
    request,
    program_id: str,
    q: Query[ExportQuery],
    prefer: str = Header("", alias="Prefer", max_length=200),
):
    require_scope(request, Scope.READ_FHIR)
    if "respond-async" not in prefer.lower():
        raise ApiError(400, "invalid_request", "Send Prefer: respond-async (the export runs in the background).")
    if q.output_format is not None and q.output_format not in NDJSON_FORMATS:
        raise ApiError(400, "invalid_request", "Only application/fhir+ndjson is produced.")
    if not _PROGRAM_ID.match(program_id):
        raise Http404
    types = [t.strip() for t in (q.type or "").split(",") if t.strip()]
    if any(t not in EXPORT_TYPES for t in types):
        raise ApiError(400, "invalid_request", "Exported types: " + ", ".join(EXPORT_TYPES))
    try:
        export = bulk_export_start(
            actor=request.user, program_id=int(program_id), types=types, request_url=request.build_absolute_uri()
        )
    except ExportBusy:
        detail = "An export of yours is still running: wait for it or cancel it (DELETE its status URL)."
        raise ApiError(429, "export_running", detail, {"Retry-After": str(RETRY_AFTER_SECONDS)}) from None
    called(request, "fhir_group_export", data={"export": str(export.pk), "program": export.program_id})
    response = HttpResponse(status=202)
    response["Content-Location"] = request.build_absolute_uri(
        reverse("api_v1:fhir_export_status", kwargs={"export_id": export.pk})
    )
    return response


def _export_for(request, export_id: str) -> BulkExport:
    return bulk_export_for_viewer(viewer=request.user, export_id=export_id)


@api.get(
    "/fhir/$export-status/{export_id}",
    response={200: ExportManifestOut, 202: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 500: ErrorOut},
    url_name="fhir_export_status",
    summary="The state of my bulk export: 202 with X-Progress while it runs, then its manifest (scope read:fhir)",
)
def fhir_export_status(request, export_id: str):
    require_scope(request, Scope.READ_FHIR)
    export = _export_for(request, export_id)
    called(request, "fhir_export_status", data={"export": str(export.pk), "status": export.status})
    if export.status in (BulkExport.Status.QUEUED, BulkExport.Status.RUNNING):
        response = HttpResponse(status=202)
        response["X-Progress"] = f"{export.progress}% ({export.status})"
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if export.status == BulkExport.Status.CANCELLED:
        raise Http404
    if export.status == BulkExport.Status.FAILED:
        return _error(request, 500, "export_failed", "The export failed; start a new one.")
    files = export.files.order_by("resource_type").only("pk", "resource_type", "count")
    manifest = {
        "transactionTime": export.transaction_time,
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": f.resource_type,
                "url": request.build_absolute_uri(reverse("api_v1:fhir_export_file", kwargs={"file_id": f.pk})),
                "count": f.count,
            }
            for f in files
        ],
        "error": [],
    }
    response = api.create_response(request, manifest, status=200)
    response["Cache-Control"] = "private, no-store"
    return response


@api.delete(
    "/fhir/$export-status/{export_id}",
    response={202: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="fhir_export_status",
    summary="Cancel my bulk export and delete its files (scope read:fhir)",
)
def fhir_export_cancel(request, export_id: str):
    require_scope(request, Scope.READ_FHIR)
    export = _export_for(request, export_id)
    if export.status == BulkExport.Status.CANCELLED:
        raise Http404
    bulk_export_cancel(actor=request.user, export=export)
    called(request, "fhir_export_cancel", data={"export": str(export.pk)})
    return HttpResponse(status=202)


@api.get(
    "/fhir/$export-file/{file_id}",
    response={200: str, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="fhir_export_file",
    summary="One NDJSON file of my finished bulk export (scope read:fhir)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "One FHIR resource per line",
                "content": {"application/fhir+ndjson": {"schema": {"type": "string"}}},
            }
        }
    },
)
def fhir_export_file(request, file_id: str):
    require_scope(request, Scope.READ_FHIR)
    export_file = bulk_export_file_for_viewer(viewer=request.user, file_id=file_id)
    called(
        request,
        "fhir_export_file",
        data={"export": str(export_file.export_id), "type": export_file.resource_type, "count": export_file.count},
    )
    response = HttpResponse(export_file.content, content_type="application/fhir+ndjson")
    response["Cache-Control"] = "private, no-store"
    return response
