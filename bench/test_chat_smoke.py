"""bench/chat keeps working: a tiny run against the embedded stack and the floor. Figures are not
asserted as timings; only that nothing is lost and the report has its keys."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"clients", "rate", "p50_ms", "p95_ms", "p99_ms", "lost", "max_rate_zero_loss"}


@pytest.mark.skipif(sys.platform != "linux", reason="runs uvicorn subprocesses on Linux")
def test_chat_bench_smoke(tmp_path):
    out = tmp_path / "chat.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    command = [sys.executable, "-m", "bench.chat", "--clients", "24", "--rate", "10", "--duration", "1"]
    # A generous drain: on a busy machine stragglers are late, not lost.
    command += ["--search", "--max-rate", "15", "--drain", "30", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert KEYS <= set(report) and KEYS <= set(report["floor"])
    assert report["clients"] == 24 and report["stack"]["database"] == "sqlite"
    assert report["lost"] == 0 and report["floor"]["lost"] == 0
    assert report["duplicates"] == 0
