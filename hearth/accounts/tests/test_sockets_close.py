"""A new password, or a deactivated account, closes the person's open sockets at once (chat and
the notification badge), not at the next periodic session check."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client, override_settings
from django.urls import reverse

from hearth.config.asgi import application
from hearth.core.sockets import access_changed_publish

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "a brand new long passphrase 2026"


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}"


async def _open(path: str, cookie: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"cookie", cookie.encode()), (b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    await communicator.receive_json_from(timeout=5)  # the opening frame (hello / unread count)
    return communicator


async def _closed_with(communicator, code: int) -> bool:
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output.get("code") == code


@override_settings(SOCKET_SESSION_CHECK_SECONDS=3600)  # the periodic check cannot be what closes them
async def test_changing_the_password_elsewhere_closes_the_other_sessions_sockets(world):
    world.participant.set_password("the old long passphrase 2026")
    await sync_to_async(world.participant.save)()
    _phone, phone_cookie = await sync_to_async(_signed_in)(world.participant)
    laptop, _laptop_cookie = await sync_to_async(_signed_in)(world.participant)
    chat = await _open("/ws/chat/", phone_cookie)
    badge = await _open("/ws/notifications/", phone_cookie)

    response = await sync_to_async(laptop.post)(
        reverse("account_change_password"),
        {"oldpassword": "the old long passphrase 2026", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    assert await _closed_with(chat, 4401)
    assert await _closed_with(badge, 4401)


@override_settings(SOCKET_SESSION_CHECK_SECONDS=3600)
async def test_a_deactivated_account_loses_its_sockets(world):
    _client, cookie = await sync_to_async(_signed_in)(world.participant)
    chat = await _open("/ws/chat/", cookie)
    badge = await _open("/ws/notifications/", cookie)
    world.participant.is_active = False
    await sync_to_async(world.participant.save)(update_fields=["is_active"])
    await sync_to_async(access_changed_publish)(world.participant.pk)
    assert await _closed_with(chat, 4401)
    assert await _closed_with(badge, 4401)


@override_settings(SOCKET_SESSION_CHECK_SECONDS=3600)
async def test_an_access_event_alone_keeps_a_valid_session_open(world):
    _client, cookie = await sync_to_async(_signed_in)(world.participant)
    badge = await _open("/ws/notifications/", cookie)
    await sync_to_async(access_changed_publish)(world.participant.pk)
    assert await badge.receive_nothing(timeout=1)
    await badge.disconnect()
