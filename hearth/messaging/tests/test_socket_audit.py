"""Issue #13, item 6: reads over the chat socket are in "Who viewed my record", once per
conversation per socket, with the IP address and user agent like an HTTP entry."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from hearth.audit.models import AuditEntry
from hearth.config.asgi import application
from hearth.messaging.tests.conftest import cohort_conversation
from hearth.messaging.tests.test_consumers import cookie_for, say, send_frame

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def connect_as(user, agent=b"HearthTest/1.0"):
    cookie = (await database_sync_to_async(cookie_for)(user)).encode()
    headers = [(b"origin", b"http://localhost"), (b"cookie", cookie), (b"user-agent", agent)]
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    communicator.scope["client"] = ("203.0.113.7", 51000)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    return communicator


def _entries(**filters):
    return list(AuditEntry.objects.filter(action="messaging.conversation.viewed", **filters).values())


async def test_live_delivery_is_audited_once_per_conversation_per_socket(world, monkeypatch):
    monkeypatch.setattr("hearth.messaging.consumers.AUDIT_BATCH_SECONDS", 0.05, raising=False)
    group = await database_sync_to_async(cohort_conversation)(world)
    clinician = await connect_as(world.clinician)
    participant = await connect_as(world.participant)
    for n in range(3):
        await say(participant, send_frame(group, n, f"m{n}"))
        assert (await clinician.receive_json_from(timeout=5))["type"] == "message"
    await clinician.disconnect()
    await participant.disconnect()
    entries = await database_sync_to_async(_entries)(actor_id=world.clinician.pk, subject_id=world.participant.pk)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["program_id"] == world.program.pk
    assert entry["user_agent"] == "HearthTest/1.0"
    assert entry["ip_address"] == "203.0.113.7"
    assert entry["data"] == {"via": "socket"}


async def test_resume_is_audited_before_the_messages_go_out(world):
    group = await database_sync_to_async(cohort_conversation)(world)
    participant = await connect_as(world.participant)
    await say(participant, send_frame(group, 1, "while you were away"))
    await participant.disconnect()
    clinician = await connect_as(world.clinician)
    await clinician.send_json_to({"type": "resume", "conversation": group.pk, "after_seq": 0})
    answer = await clinician.receive_json_from(timeout=5)
    assert answer["type"] == "resume"
    entries = await database_sync_to_async(_entries)(actor_id=world.clinician.pk, subject_id=world.participant.pk)
    assert len(entries) == 1
    await clinician.send_json_to({"type": "resume", "conversation": group.pk, "after_seq": 0})
    await clinician.receive_json_from(timeout=5)
    await clinician.disconnect()
    entries = await database_sync_to_async(_entries)(actor_id=world.clinician.pk, subject_id=world.participant.pk)
    assert len(entries) == 1
