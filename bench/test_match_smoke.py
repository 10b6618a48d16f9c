"""bench/match keeps working: a small batch writes the report's shape. Figures are not asserted."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_match_bench_smoke(tmp_path):
    out = tmp_path / "match.json"
    command = [sys.executable, "-m", "bench.match", "--participants", "200", "--mentors", "15", "--runs", "1"]
    command += ["--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, timeout=120, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    expected = {"participants", "mentors", "matched", "seconds", "peak_mb", "stable", "capacity_ok"}
    assert expected | {"hard_preferences_ok"} <= set(report)
    assert report["participants"] == 200 and report["mentors"] == 15
    assert 0 < report["matched"] <= 200
    assert report["stable"] is True and report["capacity_ok"] is True and report["hard_preferences_ok"] is True
