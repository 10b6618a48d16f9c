"""make backup / make restore: a backup restored into a fresh database reads an encrypted note back
through the model, in a new process that has only the backup and the field-encryption keys."""

import datetime
import os
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from hearth.checkins.models import CheckIn
from hearth.core.backup import KEY_WARNING
from hearth.tests.factories import UserFactory

NOTE = "Called my sponsor before the party; cravings 7 → 3. Ñandú <script>x</script>"

READ_BACK = """
import django, sys
django.setup()
from django.core.management import call_command
from hearth.checkins.models import CheckIn
call_command("restore_database", sys.argv[1])
print(CheckIn.objects.get(pk=int(sys.argv[2])).note)
"""


def _checkin():
    person = UserFactory(display_name="Backed up")
    return CheckIn.objects.create(
        person=person, local_date=datetime.date(2026, 3, 1), mood=6, craving=3, sleep_hours=7, note=NOTE
    )


def _backup(tmp_path: Path, capsys) -> Path:
    out = StringIO()
    call_command("backup_database", output_dir=str(tmp_path / "backups"), stdout=out)
    path = Path(out.getvalue().strip())
    assert path.parent == tmp_path / "backups" and path.is_file()
    assert path.name.startswith("hearth-20") and path.name[7:15].isdigit(), "timestamped file name"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "field-encryption keys are NOT in this backup" in capsys.readouterr().err
    return path


def _read_back(backup: Path, checkin_pk: int, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hearth.config.settings.test",
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "false",
    }
    return subprocess.run(
        [sys.executable, "-c", READ_BACK, str(backup), str(checkin_pk)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip; see the postgres variant")
def test_sqlite_backup_restores_and_decrypts(tmp_path, capsys):
    checkin = _checkin()
    backup = _backup(tmp_path, capsys)
    assert backup.suffix == ".sqlite3"

    raw = sqlite3.connect(backup).execute("SELECT note FROM checkins_checkin WHERE id = ?", (checkin.pk,)).fetchone()
    assert raw[0] and "sponsor" not in raw[0], "the note is stored encrypted in the backup"

    fresh = tmp_path / "restored.sqlite3"
    result = _read_back(backup, checkin.pk, f"sqlite:///{fresh}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == NOTE
    assert KEY_WARNING.splitlines()[1] in result.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_tables(tmp_path):
    backup = tmp_path / ("hearth-x.sqlite3" if connection.vendor == "sqlite" else "hearth-x.dump")
    backup.write_bytes(b"")
    with pytest.raises(Exception, match=r"already has \d+ tables"):
        call_command("restore_database", str(backup))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_postgres_pg_dump_restores_and_decrypts(tmp_path, capsys):
    checkin = _checkin()
    backup = _backup(tmp_path, capsys)
    assert backup.suffix == ".dump"
    assert backup.read_bytes()[:5] == b"PGDMP", "pg_dump custom format"

    name = f"hearth_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        s = connection.settings_dict
        auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
        url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
        result = _read_back(backup, checkin.pk, url)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == NOTE
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
