import datetime
import json

import pytest
from django.utils import timezone

from hearth.api.models import ApiToken, IdempotencyKey
from hearth.api.services import api_token_revoke
from hearth.audit.models import AuditEntry
from hearth.checkins.models import CheckIn

pytestmark = pytest.mark.django_db

CHECKIN = {"mood": 6, "craving": 2, "sleep_hours": 7.5, "sleep_quality": "good", "triggers": ["stress"]}


def _today_body(person, **extra):
    from hearth.checkins.services import local_today

    return {"local_date": local_today(person).isoformat(), **CHECKIN, **extra}


def test_token_is_stored_as_sha256_only(world, token_for):
    token, headers = token_for(world.participant, "read:checkins")
    raw = headers["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    assert raw not in token.token_hash and len(token.token_hash) == 64
    assert not ApiToken.objects.filter(token_hash=raw).exists()


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_missing_or_wrong_token_answers_401_json(client, world, header):
    kwargs = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/api/v1/checkins", **kwargs)
    assert response.status_code == 401
    assert response.json()["error"] in {"unauthorized", "invalid_token"}
    assert "WWW-Authenticate" in response


def test_session_alone_is_not_enough(client, world):
    client.force_login(world.participant)
    assert client.get("/api/v1/me").status_code == 401


def test_expired_token_answers_401(client, world, token_for):
    token, headers = token_for(world.participant, "read:checkins")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/checkins", **headers)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token", "detail": "The token has expired."}


def test_revoked_token_answers_401(client, world, token_for):
    token, headers = token_for(world.participant, "read:checkins")
    api_token_revoke(actor=world.participant, token=token)
    response = client.get("/api/v1/checkins", **headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "The token was revoked."


def test_out_of_scope_answers_403_and_discloses_nothing(client, world, token_for):
    _token, headers = token_for(world.participant, "read:schedule")
    response = client.get("/api/v1/checkins", **headers)
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert "items" not in response.json()
    assert AuditEntry.objects.filter(action="api.request.denied", actor=world.participant).exists()


def test_me_and_last_used(client, world, token_for):
    token, headers = token_for(world.participant, "read:schedule")
    response = client.get("/api/v1/me", **headers)
    assert response.status_code == 200
    assert response.json()["id"] == world.participant.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEntry.objects.filter(action="api.me.called", actor=world.participant).count() == 1


def test_checkin_create_is_idempotent(client, world, token_for):
    _token, headers = token_for(world.participant, "write:checkins", "read:checkins")
    body = json.dumps(_today_body(world.participant))
    first = client.post(
        "/api/v1/checkins", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-123456", **headers
    )
    assert first.status_code == 201, first.content
    again = client.post(
        "/api/v1/checkins", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-123456", **headers
    )
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.filter(person=world.participant).count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert AuditEntry.objects.filter(action="checkins.checkin.submitted").count() == 1
    listed = client.get("/api/v1/checkins", **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["mood"] == 6


def test_same_key_other_body_is_refused(client, world, token_for):
    _token, headers = token_for(world.participant, "write:checkins")
    url = "/api/v1/checkins"
    client.post(
        url, _today_body(world.participant), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k" * 10, **headers
    )
    other = client.post(
        url,
        _today_body(world.participant, mood=2),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k" * 10,
        **headers,
    )
    assert other.status_code == 409
    assert CheckIn.objects.get(person=world.participant).mood == 6


def test_checkin_without_idempotency_key_is_422(client, world, token_for):
    _token, headers = token_for(world.participant, "write:checkins")
    body = _today_body(world.participant)
    response = client.post("/api/v1/checkins", body, content_type="application/json", **headers)
    assert response.status_code == 422
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[]", '{"mood": "six"}', ""])
def test_malformed_json_is_422(client, world, token_for, body):
    _token, headers = token_for(world.participant, "write:checkins")
    response = client.post(
        "/api/v1/checkins", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-abcdefgh", **headers
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"] == "invalid_request"
    assert not CheckIn.objects.exists()


def test_service_validation_is_422_and_changes_nothing(client, world, token_for):
    _token, headers = token_for(world.participant, "write:checkins")
    response = client.post(
        "/api/v1/checkins",
        _today_body(world.participant, mood=99),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-abcdefgh",
        **headers,
    )
    assert response.status_code == 422
    assert "mood" in response.json()["detail"]
    assert not CheckIn.objects.exists() and not IdempotencyKey.objects.exists()


def test_non_participant_cannot_check_in(client, world, token_for):
    _token, headers = token_for(world.clinician, "write:checkins")
    response = client.post(
        "/api/v1/checkins",
        _today_body(world.clinician),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-abcdefgh",
        **headers,
    )
    assert response.status_code == 403


@pytest.mark.parametrize("query", ["limit=100000", "limit=0", "offset=-1", "limit=abc"])
def test_huge_or_bad_pages_are_422(client, world, token_for, query):
    _token, headers = token_for(world.participant, "read:checkins")
    response = client.get(f"/api/v1/checkins?{query}", **headers)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


def test_schedule_reads_the_viewers_sessions(client, world, token_for):
    _token, headers = token_for(world.participant, "read:schedule")
    response = client.get("/api/v1/schedule?days=7&limit=5", **headers)
    assert response.status_code == 200
    assert response.json()["limit"] == 5
    for query in ("days=1000", "start=9999-12-31", "start=0001-01-01", "start=soon"):
        assert client.get(f"/api/v1/schedule?{query}", **headers).status_code == 422, query


def test_caseload_for_clinician_and_refused_to_participant(client, world, token_for):
    _token, headers = token_for(world.clinician, "read:caseload")
    response = client.get("/api/v1/caseload", **headers)
    assert response.status_code == 200
    ids = [row["person_id"] for row in response.json()["items"]]
    assert world.participant.pk in ids and world.other_participant.pk not in ids
    entry = AuditEntry.objects.get(action="api.caseload.called", subject=world.participant)
    assert entry.actor == world.clinician
    _token, headers = token_for(world.participant, "read:caseload")
    assert client.get("/api/v1/caseload", **headers).status_code == 403
    _token, headers = token_for(world.other_clinician, "read:caseload")
    other = client.get("/api/v1/caseload", **headers).json()
    assert world.participant.pk not in [row["person_id"] for row in other["items"]]


def test_rate_limit_answers_429(client, world, token_for, settings):
    settings.API_RATE_LIMIT = 2
    _token, headers = token_for(world.participant, "read:schedule")
    assert client.get("/api/v1/me", **headers).status_code == 200
    assert client.get("/api/v1/me", **headers).status_code == 200
    response = client.get("/api/v1/me", **headers)
    assert response.status_code == 429
    assert response["Retry-After"]


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/checkins", "/api/v1/schedule", "/api/v1/caseload"} <= set(paths)


def test_docs_page_loads_nothing_from_outside(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/ninja/swagger-ui-bundle" in html
