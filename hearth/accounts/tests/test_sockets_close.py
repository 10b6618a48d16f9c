"""A new password, or a deactivated account, closes the person's open sockets at once (chat and
the notification badge), not at the next periodic session check."""

import io

import pytest
from allauth.usersessions.models import UserSession
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from hearth.accounts.services import account_deactivate, user_sessions_end
from hearth.audit.models import AuditEntry
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
    await sync_to_async(call_command)("account_deactivate", world.participant.email, stdout=io.StringIO())
    assert await _closed_with(chat, 4401)
    assert await _closed_with(badge, 4401)
    entry = await sync_to_async(AuditEntry.objects.get)(action="accounts.account.deactivated")
    assert entry.subject_id == world.participant.pk and entry.actor_id is None
    await sync_to_async(world.participant.refresh_from_db)()
    assert world.participant.is_active is False


@override_settings(SOCKET_SESSION_CHECK_SECONDS=3600)
async def test_a_program_admin_cannot_deactivate_an_account_and_nothing_changes(world):
    _client, cookie = await sync_to_async(_signed_in)(world.participant)
    badge = await _open("/ws/notifications/", cookie)
    with pytest.raises(PermissionDenied):
        await sync_to_async(account_deactivate)(actor=world.admin, person=world.participant)
    await sync_to_async(world.participant.refresh_from_db)()
    assert world.participant.is_active is True
    assert not await sync_to_async(AuditEntry.objects.filter(action="accounts.account.deactivated").exists)()
    assert await badge.receive_nothing(timeout=0.5)
    await badge.disconnect()


@override_settings(SOCKET_SESSION_CHECK_SECONDS=3600)
async def test_ending_a_persons_sessions_closes_their_sockets_at_once(world):
    client, cookie = await sync_to_async(_signed_in)(world.participant)
    # The session as allauth tracks it (a real sign-in records one; force_login does not).
    await sync_to_async(UserSession.objects.create)(
        user=world.participant, session_key=client.session.session_key, ip="127.0.0.1", user_agent="test"
    )
    chat = await _open("/ws/chat/", cookie)
    await sync_to_async(user_sessions_end)(actor=world.admin, person=world.participant)
    assert await _closed_with(chat, 4401)


@override_settings(SOCKET_SESSION_CHECK_SECONDS=3600)
async def test_an_access_event_alone_keeps_a_valid_session_open(world):
    _client, cookie = await sync_to_async(_signed_in)(world.participant)
    badge = await _open("/ws/notifications/", cookie)
    await sync_to_async(access_changed_publish)(world.participant.pk)
    assert await badge.receive_nothing(timeout=1)
    await badge.disconnect()
