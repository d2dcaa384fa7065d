"""The live-view benchmark runs on a tiny transcript (figures are not checked here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_live.py"


def test_bench_live_smoke(capsys):
    spec = importlib.util.spec_from_file_location("bench_live", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.main(["--chars", "20000", "--codings", "200", "--rounds", "5"])
    assert len(results["commit elsewhere -> drawn here"]) == 5  # 3 added, 1 removed, 1 recoloured
    assert results["change check (data_version)"][0] > 0
    assert "commit elsewhere" in capsys.readouterr().out
