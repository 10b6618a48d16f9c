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
    command += ["--search", "--max-rate", "15", "--high-rate", "12", "--drain", "30", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert KEYS <= set(report) and KEYS <= set(report["floor"])
    assert report["clients"] == 24 and report["stack"]["database"] == "sqlite"
    assert report["lost"] == 0 and report["floor"]["lost"] == 0
    assert report["warmup"]["sent"] > 0 and report["warmup"]["lost"] == 0  # measured after a warm-up
    assert report["duplicates"] == 0
    # The targets are reported with their figures (whether a busy test machine meets them is not asserted).
    assert report["high_rate"]["rate"] == 12 and report["high_rate"]["lost"] == 0
    assert report["targets"]["p99_vs_floor"]["ratio"] > 0 and report["targets"]["p99_at_high_rate"]["p99_ms"] > 0
    assert report["pass"] in (True, False)


@pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="the real stack needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL)",
)
def test_chat_bench_smoke_on_the_real_stack(tmp_path):
    """Two uvicorn workers, production settings, PostgreSQL and the Redis hub: nothing lost across
    processes. The bench's own database sits beside the test database and is recreated."""
    from urllib.parse import urlsplit, urlunsplit

    out = tmp_path / "chat.json"
    bench_db = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/hearth_bench_chat_smoke"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"BENCH_CHAT_DATABASE_URL": bench_db, "BENCH_CHAT_REDIS_URL": os.environ["REDIS_URL"]}
    command = [sys.executable, "-m", "bench.chat", "--clients", "48", "--rate", "20", "--duration", "2"]
    command += ["--workers", "2", "--no-floor", "--drain", "30", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert report["stack"] == {
        "database": "postgresql",
        "settings": "production",
        "channel_layer": "redis-pubsub",
        "workers": 2,
    }
    assert report["acked"] == report["sent"] > 0
    assert report["lost"] == 0 and report["duplicates"] == 0 and report["errors"] == {}
