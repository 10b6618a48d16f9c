"""Every page in each role's menu, on a phone: axe-clean, no CSP errors, nothing sideways."""

import pytest

from .conftest import PHONE, session_cookie_for

pytestmark = pytest.mark.browser

ROLES = ["participant", "clinician", "admin", "mentor", "family_with_consent"]


@pytest.fixture
def sessions(world, live_server) -> dict:
    personas = world.personas()
    return {role: session_cookie_for(personas[role], live_server.url) for role in ROLES}


def test_every_menu_page_on_a_phone(sessions, open_tab):
    # Each role's dashboard, then every page its menu offers; a page already checked for an
    # earlier role is not checked again, to keep the suite quick.
    seen = {"/dashboard/"}
    tab = open_tab(viewport=PHONE)
    for role in ROLES:
        tab.use_session(sessions[role])
        tab.visit("/dashboard/", f"{role} dashboard")
        page = tab.page
        page.click(".nav-menu > summary")
        hrefs = page.eval_on_selector_all(".nav-menu a[href]", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs, f"{role} has no menu"
        for href in hrefs:
            if href in seen:
                continue
            seen.add(href)
            tab.visit(href, check=False)
            tab.screenshot(f"tour-{href.strip('/').replace('/', '-')}-{role}-phone-en")


def test_pages_anyone_can_reach(open_tab, live_server, db):
    """The crisis page and the not-found page, for someone not signed in, on a phone."""
    tab = open_tab(viewport=PHONE)
    tab.visit("/help/crisis/", check=False)
    assert tab.page.locator("main a[href='tel:988']").count() > 0
    tab.screenshot("crisis-page-phone-en")
    tab.visit("/no-such-page/", check=False, status=404)
    tab.screenshot("not-found-phone-en")


@pytest.fixture
def preferences_session(world, live_server) -> dict:
    """The participant, with larger text, high contrast and reduced motion switched on."""
    person = world.participant
    person.larger_text = person.high_contrast = person.reduce_motion = True
    person.save(update_fields=["larger_text", "high_contrast", "reduce_motion"])
    return session_cookie_for(person, live_server.url)


def test_display_preferences_keep_the_page_usable(preferences_session, open_tab):
    tab = open_tab(viewport=PHONE, session=preferences_session)
    tab.visit("/dashboard/", check=False)
    assert "pref-larger-text" in tab.page.get_attribute("html", "class")
    tab.screenshot("dashboard-participant-preferences-phone-en")


def test_keyboard_reaches_skip_link_then_help(sessions, open_tab):
    """The first Tab shows the skip link; help is the third stop, before the menu."""
    tab = open_tab(viewport=PHONE, session=sessions["participant"])
    tab.visit("/dashboard/")
    page = tab.page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # From the top of a fresh page: skip link, home link, then help.
    tab.visit("/dashboard/")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('crisis-button')")
    page.keyboard.press("Enter")
    assert page.locator(".crisis-panel a[href='tel:988']").is_visible()
    tab.check("help panel open")
    page.keyboard.press("Escape")
    assert not page.locator(".crisis-panel").is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('crisis-button')")
