"""Screenshots of the foundation's pages for people to look at (var/screenshots/), each checked by axe."""

import pytest

from hearth.accounts.models import User
from hearth.tests.factories import Role, UserFactory, grant_role

from .conftest import DESKTOP, PHONE, confirm_password_if_asked, sign_in_with_password

pytestmark = pytest.mark.browser

ROLES = {
    "participant": "participant",
    "clinician": "clinician",
    "admin": "admin",
    "mentor": "mentor",
    "family": "family_with_consent",
}


@pytest.fixture
def people(world, language) -> dict:
    """The personas whose dashboards are shot, speaking `language`, plus a clinician without MFA."""
    personas = world.personas()
    chosen = {role: personas[persona] for role, persona in ROLES.items()}
    User.objects.filter(pk__in=[user.pk for user in chosen.values()]).update(language=language)
    newcomer = UserFactory(display_name="New clinician", language=language)
    grant_role(newcomer, world.program, Role.CLINICIAN)
    return {**chosen, "newcomer": newcomer}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots(people, open_tab, language, size, viewport):
    locale = "en-US" if language == "en" else "es-ES"
    suffix = f"{size}-{language}"

    # Login page, then the forced MFA enrolment of a new clinician.
    tab = open_tab(viewport=viewport, locale=locale)
    tab.visit("/accounts/login/", "login", check=False)
    assert tab.page.get_attribute("html", "lang") == language
    tab.screenshot(f"login-{suffix}")
    sign_in_with_password(tab, people["newcomer"].email, check=False)
    if "/accounts/reauthenticate/" in tab.page.url:
        tab.screenshot(f"mfa-confirm-password-{suffix}")
        confirm_password_if_asked(tab)
    assert "/accounts/2fa/totp/activate/" in tab.page.url
    tab.screenshot(f"mfa-enrol-{suffix}")

    for role in ROLES:
        tab = open_tab(viewport=viewport, locale=locale, user=people[role])
        tab.visit("/dashboard/", check=False)
        assert tab.page.get_attribute("html", "lang") == language
        tab.screenshot(f"dashboard-{role}-{suffix}")

    # The crisis panel, opened, on the participant's page.
    tab = open_tab(viewport=viewport, locale=locale, user=people["participant"])
    tab.visit("/dashboard/")
    tab.page.click(".crisis-button")
    assert tab.page.locator(".crisis-panel a[href='tel:988']").is_visible()
    tab.screenshot(f"crisis-open-{suffix}")
