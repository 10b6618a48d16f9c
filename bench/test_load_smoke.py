"""bench/load keeps working: a tiny mixed load against the embedded stack. Figures are not asserted
as timings; only that every kind of request was made without an error and the report has its keys."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"dashboard", "calendar", "messages", "checkin", "checkin_submit"}


@pytest.mark.skipif(sys.platform != "linux", reason="runs uvicorn subprocesses on Linux")
def test_load_bench_smoke(tmp_path):
    out = tmp_path / "load.json"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        and not k.startswith(("BENCH_LOAD_", "BENCH_CHAT_"))
    }
    command = [sys.executable, "-m", "bench.load", "--personas", "24", "--page-rate", "8", "--chat-rate", "5"]
    # A generous gate and drain: a busy machine is slow, not wrong; errors and losses still fail it.
    command += ["--duration", "4", "--warmup", "1", "--drain", "30", "--gate-page-avg-ms", "60000"]
    command += ["--gate-page-p99-ms", "60000", "--gate-chat-p99-ms", "60000", "--out", str(out)]
    completed = subprocess.run(command, cwd=ROOT, env=env, timeout=300, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert KINDS <= set(report["pages"]), report["error_samples"]
    assert report["stack"]["database"] == "sqlite"
    assert report["verdict"]["errors"] == 0, report["error_samples"]
    assert report["chat"]["lost"] == 0 and report["chat"]["sent"] > 0
    assert report["pass"] is True and completed.returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="runs uvicorn subprocesses on Linux")
def test_load_bench_fails_its_gate_with_a_non_zero_exit(tmp_path):
    """An impossible gate (pages in under a microsecond) fails: "pass" false and exit status 1."""
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env = {k: v for k, v in env.items() if not k.startswith(("BENCH_LOAD_", "BENCH_CHAT_"))}
    command = [sys.executable, "-m", "bench.load", "--personas", "12", "--page-rate", "4", "--chat-rate", "2"]
    command += ["--duration", "2", "--warmup", "0.5", "--drain", "30", "--gate-page-avg-ms", "0.001"]
    command += ["--out", str(out)]
    completed = subprocess.run(command, cwd=ROOT, env=env, timeout=300, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert completed.returncode == 1
    assert report["pass"] is False and "dashboard.avg_ms" in report["verdict"]["failed"]
