"""bench/reminders keeps working: 50 reminders drained by one and by two consumer processes, each
sent exactly once. Figures are not asserted as timings."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_reminders_bench_smoke(tmp_path):
    out = tmp_path / "reminders.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    command = [sys.executable, "-m", "bench.reminders", "--reminders", "50", "--people", "10", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=600, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert {"reminders", "seconds_1_consumer", "seconds_2_consumers", "duplicates"} <= set(report)
    assert report["reminders"] == 50
    assert report["duplicates"] == 0 and report["unsent"] == 0
    assert sum(report["sent_by_2_consumers"]) == 50
