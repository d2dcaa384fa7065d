"""The TUI benchmark runs on a tiny transcript (figures are not checked here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_tui.py"


def test_bench_tui_smoke(capsys):
    spec = importlib.util.spec_from_file_location("bench_tui", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.main(["--chars", "20000", "--codings", "200", "--presses", "3", "--rounds", "1"])
    assert results["first paint (text)"][0] > 0
    assert len(results["scroll: pagedown"]) == 3
    assert "first paint" in capsys.readouterr().out


def test_bench_network_picture_smoke(capsys):
    script = SCRIPT.with_name("bench_network_picture.py")
    spec = importlib.util.spec_from_file_location("bench_network_picture", script)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.main(["--codes", "30", "--links", "60", "--repeat", "2"])
    assert len(results) == 3 and all(len(times) == 2 for times in results.values())
    assert "draw 30 codes at 80x22" in capsys.readouterr().out
