"""Janus integration: Debian's janus, started by the test inside its own network namespace with a
veth pair (Janus does not use loopback for media). Hearth's server-side client creates the room;
two aiortc peers publish and subscribe through it with Hearth-issued tokens and frames arrive; a
peer without a valid token is refused."""

import asyncio
import os
import shutil
import subprocess
import sys
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


def run_inside_namespace(test_id: str, env_flag: str) -> subprocess.CompletedProcess:
    command = ["unshare", "-n", "--", "sh", "-c", NAMESPACE_SETUP + ' && exec "$0" "$@"', sys.executable]
    command += ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", test_id]
    env = {**os.environ, env_flag: "1", "DJANGO_SETTINGS_MODULE": "hearth.config.settings.test"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    root = Path(__file__).resolve().parents[3]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd=root)


def test_janus_room_tokens_and_media_in_a_veth_namespace():
    problem = namespace_problem()
    if problem:
        pytest.skip(f"JANUS TEST SKIPPED: {problem}")
    result = run_inside_namespace(f"{Path(__file__).resolve()}::test_inside_the_namespace", INSIDE)
    output = result.stdout[-8000:] + result.stderr[-4000:]
    assert result.returncode == 0 and "1 passed" in result.stdout, output


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
