"""bench/video_join keeps working: one join each side. Figures are not asserted as timings."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hearth.tests.browser.conftest import CHROMIUM
from hearth.video.janus_config import JANUS_BINARY

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.browser
def test_video_join_bench_smoke(tmp_path):
    if not CHROMIUM.exists() or not JANUS_BINARY.exists() or shutil.which("unshare") is None:
        pytest.skip("VIDEO BENCH SMOKE SKIPPED: needs chromium, janus and unshare (scripts/ensure-system-packages.sh)")
    out = tmp_path / "video_join.json"
    command = [sys.executable, "-m", "bench.video_join", "--joins", "1", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, timeout=600, capture_output=True)  # noqa: S603
    report = json.loads(out.read_text())
    for side in ("mesh", "janus"):
        assert {"median_ms", "p95_ms", "joins"} <= set(report[side]), report
        assert report[side]["joins"] == 1 and report[side]["median_ms"] > 0
