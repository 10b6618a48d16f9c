import pytest

from hearth.practice.services import scenes_load, shipped_scene_paths


@pytest.fixture
def scenes(db) -> dict:
    return {scene.slug: scene for scene in scenes_load(paths=shipped_scene_paths())}
