"""Three people in a mesh call in three Chromium contexts, against uvicorn, inside a network
namespace that has only loopback (media never leaves it).

The outer test re-runs this file's inner test in a subprocess under ``unshare -n``; the inner
test starts the server, the browsers and the database there."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from hearth.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]

INSIDE = "HEARTH_VIDEO_NETNS"
VIDEO_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
]
SCREENSHOTS = settings.VAR_DIR / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def namespace_problem() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium package"
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare or ip is missing (util-linux, iproute2)"
    probe = subprocess.run(["unshare", "-n", "--", "ip", "link", "set", "lo", "up"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"cannot make a network namespace here: {probe.stderr.strip()}"
    return None


def test_three_people_call_in_a_loopback_only_namespace():
    problem = namespace_problem()
    if problem:
        pytest.skip(f"VIDEO BROWSER TEST SKIPPED: {problem}")
    inner = f"{Path(__file__).resolve()}::test_call_inside_the_namespace"
    command = [
        "unshare",
        "-n",
        "--",
        "sh",
        "-c",
        'ip link set lo up && exec "$0" "$@"',
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        inner,
    ]
    env = {**os.environ, INSIDE: "1", "DJANGO_SETTINGS_MODULE": "hearth.config.settings.test"}
    env.pop("DATABASE_URL", None)  # the namespace has no route to a database server
    env.pop("REDIS_URL", None)
    # Known flake under a loaded full run (about 1 run in 5: one page never shows its two remote
    # videos within 30 s; root cause not found yet, see the issue notes; a failure now reports each
    # peer connection's state). One second attempt, and the first failure is printed to the real
    # stderr so it is never silent.
    for attempt in (1, 2):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, cwd=settings.BASE_DIR)
        output = result.stdout[-8000:] + result.stderr[-4000:]
        if result.returncode == 0 or attempt == 2:
            break
        print(f"VIDEO BROWSER TEST: attempt 1 failed, retrying once\n{output[-3000:]}", file=sys.__stderr__)
    assert result.returncode == 0, output
    assert "1 passed" in result.stdout, output


# --- inside the namespace -----------------------------------------------------------------------


REMOTE_VIDEOS = """() => [...document.querySelectorAll('[data-video-grid] li[data-peer] video')].map(v => ({
    width: v.videoWidth,
    frames: Math.max(Number(v.dataset.frames || 0), v.getVideoPlaybackQuality().totalVideoFrames),
}))"""


PEER_STATES = """() => [...window.hearthRoom.peers.values()].map(p => ({
    id: p.info.id, offerer: p.offerer, queued: p.queued.length,
    signaling: p.pc && p.pc.signalingState, ice: p.pc && p.pc.iceConnectionState,
    connection: p.pc && p.pc.connectionState, senders: p.pc && p.pc.getSenders().length,
    receivers: p.pc && p.pc.getReceivers().map(r => r.track.kind + ':' + r.track.readyState).join(','),
    src: Boolean(p.video.srcObject), width: p.video.videoWidth, frames: Number(p.video.dataset.frames || 0),
}))"""


def wait_for_remote_videos(page, count: int, min_frames: int = 10, timeout: float = 30_000, errors=()):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """([count, minFrames]) => {
                const videos = [...document.querySelectorAll('[data-video-grid] li[data-peer] video')];
                return videos.length === count && videos.every(v => v.videoWidth > 0 &&
                    Math.max(Number(v.dataset.frames || 0), v.getVideoPlaybackQuality().totalVideoFrames) >= minFrames);
            }""",
            arg=[count, min_frames],
            timeout=timeout,
        )
    except PlaywrightTimeout:
        # What each peer connection was doing, so a failure says where the call stuck.
        me = page.evaluate("() => window.hearthRoom.me")
        peers = page.evaluate(PEER_STATES)
        raise AssertionError(f"person {me}: remote videos missing; peers: {peers}; page errors: {errors}") from None
    return page.evaluate(REMOTE_VIDEOS)


def serious_axe_violations(page) -> list[str]:
    from hearth.messaging.tests.test_browser import AXE

    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run()).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
    )


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_call_inside_the_namespace(world):
    if os.environ.get(INSIDE) != "1":
        pytest.skip("runs only inside the namespace made by test_three_people_call_in_a_loopback_only_namespace")
    from hearth.messaging.tests.test_live_server import ServerThread, cookie_for
    from hearth.scheduling.models import Attendance
    from hearth.video.models import Seat, SeatState
    from hearth.video.tests.conftest import open_session

    session = open_session(world, starts_in_minutes=-5, minutes=60)
    people = {"host": world.clinician, "alice": world.participant, "bob": world.other_participant}
    cookies = {name: cookie_for(user) for name, user in people.items()}
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    errors: list[str] = []
    with ServerThread() as server, sync_playwright() as playwright:
        base = f"http://127.0.0.1:{server.port}"
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *VIDEO_ARGS], headless=True
        )
        pages = {}
        for name, cookie in cookies.items():
            context = browser.new_context(viewport=DESKTOP if name == "host" else PHONE)
            key, value = cookie.split("=", 1)
            context.add_cookies([{"name": key, "value": value, "url": base}])
            page = context.new_page()
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
            pages[name] = page
        host, alice, bob = pages["host"], pages["alice"], pages["bob"]
        room = f"{base}/video/{session.pk}/"

        # Device check (the participant's phone).
        alice.goto(f"{base}/video/check/")
        alice.get_by_role("button", name="Start camera and microphone").click()
        expect(alice.locator("[data-video-status]")).to_have_text("Your camera and microphone work.")
        alice.wait_for_function("() => document.querySelector('[data-video-local]').videoWidth > 0")
        alice.wait_for_function("() => document.querySelector('[data-video-level]').value > 0", timeout=10_000)
        assert serious_axe_violations(alice) == []
        shoot(alice, "video_device_check_phone")

        host.goto(f"{base}/video/check/")
        host.get_by_role("button", name="Start camera and microphone").click()
        host.wait_for_function("() => document.querySelector('[data-video-local]').videoWidth > 0")
        shoot(host, "video_device_check_desktop")
        host.goto(room)
        assert serious_axe_violations(host) == []
        host.get_by_role("button", name="Join the session").click()
        expect(host.locator("[data-video-call]")).to_be_visible()
        for page in (alice, bob):
            page.goto(room)
            page.get_by_role("button", name="Join the session").click()
            expect(page.locator("[data-video-waiting]")).to_be_visible()
        expect(host.get_by_role("button", name="Admit Participant")).to_be_visible()
        expect(host.get_by_role("button", name="Admit Other participant")).to_be_visible()
        assert serious_axe_violations(alice) == []
        shoot(alice, "video_waiting_participant_phone")
        shoot(host, "video_waiting_host_desktop")
        host.set_viewport_size(PHONE)
        shoot(host, "video_waiting_host_phone")
        host.set_viewport_size(DESKTOP)

        host.get_by_role("button", name="Admit Participant").click()
        host.get_by_role("button", name="Admit Other participant").focus()
        host.keyboard.press("Enter")  # keyboard works too
        admitted_at = time.monotonic()
        for page in (host, alice, bob):
            videos = wait_for_remote_videos(page, 2, errors=errors)
            assert all(v["width"] > 0 and v["frames"] >= 10 for v in videos), videos
        expect(host.locator("[data-video-announcer]")).to_contain_text("joined the call")
        for page in (host, alice, bob):
            expect(page.locator("[data-video-quality]")).to_have_attribute("data-level", "good", timeout=10_000)

        alice.get_by_role("button", name="Raise hand").click()
        expect(host.locator("[data-video-announcer]")).to_have_text("Participant raised a hand.")
        expect(host.locator("[data-video-people]")).to_contain_text("Participant (Hand raised)")
        expect(alice.get_by_role("button", name="Lower hand")).to_have_attribute("aria-pressed", "true")
        assert serious_axe_violations(host) == []
        shoot(host, "video_call_host_desktop")
        shoot(alice, "video_call_participant_phone")
        host.set_viewport_size(PHONE)
        shoot(host, "video_call_host_phone")
        host.set_viewport_size(DESKTOP)

        # A network drop: Alice's socket closes; her page reconnects by itself (a fresh join token,
        # straight back in: her seat is still admitted) and media comes back on every page.
        alice.evaluate("() => { window.droppedSocket = window.hearthRoom.socket; window.droppedSocket.close(); }")
        alice.wait_for_function(
            """() => window.hearthRoom.socket !== window.droppedSocket && window.hearthRoom.state === 'admitted'
                && window.hearthRoom.socket.readyState === WebSocket.OPEN""",
            timeout=15_000,
        )
        for page in (host, alice, bob):
            wait_for_remote_videos(page, 2)

        # Stay past a minute so attendance minutes are real, with media flowing the whole time.
        remaining = 62 - (time.monotonic() - admitted_at)
        if remaining > 0:
            host.wait_for_timeout(remaining * 1000)
        for page in (host, alice, bob):
            assert len(wait_for_remote_videos(page, 2, min_frames=100)) == 2

        host.get_by_role("button", name="Remove Other participant").click()
        expect(bob.locator("[data-video-done-text]")).to_have_text("The host removed you from this call.")
        expect(host.locator("[data-video-announcer]")).to_have_text("Other participant was removed from the call.")
        wait_for_remote_videos(host, 1)
        wait_for_remote_videos(alice, 1)
        # Bob tries again: he waits, and nobody's media reaches him.
        bob.get_by_role("button", name="Join again").click()
        expect(bob.locator("[data-video-waiting-text]")).to_contain_text("only the host can let you back in")
        expect(host.locator("[data-video-queue]")).to_contain_text("Other participant (removed earlier)")
        bob.wait_for_timeout(1500)
        assert bob.evaluate(REMOTE_VIDEOS) == []
        assert len(host.evaluate(REMOTE_VIDEOS)) == 1

        alice.get_by_role("button", name="Leave").click()
        expect(alice.locator("[data-video-done-text]")).to_contain_text("You left the call")

        # Audio only (a slow connection): no camera is opened, the camera control is off, and the
        # host still receives her microphone.
        alice.goto(room)
        alice.get_by_label("Audio only (for a slow connection)").check()
        alice.get_by_role("button", name="Join the session").click()
        expect(alice.locator("[data-video-waiting]")).to_be_visible()
        host.get_by_role("button", name="Admit Participant").click()
        expect(alice.locator("[data-video-call]")).to_be_visible()
        assert alice.evaluate("() => window.hearthRoom.stream.getVideoTracks().length") == 0
        assert alice.evaluate("() => window.hearthRoom.stream.getAudioTracks().length") == 1
        expect(alice.get_by_role("button", name="Turn camera off")).to_be_disabled()
        host.wait_for_function(
            """() => { const v = document.querySelector('[data-video-grid] li[data-peer] video');
                return !!(v && v.srcObject && v.srcObject.getAudioTracks().length === 1
                          && v.srcObject.getVideoTracks().length === 0); }""",
            timeout=15_000,
        )
        alice.get_by_role("button", name="Leave").click()
        host.get_by_role("button", name="Leave").click()
        for page in pages.values():
            page.context.close()
        browser.close()
        # Every socket is closed; the server records each stay as it handles the close. Under a
        # loaded machine that can take seconds, so wait for it rather than for a fixed time.
        deadline = time.monotonic() + 30
        while Seat.objects.filter(room__occurrence=session, connections__gt=0).exists():
            assert time.monotonic() < deadline, (
                list(
                    Seat.objects.filter(room__occurrence=session).values_list(
                        "person_id", "state", "connections", "seconds_present", "connected_at"
                    )
                ),
                [
                    (type(c).__name__, getattr(c, "scope", {}).get("path"))
                    for c in server.server.server_state.connections
                ],
                len(server.server.server_state.tasks),
            )
            time.sleep(0.2)

    noise = [e for e in errors if "favicon" not in e]
    assert not noise, noise
    for person in (world.participant, world.other_participant):
        attendance = Attendance.objects.get(occurrence=session, person=person)
        assert attendance.source == "video" and attendance.minutes >= 1, (person, attendance.minutes)
    # The reconnect did not split Alice's stay: both recorded stretches start at her first join.
    stretches = Attendance.objects.get(occurrence=session, person=world.participant).presence
    assert len(stretches) >= 2 and len({start for start, _end in stretches}) == 1, stretches
    host_seat = Seat.objects.get(room__occurrence=session, person=world.clinician)
    assert host_seat.seconds_present >= 60
    assert Seat.objects.get(room__occurrence=session, person=world.other_participant).state == SeatState.LEFT
