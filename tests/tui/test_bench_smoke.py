"""The TUI benchmark runs on a tiny transcript (figures are not checked here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_tui.py"


def test_bench_tui_smoke(capsys):
    spec = importlib.util.spec_from_file_location("bench_tui", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.main(["--chars", "20000", "--codings", "200", "--presses", "3"])
    assert results["first paint (text)"][0] > 0
    assert len(results["scroll: pagedown"]) == 3
    assert "first paint" in capsys.readouterr().out
