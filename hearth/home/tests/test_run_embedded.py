"""`make run`'s command: a fresh var/ is migrated, seeded and served with a Huey consumer beside it,
and Ctrl+C stops both."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hearth.messaging.tests.test_live_server import free_port

ROOT = Path(__file__).resolve().parents[3]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return None


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_run_embedded_seeds_serves_and_stops_with_its_consumer(tmp_path, stop):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"HEARTH_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "hearth.config.settings.embedded"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "run_embedded", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while _status(f"http://127.0.0.1:{port}/accounts/login/") != 200:
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, "the server did not answer within 180 s"
            time.sleep(0.2)
        consumers = _children(server.pid)
        assert len(consumers) == 1 and "run_huey" in Path(f"/proc/{consumers[0]}/cmdline").read_text()
        assert (tmp_path / "var" / "hearth.sqlite3").exists() and (tmp_path / "var" / "huey.sqlite3").exists()
    finally:
        server.send_signal(stop)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "Demo data ready." in output and f"Hearth is at http://127.0.0.1:{port}" in output
    assert "clinician" in output  # the demo logins are printed
    assert not Path(f"/proc/{consumers[0]}").exists()  # the consumer stopped with the server
