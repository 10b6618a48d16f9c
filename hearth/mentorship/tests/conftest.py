"""Reuse the browser fixtures (Debian's Chromium via Playwright, axe and CSP checks on every page)
for this app's browser test."""

from hearth.tests.browser.conftest import (  # noqa: F401
    axe_source,
    browser,
    open_tab,
    pytest_fixture_setup,
)
