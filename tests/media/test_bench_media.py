"""The recordings benchmark runs on a tiny input (its figures are not checked here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_bench_media_smoke(capsys):
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_media.py"
    spec = importlib.util.spec_from_file_location("bench_media", script)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.main(["--hours", "0.05", "--recording-mb", "2", "--files", "30"])
    assert figures["whisper_turns"] > 1 and figures["estimated_turns"] > 0
    out = capsys.readouterr().out
    assert "relink: found the moved recording among 30 files" in out
