"""Integration clients: made by a program admin, exchanged at the token endpoint (RFC 6749 §4.4)
for an hour's access token that reads as the client's service account."""

import base64
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.api.models import ApiToken, IntegrationClient
from hearth.api.services import integration_client_create, integration_client_revoke
from hearth.audit.models import AuditEntry
from hearth.audit.selectors import disclosures_for_subject
from hearth.programs.models import Membership, Role

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/oauth/token"


def _client(world, scopes=("read:caseload", "read:fhir"), days=90):
    return integration_client_create(
        actor=world.admin, program_id=world.program.pk, name="County EHR", scopes=list(scopes), expires_in_days=days
    )


def _exchange(client, client_id, secret, **extra):
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **extra}
    return client.post(TOKEN_URL, data)


def _bearer(client, world, **kwargs):
    integration, secret = _client(world, **kwargs)
    response = _exchange(client, integration.client_id, secret)
    assert response.status_code == 200, response.content
    return integration, {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}


def test_admin_makes_a_client_on_the_page_and_sees_the_secret_once(client, world):
    client.force_login(world.admin)
    url = reverse("api:client_list")
    data = {"program": world.program.pk, "name": "County EHR", "scopes": ["read:fhir"], "expires_in_days": 90}
    response = client.post(url, data)
    assert response.status_code == 200
    integration = IntegrationClient.objects.get()
    page = response.content.decode()
    secret = page.split('id="new-client-secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("hcs_") and integration.client_id in page
    assert secret not in integration.secret_hash and len(integration.secret_hash) == 64
    assert secret not in client.get(url).content.decode()  # shown once
    account = integration.service_account
    assert not account.has_usable_password() and account.email.endswith(".invalid")
    assert Membership.objects.get(user=account, ended_at__isnull=True).role == Role.CLINICIAN
    assert AuditEntry.objects.filter(action="api.client.created", actor=world.admin).exists()


def test_page_refuses_bad_input_and_other_programs(client, world):
    client.force_login(world.admin)
    url = reverse("api:client_list")
    bad = {"program": world.other_program.pk, "name": "", "scopes": ["write:checkins"], "expires_in_days": 7}
    response = client.post(url, bad)
    assert response.status_code == 200 and not IntegrationClient.objects.exists()
    form = response.context["form"]
    assert {"program", "name", "scopes", "expires_in_days"} <= set(form.errors)
    client.force_login(world.clinician)
    assert client.get(url).status_code == 403


def test_token_endpoint_form_body_and_basic(client, world):
    integration, secret = _client(world)
    response = _exchange(client, integration.client_id, secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and 3500 < body["expires_in"] <= 3600
    assert body["scope"] == "read:caseload read:fhir"
    assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache"
    basic = base64.b64encode(f"{integration.client_id}:{secret}".encode()).decode()
    response = client.post(
        TOKEN_URL, {"grant_type": "client_credentials", "scope": "read:fhir"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200 and response.json()["scope"] == "read:fhir"
    token = ApiToken.objects.get(token_hash__isnull=False, client=integration, scopes=["read:fhir"])
    assert token.person == integration.service_account
    integration.refresh_from_db()
    assert integration.last_used_at is not None
    assert AuditEntry.objects.filter(action="api.client.token_issued", actor=integration.service_account).count() == 2


@pytest.mark.parametrize(
    "change, status, error",
    [
        ({"client_secret": "hcs_wrong"}, 401, "invalid_client"),
        ({"client_id": "hcl_nobody"}, 401, "invalid_client"),
        ({"client_id": "x" * 500}, 401, "invalid_client"),
        ({"client_secret": ""}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": ""}, 400, "invalid_request"),
        ({"scope": "read:attendance"}, 400, "invalid_scope"),
        ({"scope": "read:fhir write:checkins"}, 400, "invalid_scope"),
    ],
)
def test_token_endpoint_refuses_bad_input(client, world, change, status, error):
    integration, secret = _client(world)
    data = {"grant_type": "client_credentials", "client_id": integration.client_id, "client_secret": secret}
    response = client.post(TOKEN_URL, {**data, **change})
    assert response.status_code == status, response.content
    assert response.json()["error"] == error and response.json()["error_description"]
    assert not ApiToken.objects.filter(client=integration).exists()


def test_token_endpoint_refuses_json_and_bad_basic(client, world):
    integration, secret = _client(world)
    body = {"grant_type": "client_credentials", "client_id": integration.client_id, "client_secret": secret}
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
    response = client.post(TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION="Basic !!!")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert response["WWW-Authenticate"].startswith("Basic")


def test_revoked_and_expired_clients(client, world):
    integration, secret = _client(world)
    access = _exchange(client, integration.client_id, secret).json()["access_token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"}
    assert client.get("/api/v1/me", **headers).status_code == 200
    client.force_login(world.admin)
    response = client.post(reverse("api:client_revoke", args=[integration.pk]))
    assert response.status_code == 302
    assert client.get("/api/v1/me", **headers).status_code == 401
    response = _exchange(client, integration.client_id, secret)
    assert response.status_code == 401 and "revoked" in response.json()["error_description"]
    account = integration.service_account
    account.refresh_from_db()
    assert not account.is_active and not Membership.objects.filter(user=account, ended_at__isnull=True).exists()
    other, other_secret = _client(world)
    IntegrationClient.objects.filter(pk=other.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _exchange(client, other.client_id, other_secret)
    assert response.status_code == 401 and "expired" in response.json()["error_description"]


def test_revoke_is_the_program_admins(client, world):
    integration, _secret = _client(world)
    client.force_login(world.other_clinician)
    assert client.post(reverse("api:client_revoke", args=[integration.pk])).status_code == 403
    with pytest.raises(Exception):  # noqa: B017 - Http404 from the admin-scoped selector
        integration_client_revoke(actor=world.clinician, client=integration)
    integration.refresh_from_db()
    assert integration.revoked_at is None


def test_client_reads_through_the_same_selectors_and_is_audited(client, world):
    integration, headers = _bearer(client, world)
    response = client.get("/api/v1/caseload?scope=program", **headers)
    assert response.status_code == 200, response.content
    people = {row["person_id"] for row in response.json()["items"]}
    assert people == {world.participant.pk, world.other_participant.pk}
    # Nobody's primary clinician: its own caseload is empty.
    assert client.get("/api/v1/caseload", **headers).json()["count"] == 0
    response = client.get(f"/api/v1/fhir/Patient/{world.participant.pk}/$everything", **headers)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="api.fhir_patient_everything.called")
    assert entry.actor == integration.service_account and entry.data["client"] == integration.pk
    assert entry in disclosures_for_subject(viewer=world.participant)
    assert "County EHR" in entry.actor.display_name


def test_client_sees_nobody_outside_its_program_nor_beyond_its_scopes(client, world):
    from hearth.tests.factories import UserFactory, grant_role

    outsider = UserFactory(display_name="Elsewhere")
    grant_role(outsider, world.other_program, Role.PARTICIPANT)
    _integration, headers = _bearer(client, world, scopes=("read:fhir",))
    response = client.get(f"/api/v1/fhir/Patient/{outsider.pk}/$everything", **headers)
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    response = client.get("/api/v1/caseload?scope=program", **headers)
    assert response.status_code == 403 and response.json()["error"] == "insufficient_scope"


def test_client_runs_a_bulk_export_of_its_program_only(client, world, django_capture_on_commit_callbacks):
    integration, headers = _bearer(client, world, scopes=("read:fhir",))
    prefer = {"HTTP_PREFER": "respond-async"}
    assert client.get(f"/api/v1/fhir/Group/{world.other_program.pk}/$export", **headers, **prefer).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/api/v1/fhir/Group/{world.program.pk}/$export", **headers, **prefer)
    assert response.status_code == 202
    manifest = client.get(response["Content-Location"].split("testserver", 1)[1], **headers).json()
    assert {o["type"] for o in manifest["output"]} >= {"Patient", "Organization"}
    entries = AuditEntry.objects.filter(action="api.fhir_bulk_export.called")
    assert {e.subject_id for e in entries} == {world.participant.pk, world.other_participant.pk}
    assert {e.actor_id for e in entries} == {integration.service_account_id}
