import pytest

from hearth.practice.services import scenes_load, shipped_scene_paths


@pytest.fixture
def scenes(db) -> dict:
    return {scene.slug: scene for scene in scenes_load(paths=shipped_scene_paths())}


# The browser fixtures (Debian's Chromium via Playwright, axe and CSP checks on every page).
from hearth.tests.browser.conftest import (  # noqa: E402, F401
    axe_source,
    browser,
    open_tab,
    pytest_fixture_setup,
)
