"""bench/faults keeps working: a tiny run (24 clients, 10 msg/s) of all three faults on the bench's
own redis-server and PostgreSQL cluster (never the shared ones). Figures are not asserted as
timings; only that nothing is lost or doubled, every client came back, and the report has its keys."""

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"sent", "lost", "duplicates", "resume_s", "p99_ms", "p99_during_ms", "p99_after_ms", "redelivered"}


def private_services_possible() -> bool:
    """The private cluster runs as the postgres OS user (runuser needs root), from Debian's binaries."""
    return (
        sys.platform == "linux"
        and os.geteuid() == 0
        and bool(shutil.which("runuser"))
        and bool(shutil.which("redis-server"))
        and bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    )


@pytest.mark.skipif(not private_services_possible(), reason="needs root, redis-server and PostgreSQL's binaries")
def test_faults_bench_smoke(tmp_path):
    out = tmp_path / "faults.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    command = [sys.executable, "-m", "bench.faults", "--clients", "24", "--rate", "10", "--workers", "2"]
    command += ["--warmup", "1", "--steady", "1", "--settle", "1", "--drain", "30", "--no-fsync", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert set(report["faults"]) == {"redis_restart", "worker_restart", "postgres_restart"}
    for name, fault in report["faults"].items():
        assert KEYS <= set(fault), name
        assert fault["sent"] > 0 and fault["acked"] == fault["sent"], (name, fault)
        assert fault["lost"] == 0 and fault["duplicates"] == 0, (name, fault)
        assert fault["resume_s"] is not None and fault["clients_resumed"] == 24, (name, fault)
    assert report["faults"]["worker_restart"].get("replaced_after_s") is not None
    # The hub's subscription came back after the Redis restart: every page was told to resync and
    # resumed on its open socket (connected with ?resync=1, as chat.js does): none was cut off.
    assert report["faults"]["redis_restart"]["clients_cut_off"] == 0
