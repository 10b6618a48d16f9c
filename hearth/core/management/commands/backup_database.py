"""``manage.py backup_database``: a timestamped copy of the database (``make backup``)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hearth.core.backup import KEY_WARNING, BackupError, backup_file_name, engine_of, pg_dump, sqlite_backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup API or pg_dump -Fc) to a timestamped file."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=None, help="default: $HEARTH_VAR_DIR/backups")

    def handle(self, *args, output_dir: str | None, **options):
        directory = Path(output_dir) if output_dir else Path(settings.VAR_DIR) / "backups"
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            engine = engine_of(connection.settings_dict)
            target = directory / backup_file_name(engine)
            if target.exists():
                raise BackupError(f"{target} exists; wait a second and run again")
            if engine == "sqlite":
                connection.ensure_connection()
                sqlite_backup(connection.connection, target)
            else:
                pg_dump(connection.settings_dict, target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        target.chmod(0o600)
        sys.stderr.write(KEY_WARNING + "\n")
        self.stdout.write(str(target))
