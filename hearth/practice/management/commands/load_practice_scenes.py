"""Load practice scenes from YAML files (the shipped ones by default) as scenes every program sees.

A broken file is refused with the file, the line and the reason, and nothing is stored."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hearth.practice.schema import SceneError
from hearth.practice.services import scenes_load, shipped_scene_paths


class Command(BaseCommand):
    help = "Check and load practice scene YAML files (default: the scenes shipped with Hearth)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="scene files or folders of *.yaml files")

    def handle(self, *args, paths, **options):
        files: list[Path] = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                files += sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{name}: no such file or folder")
        files = files or shipped_scene_paths()
        if not files:
            raise CommandError("No scene files to load.")
        try:
            scenes = scenes_load(paths=files)
        except SceneError as error:
            raise CommandError("Scene refused, nothing was loaded:\n" + error.describe()) from None
        for scene in scenes:
            self.stdout.write(f"{scene.slug} (version {scene.version})")
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(scenes)} practice scene(s)."))
