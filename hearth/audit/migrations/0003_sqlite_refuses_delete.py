"""Embedded SQLite refuses DELETE of audit rows too, as PostgreSQL does (migration 0002).

The test runner empties tables with DELETE on SQLite; the test settings' backend
(`hearth.config.sqlite_test_backend`) lifts the triggers around that flush and puts them back.
"""

from django.db import migrations

SQLITE_UP = (
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (DELETE refused)'); END;"
)
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_entry_no_delete;"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(install, remove)]
