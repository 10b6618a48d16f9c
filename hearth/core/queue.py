"""The embedded task queue: Huey on SQLite with the same durability as the main database.

Huey's SQLite storage leaves WAL's default ``synchronous=FULL``, so every enqueue waits for an
fsync (600 enqueues took 3.4 s here). ``NORMAL`` in WAL mode never corrupts the file; a power cut
can lose the last few enqueues, which the periodic sweeps (reminders, outreach) redo anyway.
The main SQLite database already runs with ``synchronous=NORMAL`` (settings.base)."""

import huey
from huey.storage import SqliteStorage


class NormalSyncSqliteStorage(SqliteStorage):
    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute("pragma synchronous=NORMAL")
        return conn


class SqliteHuey(huey.SqliteHuey):
    storage_class = NormalSyncSqliteStorage
