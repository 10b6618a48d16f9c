import pytest
from django.urls import reverse

from hearth.api.models import ApiToken
from hearth.api.services import hash_token
from hearth.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_create_shows_the_token_once_and_stores_only_its_hash(world, client_for):
    client = client_for(world.participant)
    url = reverse("api:token_list")
    response = client.post(url, {"name": "My phone", "scopes": ["read:checkins"], "expires_in_days": "30"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("hth_") and raw in response.content.decode()
    token = ApiToken.objects.get(person=world.participant)
    assert token.token_hash == hash_token(raw) and token.scopes == ["read:checkins"]
    assert AuditEntry.objects.filter(action="api.token.created", actor=world.participant).exists()
    again = client.get(url)
    assert raw not in again.content.decode()
    assert "My phone" in again.content.decode()
    assert again["Cache-Control"].startswith("max-age=0") or "no-cache" in again["Cache-Control"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["read:checkins"], "expires_in_days": "30"},
        {"name": "x", "scopes": ["admin:everything"], "expires_in_days": "30"},
        {"name": "x", "scopes": ["read:checkins"], "expires_in_days": "10000"},
        {"name": "x", "expires_in_days": "30"},
    ],
)
def test_bad_form_makes_no_token(world, client_for, data):
    response = client_for(world.participant).post(reverse("api:token_list"), data)
    assert response.status_code == 200
    assert response.context["new_token"] is None
    assert not ApiToken.objects.exists()


def test_revoke_own_token_and_not_someone_elses(world, client_for, token_for):
    token, headers = token_for(world.participant, "read:checkins")
    other = client_for(world.other_participant).post(reverse("api:token_revoke", args=[token.pk]))
    assert other.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client = client_for(world.participant)
    response = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api.token.revoked", actor=world.participant).count() == 1
    client.logout()
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_list_shows_only_own_tokens(world, client_for, token_for):
    token_for(world.other_participant, "read:schedule")
    response = client_for(world.participant).get(reverse("api:token_list"))
    assert list(response.context["tokens"]) == []


def test_manifest_is_installable_and_local(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Hearth" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert all(icon["src"].startswith("/static/") for icon in manifest["icons"])


def test_every_page_links_the_manifest(world, client_for):
    html = client_for(world.participant).get(reverse("api:token_list")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_the_token_page_is_reached_from_profile_and_settings(world, client_for):
    page = client_for(world.participant).get(reverse("profile")).content.decode()
    assert f'href="{reverse("api:token_list")}"' in page and "Apps connected to your account" in page
