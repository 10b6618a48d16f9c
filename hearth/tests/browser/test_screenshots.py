"""Screenshots of the foundation's pages for people to look at (var/screenshots/), each checked by axe."""

import pytest

from hearth.accounts.models import User
from hearth.tests.factories import Role, UserFactory, grant_role

from .conftest import DESKTOP, PHONE, confirm_password_if_asked, session_cookie_for, sign_in_with_password

pytestmark = pytest.mark.browser

ROLES = {
    "participant": "participant",
    "clinician": "clinician",
    "admin": "admin",
    "mentor": "mentor",
    "family": "family_with_consent",
}


@pytest.fixture
def newcomer(world, language):
    """A clinician without MFA yet, who will be sent to enrol."""
    person = UserFactory(display_name="New clinician", language=language)
    grant_role(person, world.program, Role.CLINICIAN)
    return person


@pytest.fixture
def sessions(world, live_server, language) -> dict:
    """Signed-in session cookies for each role whose dashboard is shot, speaking `language`."""
    personas = world.personas()
    chosen = {role: personas[persona] for role, persona in ROLES.items()}
    User.objects.filter(pk__in=[user.pk for user in chosen.values()]).update(language=language)
    return {role: session_cookie_for(user, live_server.url) for role, user in chosen.items()}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots(newcomer, sessions, open_tab, language, size, viewport):
    locale = "en-US" if language == "en" else "es-ES"
    suffix = f"{size}-{language}"

    # Login page, then the forced MFA enrolment of a new clinician.
    tab = open_tab(viewport=viewport, locale=locale)
    tab.visit("/accounts/login/", "login", check=False)
    assert tab.page.get_attribute("html", "lang") == language
    tab.screenshot(f"login-{suffix}")
    sign_in_with_password(tab, newcomer.email, check=False)
    if "/accounts/reauthenticate/" in tab.page.url:
        tab.screenshot(f"mfa-confirm-password-{suffix}")
        confirm_password_if_asked(tab, check=False)
    assert "/accounts/2fa/totp/activate/" in tab.page.url
    tab.screenshot(f"mfa-enrol-{suffix}")

    tab = open_tab(viewport=viewport, locale=locale)
    for role in ROLES:
        tab.use_session(sessions[role])
        tab.visit("/dashboard/", check=False)
        assert tab.page.get_attribute("html", "lang") == language
        tab.screenshot(f"dashboard-{role}-{suffix}")
        if role == "participant":
            # The crisis panel, opened: every line is on screen and one tap away.
            tab.page.click(".crisis-button")
            assert tab.page.locator(".crisis-panel a[href='tel:988']").is_visible()
            panel = tab.page.locator(".crisis-panel").bounding_box()
            assert panel["x"] >= 0, "crisis panel runs off the screen"
            assert panel["x"] + panel["width"] <= viewport["width"], "crisis panel runs off the screen"
            tab.screenshot(f"crisis-open-{suffix}")
