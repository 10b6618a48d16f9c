"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

Every page a test visits goes through `visit()`, which runs axe-core and fails on serious or
critical violations, and every page is watched for Content-Security-Policy errors.
"""

import asyncio
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client

from hearth.tests.factories import PASSWORD

# Playwright's sync API runs an asyncio loop in this thread; the ORM calls made by fixtures and
# tests are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
AXE_SOURCE_PATH = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = settings.VAR_DIR / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BLOCKING_IMPACTS = {"serious", "critical"}
# The live badge needs the ASGI websocket route; the WSGI live server cannot answer it.
WEBSOCKET_NOISE = re.compile(r"websocket|/ws/", re.IGNORECASE)


@contextmanager
def outside_event_loop():
    """Run Django code as if no event loop were running in this thread.

    After every call Playwright's sync API marks its loop as running in the calling thread, so
    Django code that bridges to async (async_to_sync, e.g. a channel-layer publish in an
    on_commit hook) would refuse to run. Unmark it for the Django work, then restore it:
    Playwright expects it set whenever it resumes its dispatcher.
    """
    loop = asyncio._get_running_loop()
    if loop is None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


# Fixtures that drive the browser; every other fixture (world, factories, the live server) is
# Django work and runs outside the event loop.
BROWSER_FIXTURES = {"browser", "open_tab", "tab"}


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.argname in BROWSER_FIXTURES:
        return (yield)
    with outside_event_loop():
        return (yield)


# One browser per test module, not per session: while Playwright's sync API is alive it marks its
# event loop as running in this thread, which would break every later asyncio test (and a second
# Playwright) if the browser outlived its module.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's `chromium` package "
            "(never a downloaded browser) to run hearth/tests/browser."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_SOURCE_PATH.read_text(encoding="utf-8")


@dataclass
class Tab:
    """A page plus what it reported: console errors and uncaught exceptions."""

    page: object
    base_url: str
    axe_source: str
    errors: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    expected_status: int | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def use_session(self, session: dict) -> None:
        """Become someone else in the same browser context (its cached static files stay)."""
        context = self.page.context
        context.clear_cookies()
        context.add_cookies([session])

    def check(self, label: str = "") -> None:
        """Run axe on the current page and fail on serious/critical violations or CSP errors."""
        page = self.page
        page.wait_for_load_state("load")
        self.visited.append(page.url)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated as a plain expression: no <script> element, so a strict CSP stays strict.
            page.evaluate(self.axe_source)
        # WCAG 2.2's target-size rule is off by default in axe; Hearth promises large touch targets.
        result = page.evaluate(
            """async () => {
                const options = {resultTypes: ['violations'], preload: false, rules: {'target-size': {enabled: true}}};
                const r = await axe.run(document, options);
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
                }));
            }"""
        )
        blocking = [v for v in result if v["impact"] in BLOCKING_IMPACTS]
        where = f"{label or ''} {page.url}".strip()
        assert not blocking, f"axe found serious/critical violations on {where}:\n" + "\n".join(
            f"- [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in blocking
        )
        self.assert_no_csp_errors()
        self.assert_shell_fits(where)

    def assert_shell_fits(self, where: str) -> None:
        """The crisis button is on screen without scrolling, and nothing scrolls sideways."""
        box = self.page.locator(".crisis-button").bounding_box()
        viewport = self.page.viewport_size
        assert box is not None, f"no 'Get help now' button on {where}"
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"crisis button off screen on {where}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"crisis button off screen on {where}"
        overflow = self.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{where} overflows sideways by {overflow}px at {viewport['width']}px wide"

    def assert_no_csp_errors(self) -> None:
        csp = [e for e in self.errors if "content security policy" in e.lower()]
        assert not csp, "Content Security Policy errors:\n" + "\n".join(csp)
        unexpected = [e for e in self.errors if not WEBSOCKET_NOISE.search(e)]
        if self.expected_status:
            unexpected = [e for e in unexpected if f"status of {self.expected_status}" not in e]
        assert not unexpected, "Console errors:\n" + "\n".join(unexpected)

    def visit(self, path: str, label: str = "", *, check: bool = True, status: int | None = None):
        response = self.page.goto(self.url(path))
        assert response is not None, f"no response for {path}"
        if status is None:
            assert response.status < 400, f"{path} answered {response.status}"
        else:
            assert response.status == status, f"{path} answered {response.status}, not {status}"
        # Chromium logs an expected error status of the page itself as a console error.
        self.expected_status = status
        if check:
            self.check(label)
        return response

    def screenshot(self, name: str) -> Path:
        """Save the whole page as var/screenshots/<name>.png, then check it like any visited page."""
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.check(name)
        return path


@pytest.fixture
def open_tab(browser, live_server, axe_source):
    """open_tab(viewport=..., locale=...) -> a Tab in a fresh browser context; closed after the test."""
    contexts = []

    def _open(viewport=DESKTOP, locale="en-US", session: dict | None = None) -> Tab:
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        # The WSGI live server has no websocket route. Answer the live badge's socket in the
        # browser instead: no failing reconnects, and no requests racing the test's own use of
        # the (shared, in-memory) test database.
        context.route_web_socket(re.compile(r"/ws/"), answer_unread_count)
        if session is not None:
            context.add_cookies([session])
        page = context.new_page()
        tab = Tab(page=page, base_url=live_server.url, axe_source=axe_source)
        page.on("console", lambda msg: msg.type == "error" and tab.errors.append(msg.text))
        page.on("pageerror", lambda exc: tab.errors.append(f"uncaught: {exc}"))
        return tab

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab()


def answer_unread_count(ws) -> None:
    ws.send('{"type": "unread", "count": 0}')


def session_cookie_for(user, base_url: str) -> dict:
    """A signed-in session for `user`, made the way Django's test client makes one. Make it in a
    fixture: the live server shares the test database connection, so do not write while a page
    is loading."""
    client = Client()
    with outside_event_loop():
        client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": base_url}


def totp_code(secret: str, counter: int) -> str:
    return format_hotp_value(hotp_value(secret, counter))


def sign_in_with_password(tab: Tab, email: str, password: str = PASSWORD, *, check: bool = True) -> None:
    tab.visit("/accounts/login/", "login", check=check)
    page = tab.page
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if check:
        tab.check()


def confirm_password_if_asked(tab: Tab, password: str = PASSWORD, *, check: bool = True) -> bool:
    """allauth asks for the password again before an authenticator can be added (even right
    after signing in); answer it. Returns whether it was asked."""
    page = tab.page
    if "/accounts/reauthenticate/" not in page.url:
        return False
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if check:
        tab.check("after confirming the password")
    return True
