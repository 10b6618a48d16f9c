import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("participant", "Your next steps"),
        ("clinician", "Your caseload"),
        ("admin", "Your programs"),
        ("mentor", "Your mentees"),
        ("family_with_consent", "Shared with you"),
    ],
)
def test_each_role_sees_its_dashboard(world, client_for, persona, expected):
    response = client_for(world.personas()[persona]).get("/dashboard/")
    assert response.status_code == 200
    assert expected in response.content.decode()
    # The crisis panel is on every page.
    assert "tel:988" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
