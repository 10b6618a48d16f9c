"""A participant switches Hearth to Spanish with the footer language switch."""

import pytest
from django.conf import settings
from django.utils import translation

from .conftest import sign_in_with_password

pytestmark = pytest.mark.browser

HEARTH_SPANISH_CATALOG = settings.PACKAGE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.mo"


def spanish(text: str) -> str:
    with translation.override("es"):
        translated = translation.gettext(text)
    assert translated != text, f"no Spanish translation for {text!r}"
    return translated


def test_participant_switches_to_spanish(world, tab):
    page = tab.page
    sign_in_with_password(tab, world.participant.email)
    assert page.url == tab.url("/dashboard/")
    assert page.get_attribute("html", "lang") == "en"

    page.select_option("#language-select", "es")
    with page.expect_navigation():
        page.click(".language-switch button[type=submit]")
    tab.check("dashboard in Spanish")
    assert page.url == tab.url("/dashboard/")
    assert page.get_attribute("html", "lang") == "es"
    if HEARTH_SPANISH_CATALOG.exists():
        assert spanish("Your next steps") in page.inner_text("main")

    # The choice is kept on the profile, so it follows the person to every page.
    tab.visit("/accounts/password/change/", "allauth page in Spanish")
    assert page.get_attribute("html", "lang") == "es"
    assert spanish("Change Password") in page.inner_text("main")
    world.participant.refresh_from_db()
    assert world.participant.language == "es"
