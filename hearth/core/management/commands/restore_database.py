"""``manage.py restore_database FILE``: put a backup made by ``backup_database`` back (``make restore``)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hearth.core.backup import KEY_WARNING, BackupError, engine_of, pg_restore, sqlite_restore


class Command(BaseCommand):
    help = "Restore a backup into the configured database, which must be empty unless --force."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a hearth-*.sqlite3 or hearth-*.dump file")
        parser.add_argument("--force", action="store_true", help="replace what the database holds")

    def handle(self, *args, backup: str, force: bool, **options):
        path = Path(backup)
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        tables = connection.introspection.table_names()
        if tables and not force:
            raise CommandError(
                f"the database already has {len(tables)} tables; restore into an empty database, or pass --force"
            )
        try:
            engine = engine_of(connection.settings_dict)
            if engine == "sqlite":
                if path.suffix != ".sqlite3":
                    raise BackupError("an SQLite database restores only from a .sqlite3 backup")
                connection.ensure_connection()
                sqlite_restore(path, Path(connection.settings_dict["NAME"]))
            else:
                if path.suffix != ".dump":
                    raise BackupError("PostgreSQL restores only from a pg_dump custom-format .dump backup")
                connection.close()
                pg_restore(connection.settings_dict, path, clean=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        sys.stderr.write(KEY_WARNING + "\n")
        self.stdout.write(f"restored {path} into {connection.settings_dict['NAME']}")
