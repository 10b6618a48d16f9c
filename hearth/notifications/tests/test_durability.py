"""Durability: a delivery job in a real SqliteHuey store survives its consumer being killed.

The email server is down at first, so the first attempt fails and the job is scheduled to retry
(in the Huey store on disk). The consumer is then killed (SIGKILL), the mail server comes up, a
new consumer starts: the notification arrives exactly once. Runs the real ``manage.py run_huey``
against a temporary SQLite database; only 127.0.0.1 is used."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[3]

CREATE_AND_NOTIFY = """
from django.db import transaction
from hearth.accounts.models import User
from hearth.notifications.services import notify
person = User.objects.create_user("durable@hearth.test", display_name="Durable")
with transaction.atomic():
    notification = notify(recipient=person, kind="messaging.message", url="/messages/1/")
print(notification.deliveries.get(channel="email").pk)
"""


def _delivery(db: Path, pk: int) -> tuple[str, int]:
    with sqlite3.connect(db, timeout=20) as conn:
        return conn.execute("select status, attempts from notifications_delivery where id = ?", (pk,)).fetchone()


def _scheduled_jobs(huey_db: Path) -> int:
    with sqlite3.connect(huey_db, timeout=20) as conn:
        return conn.execute("select count(*) from schedule").fetchone()[0]


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def _consumer(env) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "run_huey", "--workers", "1", "--delay", "0.1", "--max-delay", "0.5"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


@pytest.mark.skipif(sys.platform != "linux", reason="runs manage.py subprocesses on Linux")
def test_delivery_survives_a_killed_consumer_and_arrives_once(tmp_path):
    from aiosmtpd.controller import Controller

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="hearth.config.settings.embedded",
        HEARTH_VAR_DIR=str(tmp_path),
        DEBUG="false",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_TIMEOUT="2",
        NOTIFICATIONS_RETRY_BASE_SECONDS="1",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    out = subprocess.run(
        [*manage, "shell", "-c", CREATE_AND_NOTIFY], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True
    )
    delivery_id = int(out.stdout.decode().strip().splitlines()[-1])
    db = tmp_path / "hearth.sqlite3"
    assert _delivery(db, delivery_id) == ("pending", 0)  # queued in the Huey store, nothing ran yet

    received = []

    class Handler:
        async def handle_DATA(self, _server, _session, envelope):
            received.append(envelope.content)
            return "250 OK"

    first = _consumer(env)
    controller = None
    second = None
    try:
        # Attempt 1 fails (no mail server); the job is rescheduled in the store; kill the consumer.
        _wait_for(lambda: _delivery(db, delivery_id)[1] >= 1 and _delivery(db, delivery_id)[0] == "pending")
        _wait_for(lambda: _scheduled_jobs(tmp_path / "huey.sqlite3") >= 1)  # the retry is on disk
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        second = _consumer(env)
        _wait_for(lambda: _delivery(db, delivery_id)[0] == "sent")
        time.sleep(3)  # time enough for any duplicate to show up
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=20)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        if controller is not None:
            controller.stop()
    assert len(received) == 1
    assert b"You have a new message in Hearth" in received[0]
    status, attempts = _delivery(db, delivery_id)
    assert (status, attempts) == ("sent", 2)
