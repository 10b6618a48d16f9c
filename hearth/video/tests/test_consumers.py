"""The video socket end to end through the real ASGI application: waiting room, host controls,
signalling relay, and every refusal from issue 4's "Bad input" list."""

import datetime
import json

import pytest
import time_machine
from channels.db import database_sync_to_async
from django.utils import timezone

from hearth.scheduling.models import Occurrence, SessionKind
from hearth.video.models import Seat, SeatState, UsedJoinToken
from hearth.video.tests.access import WEBSOCKET_ACCESS
from hearth.video.tests.conftest import open_session
from hearth.video.tests.helpers import join, token_for

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


@pytest.fixture
def anyio_backend():
    return "asyncio"


def refused(peer, code):
    assert peer.connected and peer.first["type"] == "error", peer.first
    assert peer.first["code"] == code, peer.first
    assert peer.first["fatal"] is True
    assert peer.first["message"]


async def admitted_pair(world, session):
    host = await join(world.clinician, session)
    assert host.first["state"] == "admitted" and host.first["me"]["host"] is True
    guest = await join(world.participant, session)
    assert guest.first["state"] == "waiting"
    queue = await host.receive_until("queue")
    assert [p["id"] for p in queue["waiting"]] == [world.participant.pk]
    assert await host.ask({"type": "admit", "person": world.participant.pk}) == {"type": "ok", "of": "admit"}
    admitted = await guest.receive_until("admitted")
    assert [p["id"] for p in admitted["peers"]] == [world.clinician.pk]
    joined = await host.receive_until("peer_joined")
    assert joined["peer"]["id"] == world.participant.pk
    await host.drain()
    await guest.drain()
    return host, guest


async def test_waiting_room_admission_and_signalling_between_admitted_people(world, session):
    host, guest = await admitted_pair(world, session)
    await guest.send({"type": "offer", "to": world.clinician.pk, "sdp": SDP})
    offer = await host.receive_until("offer")
    assert offer == {"type": "offer", "sdp": SDP, "from": world.participant.pk}
    await host.send({"type": "answer", "to": world.participant.pk, "sdp": SDP})
    assert (await guest.receive_until("answer"))["from"] == world.clinician.pk
    candidate = {
        "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }
    await guest.send({"type": "ice", "to": world.clinician.pk, "candidate": candidate})
    ice = await host.receive_until("ice")
    assert ice["candidate"] == candidate and ice["from"] == world.participant.pk
    # A raised hand reaches the host, and the host lowers every hand.
    assert await guest.ask({"type": "hand", "raised": True}) == {"type": "ok", "of": "hand"}
    hand = await host.receive_until("hand")
    assert (hand["id"], hand["raised"]) == (world.participant.pk, True)
    await host.send({"type": "lower_hands"})
    await guest.receive_until("hands_lowered")
    assert not await database_sync_to_async(Seat.objects.filter(hand_raised=True).exists)()
    await host.send({"type": "ask_mute", "person": world.participant.pk})
    assert (await guest.receive_until("ask_mute"))["by"] == world.clinician.display_name
    await guest.close()
    await host.close()


async def test_a_waiting_person_can_neither_signal_nor_be_signalled(world, session):
    host = await join(world.clinician, session)
    guest = await join(world.participant, session)
    reply = await guest.ask({"type": "offer", "to": world.clinician.pk, "sdp": SDP})
    assert reply["code"] == "not_admitted"
    await host.send({"type": "offer", "to": world.participant.pk, "sdp": SDP})
    assert (await host.receive_until("error"))["code"] == "peer_not_found"
    assert await guest.quiet()
    await guest.close()
    await host.close()


async def test_participants_cannot_use_host_controls(world, session):
    host, guest = await admitted_pair(world, session)
    for frame in (
        {"type": "admit", "person": world.other_participant.pk},
        {"type": "remove", "person": world.clinician.pk},
        {"type": "lock", "locked": True},
        {"type": "lower_hands"},
        {"type": "ask_mute", "person": world.clinician.pk},
        {"type": "end"},
    ):
        reply = await guest.ask(frame)
        assert reply["code"] == "not_host", (frame, reply)
    room = await database_sync_to_async(lambda: session.video_room)()
    assert not room.locked and room.ended_at is None
    await guest.close()
    await host.close()


# --- Bad input ------------------------------------------------------------------------------


async def test_closed_room_is_refused(world):
    tomorrow = await database_sync_to_async(open_session)(world, starts_in_minutes=24 * 60)
    peer = await join(world.participant, tomorrow, token="x")
    refused(peer, "token_invalid")  # nobody can get a real token for it
    from hearth.video.services import VideoError, join_token_issue

    with pytest.raises(VideoError) as exc:
        await database_sync_to_async(join_token_issue)(actor=world.participant, occurrence=tomorrow)
    assert exc.value.code == "room_closed"


async def test_a_token_for_a_room_that_closed_since_is_refused(world, session):
    token = await token_for(world.participant, session)
    await database_sync_to_async(Occurrence.objects.filter(pk=session.pk).update)(cancelled_at=timezone.now())
    refused(await join(world.participant, session, token=token), "room_closed")


async def test_locked_room_refuses_newcomers_but_not_people_in_the_call(world, session):
    host, guest = await admitted_pair(world, session)
    early_token = await token_for(world.other_participant, session)
    await host.send({"type": "lock", "locked": True})
    assert (await host.receive_until("ok"))["of"] == "lock"
    refused(await join(world.other_participant, session, token=early_token), "room_locked")
    from hearth.video.services import VideoError, join_token_issue

    with pytest.raises(VideoError) as exc:
        await database_sync_to_async(join_token_issue)(actor=world.other_participant, occurrence=session)
    assert exc.value.code == "room_locked"
    # Someone already admitted may reconnect while the room is locked.
    await guest.close()
    again = await join(world.participant, session)
    assert again.first["state"] == "admitted"
    await again.close()
    await host.close()


async def test_a_room_of_another_program_is_refused(world):
    from django.core import signing

    from hearth.video.services import TOKEN_SALT

    elsewhere = await database_sync_to_async(open_session)(world, program=world.other_program)
    # A correctly signed token for that room still opens nothing for someone not on its roster.
    token = signing.dumps({"o": elsewhere.pk, "p": world.participant.pk, "n": "a" * 32}, salt=TOKEN_SALT)
    # The participant is not on its roster and may not know it exists.
    refused(await join(world.participant, elsewhere, token=token), "room_not_found")


async def test_expired_token_is_refused(world, session):
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=4)):
        token = await token_for(world.participant, session)
    refused(await join(world.participant, session, token=token), "token_expired")


async def test_forged_tokens_are_refused(world, session):
    token = await token_for(world.participant, session)
    refused(await join(world.participant, session, token=token[:-2] + "xx"), "token_invalid")
    refused(await join(world.participant, session, token="not-a-token"), "token_invalid")
    # A real token of someone else, or for another room, opens nothing.
    refused(await join(world.other_participant, session, token=token), "token_invalid")
    other_session = await database_sync_to_async(open_session)(world)
    refused(await join(world.participant, other_session, token=token), "token_invalid")


async def test_reused_token_is_refused(world, session):
    token = await token_for(world.participant, session)
    first = await join(world.participant, session, token=token)
    assert first.first["type"] == "hello"
    await first.close()
    refused(await join(world.participant, session, token=token), "token_used")
    assert await database_sync_to_async(UsedJoinToken.objects.count)() == 1


async def test_people_not_on_the_roster_are_refused(world, session):
    for person in (world.mentor, world.family_with_consent, world.admin, world.other_clinician):
        refused(await join(person, session, token="x"), "room_not_found")
    # Taken off the roster after the token was issued: refused at the door.
    token = await token_for(world.other_participant, session)
    await database_sync_to_async(
        lambda: session.cohort and Occurrence.objects.filter(pk=session.pk).update(cohort=None)
    )()
    refused(await join(world.other_participant, session, token=token), "room_not_found")


async def test_anonymous_and_foreign_origins_are_refused(world, session):
    peer = await join(None, session, token="x")
    assert not peer.connected
    token = await token_for(world.participant, session)
    peer = await join(world.participant, session, token=token, origin="https://evil.example")
    assert not peer.connected


async def test_a_removed_person_cannot_come_back_without_being_admitted_again(world, session):
    host, guest = await admitted_pair(world, session)
    assert await host.ask({"type": "remove", "person": world.participant.pk}) == {"type": "ok", "of": "remove"}
    removed = await guest.receive_until("removed")
    assert removed["message"]
    assert await guest.closed_with() == 4403
    left = await host.receive_until("peer_left")
    assert left["removed"] is True
    retry = await join(world.participant, session)
    assert retry.first["state"] == "waiting" and retry.first["removed_before"] is True
    assert retry.first["peers"] == []
    queue = await host.receive_until("queue")
    while not queue["waiting"]:
        queue = await host.receive_until("queue")
    assert queue["waiting"] == [
        {"id": world.participant.pk, "name": world.participant.display_name, "host": False, "removed_before": True}
    ]
    reply = await retry.ask({"type": "offer", "to": world.clinician.pk, "sdp": SDP})
    assert reply["code"] == "not_admitted"
    # The host can let them back in.
    await host.send({"type": "admit", "person": world.participant.pk})
    assert (await retry.receive_until("admitted"))["peers"][0]["id"] == world.clinician.pk
    await retry.close()
    await host.close()


async def test_removed_people_are_not_auto_admitted_to_social_events(world):
    event = await database_sync_to_async(open_session)(world, kind=SessionKind.GAME_NIGHT)
    host = await join(world.clinician, event)
    guest = await join(world.participant, event)
    assert guest.first["state"] == "admitted"  # social events let people straight in
    await host.receive_until("peer_joined")
    await host.send({"type": "remove", "person": world.participant.pk})
    await guest.receive_until("removed")
    retry = await join(world.participant, event)
    assert retry.first["state"] == "waiting"
    await retry.close()
    await host.close()


BAD_FRAMES = [
    ("not json", "malformed_json"),
    ("[1, 2]", "invalid_frame"),
    ('{"type": "teleport"}', "unknown_type"),
    ('{"type": "offer", "to": "me", "sdp": "v=0"}', "invalid_frame"),
    ('{"type": "offer", "to": 1, "sdp": "v=0", "extra": 1}', "invalid_frame"),
    ('{"type": "offer", "to": 1, "sdp": "hello"}', "invalid_sdp"),
    ('{"type": "ice", "to": 1, "candidate": {"candidate": 5}}', "invalid_frame"),
    ('{"type": "hand", "raised": "yes"}', "invalid_frame"),
    ('{"type": "admit", "person": -3}', "invalid_frame"),
    (json.dumps({"type": "answer", "to": 1, "sdp": "x" * 70_000}), "frame_too_large"),
]


@pytest.mark.parametrize(("text", "code"), BAD_FRAMES)
async def test_malformed_frames_get_an_error_and_the_room_stays_healthy(world, session, text, code):
    host, guest = await admitted_pair(world, session)
    await guest.ws.send_to(text_data=text)
    reply = await guest.receive()
    assert (reply["type"], reply["code"]) == ("error", code), reply
    assert await host.quiet()
    # The same connection still works, and so does the room.
    await guest.send({"type": "offer", "to": world.clinician.pk, "sdp": SDP})
    assert (await host.receive_until("offer"))["from"] == world.participant.pk
    await guest.close()
    await host.close()


async def test_binary_frames_are_refused(world, session):
    host, guest = await admitted_pair(world, session)
    await guest.ws.send_to(bytes_data=b"\x00\x01")
    assert (await guest.receive())["code"] == "binary_not_supported"
    await guest.close()
    await host.close()


async def test_oversize_sdp_is_refused_and_not_relayed(world, session, settings):
    settings.VIDEO_MAX_SDP_BYTES = 20_000
    host, guest = await admitted_pair(world, session)
    big = SDP + "a=x-padding:" + "x" * 25_000 + "\r\n"
    reply = await guest.ask({"type": "offer", "to": world.clinician.pk, "sdp": big})
    assert reply["code"] == "sdp_too_large" and "20000" in reply["message"]
    assert await host.quiet()
    await guest.close()
    await host.close()


async def test_room_full_refuses_admission(world, session, settings):
    settings.VIDEO_MESH_MAX_PEOPLE = 2
    host, guest = await admitted_pair(world, session)
    third = await join(world.other_participant, session)
    await host.receive_until("queue")
    reply = await host.ask({"type": "admit", "person": world.other_participant.pk})
    assert reply["code"] == "room_full"
    await third.close()
    await guest.close()
    await host.close()


async def test_end_for_everyone_closes_the_room_and_records_attendance(world, session):
    from hearth.scheduling.models import Attendance

    host, guest = await admitted_pair(world, session)
    await host.send({"type": "end"})
    for peer in (host, guest):
        await peer.receive_until("ended")
        assert await peer.closed_with() == 4410
    attendance = await database_sync_to_async(Attendance.objects.get)(person=world.participant, occurrence=session)
    assert attendance.source == "video" and len(attendance.presence) == 1
    from hearth.video.services import VideoError, join_token_issue

    with pytest.raises(VideoError) as exc:
        await database_sync_to_async(join_token_issue)(actor=world.participant, occurrence=session)
    assert exc.value.code == "room_closed"


async def test_websocket_route_is_classified_and_answers_each_persona(world, session):
    from hearth.config.routing import websocket_urlpatterns

    video_routes = [p.name for p in websocket_urlpatterns if p.name and p.name.startswith("ws_video")]
    assert video_routes and all(name in WEBSOCKET_ACCESS for name in video_routes)
    joiners = WEBSOCKET_ACCESS["ws_video"]["joiners"]
    for persona, user in world.personas().items():
        if user is None:
            assert not (await join(None, session, token="x")).connected
            continue
        if persona in joiners:
            peer = await join(user, session)
            assert peer.first["type"] == "hello", (persona, peer.first)
            await peer.close()
        else:
            refused(await join(user, session, token="x"), WEBSOCKET_ACCESS["ws_video"]["refused_code"])
    assert await database_sync_to_async(Seat.objects.filter(state=SeatState.ADMITTED, connections__gt=0).count)() == 0


async def test_a_flood_of_frames_is_rate_limited_and_the_connection_survives(world, session, settings):
    host, guest = await admitted_pair(world, session)
    settings.VIDEO_RATE_LIMIT = 2
    for raised in (True, False):
        await guest.send({"type": "hand", "raised": raised})
        assert (await guest.receive_until("ok"))["of"] == "hand"
    await guest.send({"type": "hand", "raised": True})
    assert (await guest.receive_until("error"))["code"] == "rate_limited"
    assert not await database_sync_to_async(Seat.objects.filter(hand_raised=True).exists)()
    settings.VIDEO_RATE_LIMIT = 300
    await guest.send({"type": "hand", "raised": True})
    assert (await guest.receive_until("ok"))["of"] == "hand"
    await guest.close()
    await host.close()


# --- a new password or a deactivated account closes the video socket at once (#13 item 10) ------


async def _signed_out(peer) -> bool:
    while True:
        output = await peer.ws.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output.get("code") == 4401


async def test_deactivating_the_account_closes_its_video_socket_at_once(world, session, settings):
    from hearth.accounts.services import account_deactivate

    settings.SOCKET_SESSION_CHECK_SECONDS = 3600  # the periodic check cannot be what closes it
    host, guest = await admitted_pair(world, session)
    await database_sync_to_async(account_deactivate)(actor=None, person=world.participant)
    assert await _signed_out(guest)
    await guest.close()  # the browser's side of the closing handshake
    # The host's socket is not the deactivated person's: it stays open and hears the person left.
    assert (await host.receive_until("peer_left"))["id"] == world.participant.pk
    await host.close()


async def test_a_new_password_closes_the_video_socket_of_the_other_session(world, session, settings):
    from django.test import Client
    from django.urls import reverse

    settings.SOCKET_SESSION_CHECK_SECONDS = 3600
    old, new = "the old long passphrase 2026", "a brand new long passphrase 2026"

    def laptop():
        world.participant.set_password(old)
        world.participant.save()
        client = Client()
        client.force_login(world.participant)
        return client

    host, guest = await admitted_pair(world, session)
    client = await database_sync_to_async(laptop)()
    response = await database_sync_to_async(client.post)(
        reverse("account_change_password"), {"oldpassword": old, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    assert await _signed_out(guest)
    await host.close()


async def test_an_access_event_alone_keeps_a_valid_video_socket_open(world, session, settings):
    from hearth.core.sockets import access_changed_publish

    settings.SOCKET_SESSION_CHECK_SECONDS = 3600
    host, guest = await admitted_pair(world, session)
    await database_sync_to_async(access_changed_publish)(world.participant.pk)
    assert await guest.quiet(timeout=0.5)
    assert await guest.ask({"type": "hand", "raised": True}) == {"type": "ok", "of": "hand"}
    await guest.close()
    await host.close()


async def test_peers_carry_the_feed_id_the_server_gave_each_seat(world, session):
    """#13 item 9: pages map Janus feeds to people by the seat's server-assigned feed id."""
    host = await join(world.clinician, session)
    guest = await join(world.participant, session)
    await host.receive_until("queue")
    await host.ask({"type": "admit", "person": world.participant.pk})
    admitted = await guest.receive_until("admitted")
    joined = await host.receive_until("peer_joined")
    feeds = await database_sync_to_async(
        lambda: dict(Seat.objects.filter(room__occurrence=session).values_list("person_id", "media_feed_id"))
    )()
    assert len(set(feeds.values())) == 2 and all(0 < feed < 2**53 for feed in feeds.values())
    assert admitted["peers"] == [
        {
            "id": world.clinician.pk,
            "name": world.clinician.display_name,
            "host": True,
            "feed": feeds[world.clinician.pk],
            "hand": False,
        }
    ]
    assert joined["peer"]["feed"] == feeds[world.participant.pk]
    await guest.close()
    await host.close()
