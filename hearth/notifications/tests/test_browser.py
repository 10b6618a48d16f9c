"""Screenshots of the notification pages in Debian's Chromium (phone and desktop): the settings
page, the in-app list, the delivery log, and an email as a mail client would render it. Each page
is checked for CSP and console errors and for serious axe-core violations."""

import asyncio
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from hearth.notifications.services import notify
from hearth.notifications.transports import Outbound, render_email

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = settings.VAR_DIR / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _cookie(user, url):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": url}


def _check(page, errors, label):
    if AXE.exists():
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
        )
        assert not violations, f"{label}: {violations}"
    csp = [e for e in errors if "content security policy" in e.lower()]
    assert not csp, f"{label}: {csp}"


@pytest.fixture
def people(world):
    for kind in ("messaging.message", "scheduling.reminder", "checkins.reminder"):
        notify(recipient=world.participant, kind=kind, url="/notifications/")
    notify(recipient=world.participant, kind="system.welcome")
    return world


def test_notification_pages_screenshots(people, live_server, push_service):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    participant_cookie = _cookie(people.participant, live_server.url)
    admin_cookie = _cookie(people.admin, live_server.url)
    outbound = Outbound(
        kind="messaging.message", title="You have a new message in Hearth", url=live_server.url, language="en"
    )
    _subject, _text, email_html = render_email(outbound, people.participant)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                context = browser.new_context(viewport=viewport)
                context.route_web_socket("**/ws/**", lambda ws: ws.send('{"type": "unread", "count": 0}'))
                context.add_cookies([participant_cookie])
                page = context.new_page()
                errors = []
                page.on("console", lambda msg, errors=errors: msg.type == "error" and errors.append(msg.text))
                for path, name in (("/notifications/settings/", "preferences"), ("/notifications/", "list")):
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, path
                    _check(page, errors, name)
                    page.screenshot(path=str(SHOTS / f"notifications-{name}-{size}.png"), full_page=True)
                width = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                assert width <= 0, f"the list scrolls sideways on a {size}"
                context.clear_cookies()
                context.add_cookies([admin_cookie])
                response = page.goto(live_server.url + "/notifications/deliveries/")
                assert response.status == 200
                _check(page, errors, "delivery log")
                page.screenshot(path=str(SHOTS / f"notifications-delivery-log-{size}.png"), full_page=True)
                blank = context.new_page()  # about:blank, no CSP: as a mail client shows it
                blank.set_content(email_html)
                blank.screenshot(path=str(SHOTS / f"notifications-email-{size}.png"), full_page=True)
                context.close()
        finally:
            browser.close()
            asyncio.set_event_loop(None)
    assert (SHOTS / "notifications-preferences-phone.png").stat().st_size > 1000
