"""The program report and the isolation radar in Chromium at phone and desktop width: axe finds
nothing serious, no CSP errors, nothing scrolls sideways; screenshots land in var/screenshots/."""

import pytest

from hearth.tests.browser.conftest import DESKTOP, PHONE, SCREENSHOT_DIR, session_cookie_for
from hearth.tests.factories import enrol_mfa

from .data import build_fixed

pytestmark = pytest.mark.browser


@pytest.fixture
def fixed():
    data = build_fixed()
    enrol_mfa(data.clinician)
    return data


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_program_report_and_radar(fixed, live_server, open_tab, size, viewport):
    tab = open_tab(viewport=viewport, session=session_cookie_for(fixed.clinician, live_server.url))
    query = f"?program={fixed.program.pk}&start=2026-03-02&end=2026-03-29"
    tab.visit("/reports/program/" + query, "program report")
    page = tab.page
    assert page.locator("svg.chart-engagement").count() == 1
    rows = page.locator("#engagement-heading ~ .table-wrap tbody tr")
    assert rows.count() == 4
    assert rows.first.inner_text().split("\t")[:4] == ["Sessions attended", "4", "0", "0.25"]
    tab.screenshot(f"reports-program-{size}")
    # The engagement section alone, at the size a reader sees it.
    section = page.locator("section", has=page.locator("#engagement-heading"))
    section.screenshot(path=str(SCREENSHOT_DIR / f"reports-engagement-{size}.png"))
    tab.visit("/reports/program/" + query + f"&track={fixed.tracks['stabilise'].pk}", "program report, one track")
    tab.visit(f"/reports/isolation/?program={fixed.program.pk}", "isolation radar")
    tab.screenshot(f"reports-radar-{size}")
