import pytest

from hearth.api.services import api_token_create


@pytest.fixture
def token_for(db):
    """token_for(user, *scopes) -> (ApiToken, Authorization header kwargs for the test client)."""

    def _token_for(user, *scopes, days=30):
        token, raw = api_token_create(actor=user, name="test", scopes=list(scopes), expires_in_days=days)
        return token, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _token_for
