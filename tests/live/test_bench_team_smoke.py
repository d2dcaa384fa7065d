"""The team benchmark runs with two coders for a few seconds; its own checks hold (every
action saved, file intact, nothing missed by the live view), not its timings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_team_smoke():
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_team.py"), "--coders", "2",
                           "--seconds", "4"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    row = done.stdout.splitlines()[2].split()
    # (20 actions each at one per 200 ms; a loaded machine may start one late at the end.)
    assert row[0] == "2" and 36 <= int(row[1]) <= 40 and row[-1] == "ok", done.stdout
