"""The browser side of the janus backend: two Chromium contexts (janus-gateway's client) publish and
subscribe through Debian's Janus, with the server, Janus and Chromium inside a namespace with a
veth pair. Hearth's room page gets a Janus token per person from the janus backend."""

import os
from pathlib import Path

import pytest

from hearth.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from hearth.video.tests.test_browser import DESKTOP, PHONE, VIDEO_ARGS, shoot, wait_for_remote_videos
from hearth.video.tests.test_janus import namespace_problem, run_inside_namespace

pytestmark = [pytest.mark.browser]
INSIDE = "HEARTH_JANUS_BROWSER_NETNS"


def test_two_browsers_through_janus_in_a_veth_namespace():
    problem = namespace_problem()
    if problem or not CHROMIUM.exists():
        pytest.skip(f"JANUS BROWSER TEST SKIPPED: {problem or f'{CHROMIUM} is missing'}")
    result = run_inside_namespace(f"{Path(__file__).resolve()}::test_inside_the_namespace", INSIDE)
    output = result.stdout[-8000:] + result.stderr[-4000:]
    assert result.returncode == 0 and "1 passed" in result.stdout, output


@pytest.mark.django_db(transaction=True)
def test_inside_the_namespace(world, tmp_path, settings):
    if os.environ.get(INSIDE) != "1":
        pytest.skip("runs only inside the namespace made by test_two_browsers_through_janus_in_a_veth_namespace")
    from hearth.messaging.tests.test_live_server import ServerThread, cookie_for
    from hearth.video.tests.conftest import open_session
    from hearth.video.tests.janus_server import running_janus

    with running_janus(tmp_path / "janus") as (_client, janus):
        settings.VIDEO_BACKEND = "janus"
        settings.VIDEO_JANUS_URL, settings.VIDEO_JANUS_ADMIN_URL = janus.url, janus.admin_url
        settings.VIDEO_JANUS_ADMIN_SECRET, settings.VIDEO_JANUS_ADMIN_KEY = janus.admin_secret, janus.admin_key
        # In production nginx serves Janus on the site's origin; here it has its own port.
        settings.VIDEO_JANUS_PUBLIC_URL = janus.url
        janus_origin = janus.url.rsplit("/janus", 1)[0]
        policy = settings.CONTENT_SECURITY_POLICY
        directives = {**policy["DIRECTIVES"], "connect-src": [*policy["DIRECTIVES"]["connect-src"], janus_origin]}
        settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
        session = open_session(world, starts_in_minutes=-5)
        cookies = {"host": cookie_for(world.clinician), "guest": cookie_for(world.participant)}
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
            host, guest = pages["host"], pages["guest"]
            # One at a time: the in-memory SQLite test database answers "table is locked" to a
            # second writer instead of waiting (a test-only limit; file SQLite and PostgreSQL wait).
            host.goto(f"{base}/video/{session.pk}/")
            host.get_by_role("button", name="Join the session").click()
            expect(host.locator("[data-video-call]")).to_be_visible()
            guest.goto(f"{base}/video/{session.pk}/")
            guest.get_by_role("button", name="Join the session").click()
            expect(guest.locator("[data-video-waiting]")).to_be_visible()
            host.get_by_role("button", name="Admit Participant").click()
            for page in (host, guest):
                videos = wait_for_remote_videos(page, 1, min_frames=10)
                assert all(v["width"] > 0 for v in videos), videos
            # Media came through Janus: no browser-to-browser connection exists in an SFU room.
            for page in (host, guest):
                assert page.evaluate("() => window.hearthRoom.sfu !== null && window.hearthRoom.sfu.feeds.size === 1")
                assert page.evaluate("() => [...window.hearthRoom.peers.values()].every(p => p.pc === null)")
            # Each page subscribed to the feed Hearth assigned the other person's seat, and labels
            # its tile from Hearth's peer list (#13 item 9: never from the Janus display).
            from hearth.video.models import Seat

            feeds = dict(Seat.objects.filter(room__occurrence=session).values_list("person_id", "media_feed_id"))
            for page, other in ((host, world.participant), (guest, world.clinician)):
                assert page.evaluate("() => [...window.hearthRoom.sfu.feeds.keys()]") == [feeds[other.pk]]
                tile = page.locator(f'[data-peer="{other.pk}"] .video-name')
                expect(tile).to_contain_text(other.display_name)
            expect(guest.locator("[data-video-quality]")).to_have_attribute("data-level", "good")
            shoot(host, "video_janus_call_host_desktop")
            # Nothing secret reached the page.
            for secret in (janus.admin_secret, janus.admin_key):
                assert secret not in host.content() and secret not in guest.content()
            browser.close()
    assert not [e for e in errors if "favicon" not in e], errors
    from hearth.video.models import Room

    assert Room.objects.get(occurrence=session).backend == "janus"
