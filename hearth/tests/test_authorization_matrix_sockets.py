"""Every websocket route × every persona answers as its app's tests/access.py says (apart from
the HTTP matrix: these run in real transactions, the consumer reads from its own thread)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from hearth.config.asgi import application
from hearth.config.routing import websocket_urlpatterns
from hearth.tests.authz import PERSONAS
from hearth.tests.test_authorization_matrix import _classifications

WEBSOCKET_RULES: dict[str, dict] = _classifications("WEBSOCKET_ACCESS")


def test_every_websocket_route_is_classified():
    names = [route.name for route in websocket_urlpatterns]
    assert None not in names, "name every websocket route so it can be classified"
    unclassified = [name for name in names if name not in WEBSOCKET_RULES]
    assert not unclassified, f"Classify these websocket routes in their app's tests/access.py: {unclassified}"
    assert not [name for name in WEBSOCKET_RULES if name not in names], "stale websocket classifications"


SIGNED_IN_SOCKETS = sorted(name for name, rule in WEBSOCKET_RULES.items() if rule.get("connect") == "signed_in")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route_name", SIGNED_IN_SOCKETS)
async def test_websocket_access(everyone, route_name, persona):
    """Sockets open to anyone signed in: every signed-in persona connects, anonymous is refused."""
    route = next(r for r in websocket_urlpatterns if r.name == route_name)
    user = everyone.personas()[persona]
    headers = [(b"origin", b"http://localhost")]
    if user is not None:
        headers.append((b"cookie", (await sync_to_async(_session_cookie)(user)).encode()))
    communicator = WebsocketCommunicator(application, "/" + str(route.pattern), headers=headers)
    connected, _code = await communicator.connect(timeout=10)
    assert connected == (user is not None), f"{route_name} as {persona}"
    await communicator.disconnect()


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
