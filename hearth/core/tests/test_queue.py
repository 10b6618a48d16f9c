from hearth.core.queue import SqliteHuey


def test_embedded_queue_keeps_tasks_with_wal_normal_sync(tmp_path):
    queue = SqliteHuey("test-queue", filename=str(tmp_path / "huey.sqlite3"), immediate=False)

    @queue.task()
    def add(a, b):
        return a + b

    result = add(2, 3)
    conn = queue.storage.conn
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL, not FULL (2)
    assert queue.pending_count() == 1
    task = queue.dequeue()
    queue.execute(task)
    assert result.get() == 5
