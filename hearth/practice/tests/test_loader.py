"""load_practice_scenes: shipped scenes load (idempotently); a broken file is refused with the
file, line and reason, and nothing is stored."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hearth.practice.models import Scene
from hearth.practice.services import shipped_scene_paths

from .test_schema import GOOD


def test_loads_the_shipped_scenes_once(db):
    call_command("load_practice_scenes")
    assert set(Scene.objects.filter(program__isnull=True).values_list("slug", flat=True)) == {
        "work-party",
        "old-friend-call",
        "family-dinner",
    }
    call_command("load_practice_scenes")
    assert Scene.objects.count() == 3
    assert set(Scene.objects.values_list("version", flat=True)) == {1}


def test_a_changed_file_is_reloaded_as_a_new_version(db, tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD, encoding="utf-8")
    call_command("load_practice_scenes", str(path))
    path.write_text(GOOD.replace("Clear.", "Clear and kind."), encoding="utf-8")
    call_command("load_practice_scenes", str(tmp_path))
    scene = Scene.objects.get(slug="tiny")
    assert scene.version == 2
    assert "Clear and kind." in scene.source


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("next: done", "next: nowhere"), 17, "which is not a node in this scene (missing branch)"),
        (("next: done", "next: a"), 9, "never reaches an ending: a loop with no exit"),
        (("skills: [say_no_first]", "skills: [guessing]"), 15, "unknown skill tag 'guessing'"),
        (("id: a-again", "id: a-no"), 18, "the choice id 'a-no' is used twice"),
    ],
)
def test_a_broken_file_is_refused_with_file_line_and_reason(db, tmp_path, change, line, reason):
    good = tmp_path / "a-good.yaml"
    good.write_text(GOOD.replace("slug: tiny", "slug: fine"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_practice_scenes", str(good), str(broken))
    message = str(caught.value)
    assert f"{broken}: line {line}: " in message
    assert reason in message
    assert not Scene.objects.exists(), "a refused load stores nothing, not even the good file"


def test_a_missing_path_is_refused(db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_practice_scenes", "/nonexistent/scene.yaml")


def test_shipped_scene_files_exist():
    assert len(shipped_scene_paths()) == 3
