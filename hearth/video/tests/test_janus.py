"""Janus integration: Debian's janus, started by the test inside its own network namespace with a
veth pair (Janus does not use loopback for media). Hearth's server-side client creates the room;
two aiortc peers publish and subscribe through it with Hearth-issued tokens and frames arrive; a
peer without a valid token is refused."""

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hearth.video.janus import JanusError
from hearth.video.janus_config import JANUS_BINARY

INSIDE = "HEARTH_JANUS_NETNS"
# A veth pair inside the namespace: media flows on 10.77.0.1, APIs stay on loopback.
NAMESPACE_SETUP = (
    "ip link set lo up && ip link add v0 type veth peer name v1 && "
    "ip addr add 10.77.0.1/24 dev v0 && ip link set v0 up && ip link set v1 up"
)


def namespace_problem() -> str | None:
    if not JANUS_BINARY.exists():
        return f"{JANUS_BINARY} is missing: apt-get install janus (scripts/ensure-system-packages.sh)"
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare or ip is missing (util-linux, iproute2)"
    probe = subprocess.run(["unshare", "-n", "--", "sh", "-c", NAMESPACE_SETUP], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"cannot make a network namespace with a veth pair here: {probe.stderr.strip()}"
    return None


def run_inside_namespace(test_id: str, env_flag: str, *args: str) -> subprocess.CompletedProcess:
    command = ["unshare", "-n", "--", "sh", "-c", NAMESPACE_SETUP + ' && exec "$0" "$@"', sys.executable]
    command += ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", test_id, *args]
    env = {**os.environ, env_flag: "1", "DJANGO_SETTINGS_MODULE": "hearth.config.settings.test"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    root = Path(__file__).resolve().parents[3]
    with tempfile.TemporaryDirectory() as scratch:
        # A file database: the in-memory one answers "table is locked" to a second writer at once,
        # where a file waits its turn (the live server writes from two browsers' requests).
        env["HEARTH_TEST_SQLITE_FILE"] = str(Path(scratch) / "test.sqlite3")
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd=root)


def test_janus_room_tokens_and_media_in_a_veth_namespace():
    problem = namespace_problem()
    if problem:
        pytest.skip(f"JANUS TEST SKIPPED: {problem}")
    result = run_inside_namespace(f"{Path(__file__).resolve()}", INSIDE, "-k", "inside_the_namespace")
    output = result.stdout[-8000:] + result.stderr[-4000:]
    assert result.returncode == 0 and "3 passed" in result.stdout, output


def test_inside_the_namespace(tmp_path):
    if os.environ.get(INSIDE) != "1":
        pytest.skip("runs only inside the namespace made by test_janus_room_tokens_and_media_in_a_veth_namespace")
    from hearth.video.tests.janus_peer import JanusPeer
    from hearth.video.tests.janus_server import running_janus

    with running_janus(tmp_path / "janus") as (client, settings):
        secret = "room-secret-" + os.urandom(6).hex()
        client.room_create(room=4242, secret=secret, publishers=6, description="test")
        assert client.room_exists(room=4242)
        alice_token = client.person_token(room=4242, secret=secret)
        bob_token = client.person_token(room=4242, secret=secret)

        async def scenario():
            alice, bob = JanusPeer(settings.url, alice_token), JanusPeer(settings.url, bob_token)
            await alice.open()
            await bob.open()
            feed = await alice.publish(4242, "alice")
            await bob.subscribe(4242, feed)
            await bob.wait_for_frames(30)
            # No valid token: Janus refuses the session outright.
            with pytest.raises(JanusError) as refused:
                await JanusPeer(settings.url, "forged-token").open()
            assert refused.value.code == 403
            # A valid Janus token not allowed into this room: the VideoRoom refuses the join.
            outsider_token = "outsider-" + os.urandom(6).hex()
            await asyncio.to_thread(client.token_add, outsider_token)
            outsider = JanusPeer(settings.url, outsider_token)
            await outsider.open()
            with pytest.raises(JanusError) as not_allowed:
                await outsider.request({"request": "join", "ptype": "publisher", "room": 4242, "token": outsider_token})
            assert not_allowed.value.code == 433  # JANUS_VIDEOROOM_ERROR_UNAUTHORIZED
            await outsider.close()
            frames = bob.frames
            await alice.close()
            await bob.close()
            return frames

        frames = asyncio.run(scenario())
        assert frames >= 30
        client.room_destroy(room=4242, secret=secret)
        assert not client.room_exists(room=4242)


@pytest.mark.django_db(transaction=True)
def test_inside_the_namespace_through_hearth(world, tmp_path, settings):
    """The same, through Hearth: the room picks the janus backend, admitted people get Janus tokens
    (never a secret), removal revokes the token, ending the session destroys the Janus room."""
    if os.environ.get(INSIDE) != "1":
        pytest.skip("runs only inside the namespace made by test_janus_room_tokens_and_media_in_a_veth_namespace")
    import json

    from hearth.video.models import Seat
    from hearth.video.services import join_token_issue, media_for, room_end, room_join, seat_admit, seat_remove
    from hearth.video.tests.conftest import open_session
    from hearth.video.tests.janus_peer import JanusPeer
    from hearth.video.tests.janus_server import running_janus

    with running_janus(tmp_path / "janus") as (client, janus):
        settings.VIDEO_BACKEND = "janus"
        settings.VIDEO_JANUS_URL, settings.VIDEO_JANUS_ADMIN_URL = janus.url, janus.admin_url
        settings.VIDEO_JANUS_ADMIN_SECRET, settings.VIDEO_JANUS_ADMIN_KEY = janus.admin_secret, janus.admin_key
        session = open_session(world)

        def enter(person):
            return room_join(actor=person, occurrence=session, token=join_token_issue(actor=person, occurrence=session))

        settings.VIDEO_JANUS_BITRATE = 200_000
        host = enter(world.clinician)
        room = host.room
        assert room.backend == "janus" and client.room_exists(room=room.pk)
        # A group of 12 receives 11 streams each: the room holds everyone and caps what each sends.
        described = client.room_settings(room=room.pk)
        assert described["max_publishers"] == settings.VIDEO_JANUS_MAX_PEOPLE == 25
        assert described["bitrate"] == 200_000 and described["bitrate_cap"] is True
        guest = enter(world.participant)
        assert guest.seat.state == "waiting"
        seat_admit(actor=world.clinician, room=room, person_id=world.participant.pk)
        host_media = media_for(room, Seat.objects.get(pk=host.seat.pk))
        guest_media = media_for(room, Seat.objects.get(pk=guest.seat.pk))
        for media in (host_media, guest_media):
            text = json.dumps(media)
            assert media["backend"] == "janus" and media["room"] == room.pk and media["token"]
            for secret in (room.media_secret, janus.admin_secret, janus.admin_key):
                assert secret not in text

        async def call():
            publisher = JanusPeer(janus.url, host_media["token"])
            subscriber = JanusPeer(janus.url, guest_media["token"])
            await publisher.open()
            await subscriber.open()
            feed = await publisher.publish(room.pk, "host", host_media["feed"])
            assert feed == host_media["feed"]
            await subscriber.subscribe(room.pk, feed)
            await subscriber.wait_for_frames(30)
            await subscriber.close()
            await publisher.close()
            # The participant publishes too, then is removed while still connected.
            guest = JanusPeer(janus.url, guest_media["token"])
            await guest.open()
            await guest.publish(room.pk, "guest", guest_media["feed"])
            return guest

        loop = asyncio.new_event_loop()  # one loop for the peer's whole life
        guest = loop.run_until_complete(call())
        assert [p["id"] for p in client.room_participants(room=room.pk)] == [guest_media["feed"]]
        seat_remove(actor=world.clinician, room=room, person_id=world.participant.pk)
        assert client.room_participants(room=room.pk) == []  # kicked, not only refused next time
        loop.run_until_complete(guest.close())
        loop.close()

        async def retry():
            with pytest.raises(JanusError) as refused:
                await JanusPeer(janus.url, guest_media["token"]).open()
            return refused.value.code

        assert asyncio.run(retry()) == 403  # the removed person's Janus token no longer opens anything
        room_end(actor=world.clinician, room=room)
        assert not client.room_exists(room=room.pk)


@pytest.mark.django_db(transaction=True)
def test_inside_the_namespace_media_ends_with_the_seat_and_feeds_belong_to_seats(world, tmp_path, settings):
    """Security review #13 item 9, against a real Janus. Feeds are mapped to people by the feed id
    the server gave each seat, not by the ``display`` a client chooses (here both lie, naming each
    other); removing one person kicks exactly their feed. Leave revokes the token at once; a
    dropped socket keeps it through the reconnect grace, then media_sweep revokes it."""
    if os.environ.get(INSIDE) != "1":
        pytest.skip("runs only inside the namespace made by test_janus_room_tokens_and_media_in_a_veth_namespace")
    import datetime

    from django.utils import timezone

    from hearth.video.models import Seat
    from hearth.video.selectors import peers_in
    from hearth.video.services import (
        join_token_issue,
        media_for,
        media_sweep,
        room_disconnect,
        room_end,
        room_join,
        room_leave,
        seat_admit,
        seat_remove,
    )
    from hearth.video.tests.conftest import open_session
    from hearth.video.tests.janus_peer import JanusPeer
    from hearth.video.tests.janus_server import running_janus

    with running_janus(tmp_path / "janus") as (client, janus):
        settings.VIDEO_BACKEND = "janus"
        settings.VIDEO_JANUS_URL, settings.VIDEO_JANUS_ADMIN_URL = janus.url, janus.admin_url
        settings.VIDEO_JANUS_ADMIN_SECRET, settings.VIDEO_JANUS_ADMIN_KEY = janus.admin_secret, janus.admin_key
        session = open_session(world)

        def enter(person):
            return room_join(actor=person, occurrence=session, token=join_token_issue(actor=person, occurrence=session))

        host = enter(world.clinician)
        room = host.room
        enter(world.participant)
        seat_admit(actor=world.clinician, room=room, person_id=world.participant.pk)
        host_media = media_for(room, Seat.objects.get(pk=host.seat.pk))
        guest_seat = Seat.objects.get(room=room, person=world.participant)
        guest_media = media_for(room, guest_seat)
        assert host_media["feed"] != guest_media["feed"]
        # The page learns whose feed is whose from Hearth's peer list.
        assert {p["id"]: p["feed"] for p in peers_in(room)} == {
            world.clinician.pk: host_media["feed"],
            world.participant.pk: guest_media["feed"],
        }
        loop = asyncio.new_event_loop()  # one loop for the peers' whole life

        async def both_publish():
            lying_host = JanusPeer(janus.url, host_media["token"])
            lying_guest = JanusPeer(janus.url, guest_media["token"])
            for peer in (lying_host, lying_guest):
                await peer.open()
            await lying_host.publish(room.pk, str(world.participant.pk), host_media["feed"])
            await lying_guest.publish(room.pk, str(world.clinician.pk), guest_media["feed"])
            return lying_host, lying_guest

        lying_host, lying_guest = loop.run_until_complete(both_publish())
        in_room = {p["id"]: p.get("display") for p in client.room_participants(room=room.pk)}
        assert in_room == {host_media["feed"]: str(world.participant.pk), guest_media["feed"]: str(world.clinician.pk)}

        seat_remove(actor=world.clinician, room=room, person_id=world.participant.pk)
        # The removed person's feed went, the host's (whose display named the removed person) stayed.
        assert [p["id"] for p in client.room_participants(room=room.pk)] == [host_media["feed"]]

        async def opens(token) -> bool:
            try:
                peer = JanusPeer(janus.url, token)
                await peer.open()
            except JanusError as exc:
                assert exc.code == 403
                return False
            await peer.close()
            return True

        assert loop.run_until_complete(opens(guest_media["token"])) is False

        # Leave: the host's token stops opening anything at once and their feed leaves the room.
        room_leave(actor=world.clinician, room=room)
        assert loop.run_until_complete(opens(host_media["token"])) is False
        assert client.room_participants(room=room.pk) == []
        for peer in (lying_host, lying_guest):
            loop.run_until_complete(peer.close())

        # A dropped socket: the token lives through the reconnect grace, then the sweep revokes it.
        room_disconnect(actor=world.clinician, room=room)  # the socket that sent Leave closes
        back = enter(world.clinician)
        media = media_for(room, Seat.objects.get(pk=back.seat.pk))
        assert media["feed"] == host_media["feed"]  # the same seat, the same feed
        room_disconnect(actor=world.clinician, room=room)
        assert media_sweep() == 0
        assert loop.run_until_complete(opens(media["token"])) is True
        later = timezone.now() + datetime.timedelta(seconds=settings.VIDEO_RECONNECT_GRACE_SECONDS + 1)
        assert media_sweep(now=later) == 1
        assert loop.run_until_complete(opens(media["token"])) is False
        assert Seat.objects.get(pk=back.seat.pk).media_token == ""
        assert media_sweep(now=later) == 0  # nothing left to revoke
        loop.close()
        room_end(actor=world.clinician, room=room)
        assert not client.room_exists(room=room.pk)
