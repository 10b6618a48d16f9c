"""The integrations page in Chromium: a program admin adds an integration and sees its secret once;
axe finds nothing serious, no CSP errors, nothing scrolls sideways on a phone; screenshots land in
var/screenshots/."""

import pytest

from hearth.api.services import integration_client_create
from hearth.tests.browser.conftest import DESKTOP, PHONE, session_cookie_for

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_integrations_page(world, live_server, open_tab, size, viewport):
    integration_client_create(
        actor=world.admin,
        program_id=world.program.pk,
        name="State reporting",
        scopes=["read:attendance"],
        expires_in_days=30,
    )
    tab = open_tab(viewport=viewport, session=session_cookie_for(world.admin, live_server.url))
    tab.visit("/settings/api-tokens/", "tokens")
    tab.screenshot(f"api-tokens-{size}")
    tab.page.get_by_role("link", name="Integrations of your programs").click()
    tab.check("integrations")
    page = tab.page
    page.get_by_label("Name").fill("County EHR")
    page.get_by_label("Export a record as FHIR").check()
    page.get_by_role("button", name="Add integration").click()
    page.wait_for_load_state("load")
    secret = page.locator("#new-client-secret").input_value()
    assert secret.startswith("hcs_")
    assert page.get_by_role("cell", name="County EHR").count() == 1
    tab.screenshot(f"api-integrations-{size}")
