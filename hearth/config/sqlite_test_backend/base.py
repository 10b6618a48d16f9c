"""SQLite for the test suite only: flushing between transactional tests lifts the tables' triggers.

The audit table refuses UPDATE and DELETE with triggers (audit migrations 0002 and 0003), and
Django empties SQLite tables with DELETE. This backend drops the triggers of the flushed tables,
deletes, and recreates them from their stored SQL. Embedded and production settings keep
Django's own backend, so there a flush fails, as it should.
"""

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not tables:
            return statements
        placeholders = ", ".join("%s" for _ in tables)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",  # noqa: S608
                list(tables),
            )
            triggers = cursor.fetchall()
        drops = [f"DROP TRIGGER {self.quote_name(name)};" for name, _sql in triggers]
        creates = [f"{sql};" for _name, sql in triggers]
        return [*drops, *statements, *creates]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
