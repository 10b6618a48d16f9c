"""Backups of the database that restore: SQLite through its online backup API, PostgreSQL with
``pg_dump --format=custom`` and ``pg_restore``. The field-encryption keys are never part of a backup."""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

KEY_WARNING = """\
!!! ------------------------------------------------------------------------------ !!!
!!! WARNING: the field-encryption keys are NOT in this backup.                     !!!
!!! FIELD_ENCRYPTION_KEYS (embedded: var/field-encryption.key) decrypts the notes, !!!
!!! messages and answers in it. Keep the keys in your secret store or key escrow,  !!!
!!! SEPARATELY from the backup: without them the encrypted fields cannot be read;  !!!
!!! stored next to it they protect nothing. The backup holds health information:   !!!
!!! treat it like the database.                                                    !!!
!!! ------------------------------------------------------------------------------ !!!"""


class BackupError(Exception):
    pass


def backup_file_name(engine: str, now: datetime.datetime | None = None) -> str:
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"hearth-{stamp}.{'sqlite3' if engine == 'sqlite' else 'dump'}"


def engine_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if "sqlite3" in engine or engine.endswith("sqlite_test_backend"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"no backup method for database engine {engine}")


def sqlite_backup(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live database page by page; writers may keep working meanwhile."""
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()


def sqlite_restore(backup: Path, target: Path) -> None:
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup} fails SQLite's integrity check")
        sqlite_backup(source, target)
    finally:
        source.close()


def _pg_args_env(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (argument list, no shell)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def pg_dump(settings_dict: dict, target: Path) -> None:
    args, env = _pg_args_env(settings_dict)
    _run(["pg_dump", "--format=custom", "--file", str(target), *args, settings_dict["NAME"]], env)


def pg_restore(settings_dict: dict, backup: Path, *, clean: bool = False) -> None:
    """Into an existing (normally empty) database; ``clean`` drops what the dump holds first."""
    args, env = _pg_args_env(settings_dict)
    options = ["--clean", "--if-exists"] if clean else []
    command = ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", *options]
    _run([*command, *args, "--dbname", settings_dict["NAME"], str(backup)], env)
