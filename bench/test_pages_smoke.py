"""bench/pages keeps working: a tiny seed_large data set, a few requests per page. Figures are
not asserted as timings."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_pages_bench_smoke(tmp_path):
    out = tmp_path / "pages.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.pop("BENCH_DATABASE_URL", None)
    command = [
        sys.executable,
        "-m",
        "bench.pages",
        "--participants",
        "48",
        "--checkins",
        "480",
        "--occurrences",
        "24",
        "--community-groups",
        "4",
        "--community-posts",
        "400",
        "--long-thread",
        "40",
        "--requests",
        "3",
        "--db",
        str(tmp_path / "pages.sqlite3"),
        "--out",
        str(out),
    ]
    for _run in range(2):  # the second run finds the data already there (idempotent seed)
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=600, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    assert set(report["pages"]) == {
        "clinician_dashboard",
        "participant_home",
        "participant_progress",
        "program_report",
        "program_report_live",
        "isolation_radar",
        "group_thread_list",
        "thread_page",
        "api_caseload",
        "fhir_patient_export",
    }
    for figures in report["pages"].values():
        assert {"p50_ms", "p95_ms", "queries"} <= set(figures)
        assert figures["queries"] > 0
