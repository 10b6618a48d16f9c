"""A clinician's first sign-in: forced MFA enrolment, then password + authenticator code."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings

from hearth.tests.factories import Role, UserFactory, grant_role

from .conftest import confirm_password_if_asked, sign_in_with_password, totp_code

pytestmark = pytest.mark.browser


def current_counter() -> int:
    return int(time.time()) // mfa_settings.TOTP_PERIOD


@pytest.fixture
def new_clinician(world):
    """A clinician who has not set up a second factor yet."""
    clinician = UserFactory(display_name="New clinician", email="new.clinician@hearth.test")
    grant_role(clinician, world.program, Role.CLINICIAN)
    return clinician


def test_clinician_enrols_authenticator_then_signs_in_with_it(new_clinician, tab, settings):
    # allauth refuses a code that was already used in its period. Rather than sleep into the
    # next 30-second window, accept one neighbouring window (a common allowance for clock
    # skew) and sign in with the *next* window's code, which is certainly valid and unused.
    settings.MFA_TOTP_TOLERANCE = 1
    clinician = new_clinician
    page = tab.page

    sign_in_with_password(tab, clinician.email)
    confirm_password_if_asked(tab)
    assert page.url == tab.url("/accounts/2fa/totp/activate/"), "staff without MFA must be sent to enrolment"
    assert "authenticator app" in page.inner_text("main")

    # Nothing else is reachable until a second factor is set up.
    tab.visit("/dashboard/")
    assert page.url == tab.url("/accounts/2fa/totp/activate/")

    secret = page.input_value("#authenticator_secret")
    assert len(secret) >= 16
    activation_counter = current_counter()
    enter_code(tab, totp_code(secret, activation_counter))
    assert "/accounts/2fa/" in page.url, page.url  # recovery codes or the MFA overview
    tab.screenshot("mfa-after-activation-desktop-en")

    sign_out(tab)
    sign_in_with_password(tab, clinician.email)
    assert page.url.startswith(tab.url("/accounts/2fa/authenticate/")), page.url
    tab.screenshot("mfa-code-desktop-en")
    fresh_code = totp_code(secret, activation_counter + 1)
    enter_code(tab, fresh_code)
    assert page.url == tab.url("/dashboard/")
    assert "Your caseload" in page.inner_text("main")

    # A code works once: signing in again with the same code is refused.
    sign_out(tab)
    sign_in_with_password(tab, clinician.email)
    enter_code(tab, fresh_code)
    assert page.url.startswith(tab.url("/accounts/2fa/authenticate/")), page.url
    assert page.locator("main .errorlist, main [role=alert]").count() > 0


def enter_code(tab, code: str) -> None:
    tab.page.fill("input[name=code]", code)
    with tab.page.expect_navigation():
        tab.page.click("main form button[type=submit]")
    tab.check()


def sign_out(tab) -> None:
    """Sign out from the main menu, opening it first on a narrow screen."""
    page = tab.page
    if page.locator(".nav-menu > summary").is_visible():
        page.click(".nav-menu > summary")
    with page.expect_navigation():
        page.click(".nav-menu button[type=submit]")
    tab.check("after sign-out")
    assert page.url.startswith(tab.url("/accounts/login/"))
