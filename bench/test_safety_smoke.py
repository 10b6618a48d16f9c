"""bench/safety keeps working: one timed pass writes the report's shape. Figures are not asserted."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_safety_bench_smoke(tmp_path):
    out = tmp_path / "safety.json"
    command = [sys.executable, "-m", "bench.safety", "--repeat", "1", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, timeout=300, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert {"held_out", "development", "p99_ms_per_message"} <= set(report)
    for part in ("held_out", "development"):
        figures = report[part]
        assert {"messages", "recall", "precision", "per_category", "confusion"} <= set(figures)
        assert figures["messages"] > 0
        assert set(figures["per_category"]) == {
            "passive_ideation",
            "active_ideation",
            "plan_method",
            "means_access",
            "preparation_farewell",
            "self_harm",
            "burden_hopelessness",
            "overdose_emergency",
            "imminent_use",
            "recent_use",
        }
        for counts in figures["per_category"].values():
            assert {"recall", "precision", "support", "tp", "fp", "fn"} <= set(counts)
        assert sum(sum(row.values()) for row in figures["confusion"].values()) == figures["messages"]
    assert isinstance(report["p99_ms_per_message"], float)
