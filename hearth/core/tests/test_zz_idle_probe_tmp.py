import pytest
from hearth.accounts.adapters import SESSION_LAST_SEEN

pytestmark = pytest.mark.django_db


def test_idle(world, client_for):
    c = client_for(world.participant)
    s = c.session
    s[SESSION_LAST_SEEN] = 0
    s["hearth_auth_at"] = 10**10
    s.save()
    r = c.get("/dashboard/")
    print(r.status_code, r.get("Location"))
