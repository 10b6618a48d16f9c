"""The chat socket, end to end through the real ASGI application (origin check, session auth)."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from hearth.config.asgi import application
from hearth.messaging.models import Message, Reaction
from hearth.messaging.services import (
    member_remove,
    message_delete,
    message_edit,
    message_hide,
    message_send,
    reaction_toggle,
)
from hearth.messaging.tests.conftest import cohort_conversation
from hearth.safety.models import SafetySignal

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def group(world):
    return cohort_conversation(world)


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(user, origin="http://localhost", path="/ws/chat/"):
    headers = [(b"origin", origin.encode())]
    if user is not None:
        headers.append((b"cookie", (await database_sync_to_async(cookie_for)(user)).encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _subprotocol = await communicator.connect(timeout=5)
    if connected:
        hello = await communicator.receive_json_from(timeout=5)
        assert hello["type"] == "hello"
    return communicator, connected


async def ask(communicator, frame):
    await communicator.send_json_to(frame)
    return await communicator.receive_json_from(timeout=5)


async def say(communicator, frame):
    """Send a message frame: returns the ack and takes the sender's own copy of the broadcast."""
    ack = await ask(communicator, frame)
    assert ack["type"] == "ack", ack
    echo = await communicator.receive_json_from(timeout=5)
    assert (echo["type"], echo["seq"]) == ("message", ack["seq"])
    return ack


def send_frame(conversation, n, body="hello", **extra):
    return {"v": 1, "type": "send", "conversation": conversation.pk, "client_msg_id": f"c{n}", "body": body, **extra}


count_messages = database_sync_to_async(lambda: Message.objects.count())


async def test_anonymous_is_refused(world):
    _communicator, connected = await connect(None)
    assert not connected


async def test_foreign_origin_is_refused(world):
    _communicator, connected = await connect(world.participant, origin="https://evil.example")
    assert not connected


async def test_send_is_acknowledged_after_commit_and_reaches_members_only(world, group):
    alice, _ = await connect(world.participant)
    bob, _ = await connect(world.other_participant)
    outsider, _ = await connect(world.mentor)
    ack = await ask(alice, send_frame(group, 1, "hi all", id="r1"))
    assert ack == {
        "v": 1,
        "type": "ack",
        "conversation": group.pk,
        "client_msg_id": "c1",
        "seq": 1,
        "created_at": ack["created_at"],
        "duplicate": False,
        "crisis": False,
        "ref": "r1",
    }
    assert await database_sync_to_async(Message.objects.filter(seq=1, conversation=group).exists)()
    received = await bob.receive_json_from(timeout=5)
    assert (received["type"], received["seq"], received["body"]) == ("message", 1, "hi all")
    assert received["sender"] == {"id": world.participant.pk, "name": "Participant"}
    assert (await alice.receive_json_from(timeout=5))["seq"] == 1  # the sender's other tabs see it too
    assert await outsider.receive_nothing(timeout=0.2)
    # A resend of the same client id is acknowledged again and stores nothing.
    again = await ask(alice, send_frame(group, 1, "hi all"))
    assert again["seq"] == 1 and again["duplicate"] is True
    assert await count_messages() == 1
    for communicator in (alice, bob, outsider):
        await communicator.disconnect()


BAD_FRAMES = [
    ("not json", "malformed_json"),
    ("[1, 2]", "invalid_frame"),
    ('"send"', "invalid_frame"),
    ('{"type": "shout", "conversation": 1}', "unknown_type"),
    ('{"conversation": 1}', "unknown_type"),
    ('{"v": 2, "type": "send"}', "unsupported_version"),
    ('{"type": "send", "conversation": "1", "client_msg_id": "c1", "body": "x"}', "invalid_frame"),
    ('{"type": "send", "conversation": 1, "client_msg_id": "c1", "body": "x", "admin": true}', "invalid_frame"),
    ('{"type": "send", "conversation": 1, "client_msg_id": "c1"}', "invalid_frame"),
    ('{"type": "resume", "conversation": 1, "after_seq": -1}', "invalid_frame"),
    ('{"type": "resume", "conversation": 1, "after_seq": 0, "after_change": -1}', "invalid_frame"),
    ('{"type": "resume", "conversation": 1, "after_seq": 0, "after_change": "3"}', "invalid_frame"),
    ('{"type": "send", "conversation": 1, "client_msg_id": "c1", "body": "' + "x" * 17000 + '"}', "frame_too_large"),
]


@pytest.mark.parametrize(("text", "code"), BAD_FRAMES)
async def test_bad_frames_get_an_error_and_the_connection_stays_usable(world, group, text, code):
    alice, _ = await connect(world.participant)
    text = text.replace('"conversation": 1', f'"conversation": {group.pk}')
    await alice.send_to(text_data=text)
    error = await alice.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == code, error
    assert error["message"]
    assert await count_messages() == 0
    ack = await ask(alice, send_frame(group, 9))
    assert ack["type"] == "ack"
    await alice.disconnect()


@pytest.mark.parametrize(("body", "code"), [("x" * 4001, "message_too_long"), ("   ", "empty_message")])
async def test_bad_messages_get_an_error(world, group, body, code):
    alice, _ = await connect(world.participant)
    error = await ask(alice, send_frame(group, 1, body))
    assert (error["type"], error["code"]) == ("error", code)
    assert await count_messages() == 0
    await alice.disconnect()


async def test_binary_frames_are_refused(world, group):
    alice, _ = await connect(world.participant)
    await alice.send_to(bytes_data=b"\x00\x01")
    assert (await alice.receive_json_from(timeout=5))["code"] == "binary_not_supported"
    await alice.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "send", "client_msg_id": "x1", "body": "let me in"},
        {"type": "edit", "seq": 1, "body": "changed"},
        {"type": "delete", "seq": 1},
        {"type": "reaction", "seq": 1, "emoji": "👍"},
        {"type": "read", "seq": 1},
        {"type": "resume", "after_seq": 0},
    ],
)
async def test_a_non_member_can_do_nothing_on_any_frame(world, group, frame):
    await database_sync_to_async(message_send)(
        actor=world.participant, conversation=group, client_msg_id="c1", body="members only"
    )
    mentor, _ = await connect(world.mentor)
    error = await ask(mentor, {**frame, "conversation": group.pk})
    assert (error["type"], error["code"]) == ("error", "conversation_not_found")
    assert "members only" not in json.dumps(error)
    message = await database_sync_to_async(Message.objects.get)()
    assert (message.body, message.edited_at, message.deleted_at) == ("members only", None, None)
    assert await count_messages() == 1
    assert not await database_sync_to_async(Reaction.objects.exists)()
    # A conversation that does not exist answers the same.
    error = await ask(mentor, {**frame, "conversation": 999999})
    assert error["code"] == "conversation_not_found"
    await mentor.disconnect()


async def test_edit_delete_and_react_over_the_socket(world, group):
    alice, _ = await connect(world.participant)
    bob, _ = await connect(world.other_participant)
    await ask(alice, send_frame(group, 1, "first"))
    await alice.receive_json_from(timeout=5)
    await bob.receive_json_from(timeout=5)
    error = await ask(bob, {"type": "edit", "conversation": group.pk, "seq": 1, "body": "mine now"})
    assert error["code"] == "not_own_message"
    error = await ask(bob, {"type": "delete", "conversation": group.pk, "seq": 1})
    assert error["code"] == "not_own_message"
    error = await ask(bob, {"type": "edit", "conversation": group.pk, "seq": 42, "body": "?"})
    assert error["code"] == "message_not_found"
    assert (await ask(alice, {"type": "edit", "conversation": group.pk, "seq": 1, "body": "fixed"}))["type"] == "ok"
    edit = await bob.receive_json_from(timeout=5)
    assert (edit["type"], edit["seq"], edit["body"]) == ("edit", 1, "fixed")
    assert (await ask(bob, {"type": "reaction", "conversation": group.pk, "seq": 1, "emoji": "🙏"}))["type"] == "ok"
    reaction = await alice.receive_json_from(timeout=5)
    assert reaction["type"] == "edit"
    reaction = await alice.receive_json_from(timeout=5)
    assert (reaction["type"], reaction["reactions"]) == ("reaction", {"🙏": 1})
    assert (await ask(alice, {"type": "delete", "conversation": group.pk, "seq": 1}))["type"] == "ok"
    while (frame := await bob.receive_json_from(timeout=5))["type"] != "delete":
        pass
    # Change numbers: the edit was 1, the reaction 2, the delete 3.
    assert frame == {"v": 1, "type": "delete", "conversation": group.pk, "seq": 1, "reason": "deleted", "change": 3}
    message = await database_sync_to_async(Message.objects.get)()
    assert message.deleted_at is not None and message.body == ""
    await alice.disconnect()
    await bob.disconnect()


async def test_resume_returns_exactly_the_missed_messages_in_order(world, group):
    alice, _ = await connect(world.participant)
    bob, _ = await connect(world.other_participant)
    await say(alice, send_frame(group, 1, "one"))
    seen = await bob.receive_json_from(timeout=5)
    assert seen["seq"] == 1
    await bob.disconnect()  # the connection drops
    for n in (2, 3, 4):
        assert (await say(alice, send_frame(group, n, f"m{n}")))["seq"] == n
    bob, _ = await connect(world.other_participant)
    answer = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": seen["seq"]})
    assert answer["type"] == "resume"
    assert [(m["seq"], m["body"]) for m in answer["messages"]] == [(2, "m2"), (3, "m3"), (4, "m4")]
    assert (answer["last_seq"], answer["more"]) == (4, False)
    nothing = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 4})
    assert nothing["messages"] == []
    error = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 5})
    assert (error["type"], error["code"]) == ("error", "seq_from_future")
    error = await ask(bob, {"type": "read", "conversation": group.pk, "seq": 5})
    assert error["code"] == "seq_from_future"
    read = await ask(bob, {"type": "read", "conversation": group.pk, "seq": 4})
    assert (read["type"], read["unread"]) == ("read", 0)
    await alice.disconnect()
    await bob.disconnect()


async def test_after_redis_comes_back_a_page_that_knows_resync_resumes_on_its_socket(world, group, monkeypatch):
    from hearth.messaging import hub

    monkeypatch.setattr(hub, "RESYNC_SPREAD_SECONDS", 0.0)
    alice, _ = await connect(world.participant, path="/ws/chat/?resync=1")  # as chat.js connects
    bob, _ = await connect(world.other_participant, path="/ws/chat/?resync=1")
    old_page, _ = await connect(world.other_participant)  # a page from before the resync frame
    await say(alice, send_frame(group, 1, "one"))
    assert (await bob.receive_json_from(timeout=5))["seq"] == 1
    assert (await old_page.receive_json_from(timeout=5))["seq"] == 1
    hub.resync_all()  # what the hub does when its Redis subscription is back
    assert await bob.receive_json_from(timeout=5) == {"v": 1, "type": "resync"}
    assert await alice.receive_json_from(timeout=5) == {"v": 1, "type": "resync"}
    closed = await old_page.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 1012}
    # The page resumes on the same socket and is live again.
    answer = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 1})
    assert (answer["type"], answer["messages"]) == ("resume", [])
    await say(alice, send_frame(group, 2, "two"))
    assert (await bob.receive_json_from(timeout=5))["seq"] == 2
    await alice.disconnect()
    await bob.disconnect()


async def test_resume_with_a_change_number_brings_back_what_changed_while_away(world, group):
    def messages():
        return {m.seq: m for m in Message.objects.select_related("conversation").filter(conversation=group)}

    def before():
        for n in (1, 2, 3, 4):
            message_send(actor=world.participant, conversation=group, client_msg_id=f"c{n}", body=f"m{n}")

    def while_away():
        held = messages()
        message_edit(actor=world.participant, message=held[1], body="m1, fixed")
        reaction_toggle(actor=world.clinician, message=held[2], emoji="🙏")
        message_delete(actor=world.participant, message=held[3])
        message_hide(actor=world.clinician, message=held[4])
        message_send(actor=world.participant, conversation=group, client_msg_id="c5", body="m5")
        message_edit(actor=world.participant, message=messages()[5], body="m5, edited")

    await database_sync_to_async(before)()
    bob, _ = await connect(world.other_participant)
    start = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 0, "after_change": 0})
    assert [m["seq"] for m in start["messages"]] == [1, 2, 3, 4]
    assert (start["changes"], start["last_change"], start["changes_more"]) == ([], 0, False)
    await bob.disconnect()  # bob holds messages 1-4, change 0
    await database_sync_to_async(while_away)()

    bob, _ = await connect(world.other_participant)
    answer = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 4, "after_change": 0})
    # What bob holds comes back in its current state, in the order of the changes.
    assert [(m["seq"], m["change"]) for m in answer["changes"]] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    changed = {m["seq"]: m for m in answer["changes"]}
    assert (changed[1]["body"], changed[1]["edited"]) == ("m1, fixed", True)
    assert changed[2]["reactions"] == {"🙏": 1}
    assert (changed[3]["deleted"], changed[3]["body"]) == (True, "")
    assert (changed[4]["hidden"], changed[4]["body"]) == (True, "")
    # A message bob never had comes once, as a message, already edited.
    assert [(m["seq"], m["body"], m["edited"]) for m in answer["messages"]] == [(5, "m5, edited", True)]
    assert (answer["last_change"], answer["changes_more"]) == (5, False)
    caught_up = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 5, "after_change": 5})
    assert (caught_up["messages"], caught_up["changes"]) == ([], [])
    partial = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 5, "after_change": 2})
    assert [m["change"] for m in partial["changes"]] == [3, 4, 5]
    error = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 5, "after_change": 6})
    assert (error["type"], error["code"]) == ("error", "change_from_future")
    plain = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 5})
    assert "changes" not in plain  # without after_change, the answer is as before
    await bob.disconnect()


async def test_a_removed_member_stops_receiving_at_once(world, group):
    alice, _ = await connect(world.participant)
    bob, _ = await connect(world.other_participant)
    await database_sync_to_async(member_remove)(actor=world.clinician, conversation=group, user=world.other_participant)
    removed = await bob.receive_json_from(timeout=5)
    assert removed == {"v": 1, "type": "removed", "conversation": group.pk}
    await ask(alice, send_frame(group, 1, "after removal"))
    assert await bob.receive_nothing(timeout=0.2)
    error = await ask(bob, {"type": "resume", "conversation": group.pk, "after_seq": 0})
    assert error["code"] == "conversation_not_found"
    error = await ask(bob, send_frame(group, 2, "still here?"))
    assert error["code"] == "conversation_not_found"
    await alice.disconnect()
    await bob.disconnect()


async def test_rate_limit_gives_a_clear_error_and_the_connection_survives(world, group, settings):
    settings.MESSAGING_RATE_LIMIT = 3
    settings.MESSAGING_RATE_WINDOW = 3600
    alice, _ = await connect(world.participant)
    for n in range(3):
        assert (await ask(alice, send_frame(group, n)))["type"] == "ack"
        await alice.receive_json_from(timeout=5)  # the broadcast of the message
    error = await ask(alice, send_frame(group, 99))
    assert (error["type"], error["code"]) == ("error", "rate_limited")
    assert await count_messages() == 3
    settings.MESSAGING_RATE_LIMIT = 100
    assert (await ask(alice, send_frame(group, 100)))["type"] == "ack"
    await alice.disconnect()


async def test_crisis_language_shows_resources_to_the_sender_and_is_delivered(world, group):
    alice, _ = await connect(world.participant)
    bob, _ = await connect(world.other_participant)
    ack = await ask(alice, send_frame(group, 1, "I relapsed last night"))
    assert ack["type"] == "ack" and ack["crisis"] is True
    assert (await bob.receive_json_from(timeout=5))["body"] == "I relapsed last night"
    assert await database_sync_to_async(
        SafetySignal.objects.filter(person=world.participant, source="messaging.message").exists
    )()
    await alice.disconnect()
    await bob.disconnect()


async def test_a_new_member_starts_receiving(world, group):
    from hearth.messaging.services import member_add

    mentor, _ = await connect(world.mentor)
    await database_sync_to_async(member_add)(actor=world.clinician, conversation=group, user=world.mentor)
    assert await mentor.receive_json_from(timeout=5) == {"v": 1, "type": "joined", "conversation": group.pk}
    await database_sync_to_async(message_send)(
        actor=world.participant, conversation=group, client_msg_id="c1", body="welcome"
    )
    assert (await mentor.receive_json_from(timeout=5))["body"] == "welcome"
    await mentor.disconnect()


async def test_signing_out_elsewhere_closes_the_socket(world, group, settings):
    from django.contrib.sessions.models import Session

    settings.SOCKET_SESSION_CHECK_SECONDS = 0
    alice, _ = await connect(world.participant)
    await database_sync_to_async(lambda: Session.objects.all().delete())()
    await alice.send_json_to(send_frame(group, 1, "still there?"))
    error = await alice.receive_json_from(timeout=5)
    assert (error["type"], error["code"]) == ("error", "signed_out")
    assert (await alice.receive_output(timeout=5))["type"] == "websocket.close"
    assert await count_messages() == 0


async def test_an_idle_socket_closes_when_the_session_times_out(world, group, settings):
    from django.contrib.sessions.models import Session

    from hearth.accounts.adapters import SESSION_LAST_SEEN

    settings.SOCKET_SESSION_CHECK_SECONDS = 1
    alice, _ = await connect(world.participant)

    def age_session():
        from importlib import import_module

        store_class = import_module(settings.SESSION_ENGINE).SessionStore
        for row in Session.objects.all():
            store = store_class(session_key=row.session_key)
            store[SESSION_LAST_SEEN] = store.get(SESSION_LAST_SEEN, 0) - 24 * 3600
            store.save()

    await database_sync_to_async(age_session)()
    error = await alice.receive_json_from(timeout=3)
    assert error["code"] == "signed_out"
    assert (await alice.receive_output(timeout=1))["type"] == "websocket.close"


async def test_a_family_member_stops_receiving_when_consent_is_revoked(world, settings):
    from hearth.consent.services import consent_revoke
    from hearth.messaging.models import Kind
    from hearth.messaging.services import conversation_create

    settings.SOCKET_SESSION_CHECK_SECONDS = 1
    family = await database_sync_to_async(conversation_create)(
        actor=world.clinician,
        program=world.program,
        kind=Kind.FAMILY,
        participant=world.participant,
        members=[world.family_with_consent],
    )
    relative, _ = await connect(world.family_with_consent)
    await database_sync_to_async(message_send)(
        actor=world.clinician, conversation=family, client_msg_id="c1", body="before"
    )
    assert (await relative.receive_json_from(timeout=5))["body"] == "before"
    await database_sync_to_async(consent_revoke)(actor=world.participant, consent=world.consent)
    removed = await relative.receive_json_from(timeout=3)
    assert removed == {"v": 1, "type": "removed", "conversation": family.pk}
    await database_sync_to_async(message_send)(
        actor=world.clinician, conversation=family, client_msg_id="c2", body="after"
    )
    assert await relative.receive_nothing(timeout=0.3)
    error = await ask(relative, {"type": "resume", "conversation": family.pk, "after_seq": 0})
    assert error["code"] == "conversation_not_found"
    await relative.disconnect()


async def test_errors_speak_the_persons_language_and_failures_keep_the_socket(world, group, monkeypatch):
    world.participant.language = "es"
    await database_sync_to_async(world.participant.save)(update_fields=["language"])
    alice, _ = await connect(world.participant)
    error = await ask(alice, send_frame(group, 1, "x" * 4001))
    assert error["code"] == "message_too_long" and "4000" in error["message"]
    assert error["message"] != "Messages can be at most 4000 characters."

    def broken(user_id):
        raise ConnectionError("cache is down")

    monkeypatch.setattr("hearth.messaging.consumers.frame_allowed", broken)
    error = await ask(alice, send_frame(group, 2))
    assert error["code"] == "internal_error"
    monkeypatch.undo()
    assert (await ask(alice, send_frame(group, 3)))["type"] == "ack"
    await alice.disconnect()


async def test_consent_withdrawal_closes_the_family_conversation_on_open_sockets_at_once(world, settings):
    """Withdrawal is immediate everywhere: no waiting for the periodic re-check (set to an hour)."""
    from hearth.consent.services import consent_revoke
    from hearth.messaging.models import Kind
    from hearth.messaging.services import conversation_create

    settings.SOCKET_SESSION_CHECK_SECONDS = 3600
    family = await database_sync_to_async(conversation_create)(
        actor=world.clinician,
        program=world.program,
        kind=Kind.FAMILY,
        participant=world.participant,
        members=[world.family_with_consent],
    )
    relative, _ = await connect(world.family_with_consent)
    await database_sync_to_async(consent_revoke)(actor=world.participant, consent=world.consent)
    removed = await relative.receive_json_from(timeout=2)
    assert removed == {"v": 1, "type": "removed", "conversation": family.pk}
    await database_sync_to_async(message_send)(
        actor=world.clinician, conversation=family, client_msg_id="c2", body="after withdrawal"
    )
    assert await relative.receive_nothing(timeout=0.3)
    await relative.disconnect()


async def test_ending_a_clinician_role_drops_their_conversations_on_open_sockets_at_once(world, group, settings):
    from hearth.programs.models import Membership, Role
    from hearth.programs.services import staff_end

    settings.SOCKET_SESSION_CHECK_SECONDS = 3600
    clinician, _ = await connect(world.clinician)
    alice, _ = await connect(world.participant)
    membership = await database_sync_to_async(Membership.objects.get)(
        user=world.clinician, program=world.program, role=Role.CLINICIAN
    )
    await database_sync_to_async(staff_end)(actor=world.admin, membership=membership)
    removed = await clinician.receive_json_from(timeout=2)
    assert removed == {"v": 1, "type": "removed", "conversation": group.pk}
    await say(alice, send_frame(group, 1, "after the role ended"))
    assert await clinician.receive_nothing(timeout=0.3)
    error = await ask(clinician, {"type": "resume", "conversation": group.pk, "after_seq": 0})
    assert error["code"] == "conversation_not_found"
    error = await ask(clinician, send_frame(group, 2, "still here?"))
    assert error["code"] == "conversation_not_found"
    await clinician.disconnect()
    await alice.disconnect()


async def test_a_send_whose_database_connection_died_is_tried_once_more_and_stored_once(world, group, monkeypatch):
    """PostgreSQL restarted: the pooled connection the frame got is dead. A send (idempotent by
    client_msg_id) is tried again on a live connection and acknowledged; found by bench/faults,
    where each dead pooled connection failed one send that the page resent 3 s later."""
    from django.db import OperationalError

    from hearth.messaging import consumers

    real_send = consumers.services.message_send
    failures = []

    def dies_once(**kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("terminating connection due to administrator command")
        return real_send(**kwargs)

    monkeypatch.setattr(consumers.services, "message_send", dies_once)
    alice, _ = await connect(world.participant)
    ack = await say(alice, send_frame(group, 1, "still here"))
    assert failures == [1] and ack["seq"] == 1 and ack["duplicate"] is False
    assert await count_messages() == 1

    # An edit is not idempotent in general (a reaction is a toggle): it is not tried again.
    def edit_dies(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(consumers.services, "message_edit", edit_dies)
    error = await ask(alice, {"v": 1, "type": "edit", "conversation": group.pk, "seq": 1, "body": "x", "id": "e1"})
    assert error["code"] == "internal_error"
    await alice.disconnect()
