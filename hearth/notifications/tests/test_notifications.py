import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from hearth.config.asgi import application
from hearth.notifications.kinds import KINDS
from hearth.notifications.models import Notification
from hearth.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_notify_stores_a_generic_title_in_the_recipients_language(world):
    world.participant.language = "es"
    notification = notify(recipient=world.participant, kind="messaging.message")
    assert notification.title  # generic, never the message itself
    assert Notification.objects.filter(recipient=world.participant, kind="messaging.message").count() == 1


def test_unknown_kind_is_refused(world):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(recipient=world.participant, kind="no.such.kind")


def test_every_title_is_free_of_clinical_words():
    clinical = ("phq", "craving", "relapse", "use ", "suicid", "overdose", "diagnos", "score")
    for kind, title in KINDS.items():
        assert not any(word in str(title).lower() for word in clinical), kind


def test_list_and_mark_all_read(world, client_for):
    notify(recipient=world.participant, kind="system.welcome")
    client = client_for(world.participant)
    assert "Welcome to Hearth" in client.get("/notifications/").content.decode()
    assert client.post("/notifications/read/").status_code == 302
    assert not Notification.objects.filter(recipient=world.participant, read_at__isnull=True).exists()


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def test_live_badge_gets_the_unread_count_and_updates(world):
    cookie = await sync_to_async(_session_cookie)(world.participant)
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"cookie", cookie.encode()), (b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected
    first = await communicator.receive_json_from(timeout=5)
    assert first["type"] == "unread"
    start = first["count"]
    await sync_to_async(notify)(recipient=world.participant, kind="system.welcome")
    update = await communicator.receive_json_from(timeout=5)
    assert update == {"type": "unread", "count": start + 1}
    await communicator.send_json_to({"type": "anything"})
    error = await communicator.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == "read_only"
    await communicator.disconnect()


async def test_badge_refuses_the_signed_out():
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=[(b"origin", b"http://localhost")])
    connected, close_code = await communicator.connect()
    assert close_code == 4401
    assert not connected
    await communicator.disconnect()


async def test_badge_refuses_staff_who_have_not_enrolled_mfa(world):
    from hearth.tests.factories import Role, UserFactory, grant_role

    newcomer = await sync_to_async(UserFactory)()
    await sync_to_async(grant_role)(newcomer, world.program, Role.CLINICIAN)
    cookie = await sync_to_async(_session_cookie)(newcomer)
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"cookie", cookie.encode()), (b"origin", b"http://localhost")]
    )
    connected, close_code = await communicator.connect()
    assert not connected and close_code == 4401
    await communicator.disconnect()
