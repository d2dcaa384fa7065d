"""The benchmark suite's goal table and its cache of the qc peer's figures, on made-up
figures (nothing here is timed)."""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up there)
    spec.loader.exec_module(module)
    return module


goals = _load("goals")
peer_cache = _load("peer_cache")
suite = _load("run")


def by_goal(figures: dict) -> dict:
    return {row.goal: row for row in goals.evaluate(figures)}


def test_nothing_measured_is_never_met():
    rows = goals.evaluate({})
    assert len(rows) == 8
    assert {row.verdict for row in rows} == {goals.NOT_MEASURED}


def test_startup_met_by_either_bound():
    # 150 ms is over 120 ms, but 150 / 30 = 5x is within 6x: met
    assert goals.startup({"status_ms": 150.0, "bare_ms": 30.0}).verdict == goals.MET
    # 110 ms is within 120 ms though 110 / 10 = 11x: met
    assert goals.startup({"status_ms": 110.0, "bare_ms": 10.0}).verdict == goals.MET
    # 130 ms and 130 / 20 = 6.5x: neither
    row = goals.startup({"status_ms": 130.0, "bare_ms": 20.0})
    assert row.verdict == goals.NOT_MET and "6.5x" in row.ours and "20.0 ms" in row.baseline


def test_tui_keys_worst_key_decides_and_missing_keys_are_said():
    ratios = {"cursor: down": 1.1, "scroll: down": 1.15, "scroll: pagedown": 1.19}
    row = goals.tui_keys({"chars": 1_000_000, "ratios": ratios, "first_paint_ms": 90.0})
    assert row.verdict == goals.MET and "1.19x" in row.ours
    row = goals.tui_keys({"chars": 1_000_000, "ratios": {**ratios, "cursor: down": 1.21},
                          "first_paint_ms": 90.0})
    assert row.verdict == goals.NOT_MET and "cursor: down" in row.ours
    # bench_tui's down key moves the cursor and scrolls: it stands for both
    row = goals.tui_keys({"chars": 1_000_000, "ratios": {"scroll: down (cursor by sentence)": 1.0,
                                                         "scroll: pagedown": 1.0},
                          "first_paint_ms": 90.0})
    assert row.verdict == goals.MET and "not compared" not in row.note
    # a kind of key not compared at all: the goal is not fully measured
    row = goals.tui_keys({"chars": 1_000_000, "ratios": {"scroll: pagedown": 1.0}})
    assert row.verdict == goals.NOT_MEASURED and "not compared: cursor, scroll" in row.note
    row = goals.tui_keys({"chars": 1_000_000, "ratios": {"scroll: pagedown": 1.5}})
    assert row.verdict == goals.NOT_MET
    # a small text: shown, not judged
    assert goals.tui_keys({"chars": 100_000, "ratios": ratios}).verdict == goals.NOT_MEASURED


def test_first_paint_strictly_below_100_ms():
    assert goals.first_paint({"chars": 1_000_000, "first_paint_ms": 99.0}).verdict == goals.MET
    assert goals.first_paint({"chars": 1_000_000, "first_paint_ms": 100.0}).verdict == goals.NOT_MET
    assert goals.first_paint({"chars": 20_000, "first_paint_ms": 50.0}).verdict == goals.NOT_MEASURED


def test_cooccurrence_against_the_two_scans_only_at_a_million():
    at_1m = {"codings": 1_022_092, "ours_s": 1.30, "baseline_s": 1.0}
    assert goals.cooc_baseline(at_1m).verdict == goals.MET
    assert goals.cooc_baseline({**at_1m, "ours_s": 1.31}).verdict == goals.NOT_MET
    row = goals.cooc_baseline({**at_1m, "codings": 100_000, "ours_s": 5.0})
    assert row.verdict == goals.NOT_MEASURED and "5.00x" in row.ours


def test_cooccurrence_against_qc_ratio_cache_and_cap():
    fig = {"codings": 100_000, "ours_s": 0.9, "qc_s": 910.0, "qc_cached": None, "qc_capped": False}
    row = goals.cooc_qc(fig)
    assert row.verdict == goals.MET and "(1,011x)" in row.ours and "910.0 s" in row.baseline
    row = goals.cooc_qc({**fig, "ours_s": 0.92, "qc_cached": "2026-12-05 10:40 UTC"})
    assert row.verdict == goals.NOT_MET  # 910 / 0.92 = 989x
    assert "CACHED, measured 2026-12-05 10:40 UTC" in row.note
    # qc stopped at its cap: a lower bound cannot show the goal is missed
    assert goals.cooc_qc({**fig, "ours_s": 2.0, "qc_capped": True}).verdict == goals.NOT_MEASURED
    assert goals.cooc_qc({**fig, "qc_s": None}).verdict == goals.NOT_MEASURED
    assert goals.cooc_qc({**fig, "codings": 10_000}).verdict == goals.NOT_MEASURED


def test_refi_needs_identical_counts_and_both_directions_under_500_mb():
    fig = {"codings": 1_000_000, "export_mb": 480.0, "import_mb": 499.0, "identical": True}
    assert goals.refi(fig).verdict == goals.MET
    assert goals.refi({**fig, "identical": False}).verdict == goals.NOT_MET
    assert goals.refi({**fig, "export_mb": 500.0}).verdict == goals.NOT_MET
    assert goals.refi({**fig, "codings": 100_000}).verdict == goals.NOT_MEASURED
    failed = goals.refi({"codings": 1_000_000, "failed": "FAILED (too large)"})
    assert failed.verdict == goals.NOT_MET and failed.ours == "FAILED"


def test_bulk_load_growth_per_tenfold_and_peak():
    runs = [(100_000, 1.0, 80.0), (1_000_000, 10.5, 290.0)]
    row = goals.bulk_load({"runs": runs})
    assert row.verdict == goals.MET and "x10.5 per tenfold" in row.ours
    assert goals.bulk_load({"runs": [runs[0], (1_000_000, 12.2, 290.0)]}).verdict == goals.NOT_MET
    assert goals.bulk_load({"runs": [runs[0], (1_000_000, 10.0, 300.0)]}).verdict == goals.NOT_MET
    # sizes not exactly tenfold apart: the growth is scaled to a tenfold step (x100 over
    # a hundredfold is x10 per tenfold)
    row = goals.bulk_load({"runs": [(10_000, 0.1, 50.0), (1_000_000, 10.0, 200.0)]})
    assert "x10.0 per tenfold" in row.ours and row.verdict == goals.MET
    assert goals.bulk_load({"runs": [(1_000_000, 1.0, 10.0)]}).verdict == goals.NOT_MEASURED
    assert goals.bulk_load({"runs": [(1_000, 0.01, 5.0), (10_000, 0.1, 9.0)]}).verdict == goals.NOT_MEASURED


def test_import_one_process_at_a_million_words():
    fig = {"words": 1_000_000, "spacy_wps": 100_000.0, "import_wps": 50_000.0, "ratio": 0.5, "workers": 0}
    assert goals.import_speed(fig).verdict == goals.MET
    assert goals.import_speed({**fig, "ratio": 0.49}).verdict == goals.NOT_MET
    assert goals.import_speed({**fig, "workers": 2}).verdict == goals.NOT_MEASURED
    assert goals.import_speed({**fig, "words": 40_000}).verdict == goals.NOT_MEASURED


def test_evaluate_takes_each_source():
    rows = by_goal({"startup": {"status_ms": 100.0, "bare_ms": 20.0},
                    "import": {"words": 1_000_000, "spacy_wps": 10.0, "import_wps": 3.0,
                               "ratio": 0.3, "workers": 0}})
    assert rows["start-up"].verdict == goals.MET and rows["import"].verdict == goals.NOT_MET
    assert rows["bulk load"].verdict == goals.NOT_MEASURED


# --- reading the scripts' output (lines as the scripts print them) -----------------------

def test_parsers_read_the_scripts_lines():
    startup = ("python -c pass               median   21.0 ms  fastest   19.0 ms  x 1.0 python -c pass\n"
               "qualcode status              median  105.0 ms  fastest   99.0 ms  x 5.0 python -c pass\n")
    assert goals.parse_startup(startup) == {"status_ms": 105.0, "bare_ms": 21.0}
    tui = ("built 1,000,000 characters with 10,000 codings in 3.0 s\n"
           "first paint (text)                            88.5ms     88.5ms     1\n"
           "scroll: down (cursor by sentence)             1.10x the bare viewer (goal <= 1.2x); x\n"
           "scroll: pagedown                              1.30x the bare viewer (goal <= 1.2x); x\n")
    assert goals.parse_tui(tui) == {"chars": 1_000_000, "first_paint_ms": 88.5, "ratios": {
        "scroll: down (cursor by sentence)": 1.1, "scroll: pagedown": 1.3}}
    analysis = ("1,022,092 codings  turn cooccurrence  1.234s (cpu 1.2)  row by row (before)  2.740s  "
                "two-scan baseline  1.020s  ratio to baseline x1.21  speed-up x2.2\n")
    assert goals.parse_analysis(analysis) == {"codings": 1_022_092, "ours_s": 1.234, "baseline_s": 1.02}
    bulk = ("after    100,000 codings  load    0.80 s  peak     90 MB (before the load 40 MB)\n"
            "after  1,000,000 codings  load    8.50 s  peak    280 MB (before the load 40 MB)\n")
    assert goals.parse_bulk_load(bulk) == {"runs": [(100_000, 0.8, 90.0), (1_000_000, 8.5, 280.0)]}
    ingest = ("corpus: 1,000,000 words in 200 files (generated in 3.0 s)\n"
              "bare spaCy sentences: 200,000 words/s (5.00 s wall)\n"
              "import:               110,000 words/s (9.09 s wall)\n"
              "ratio import/spaCy:   0.55 wall; CPU: 0.60 on the critical path\n"
              "import peak RSS:      200 MB (target < 300 MB); no worker processes\n")
    assert goals.parse_ingest(ingest) == {"words": 1_000_000, "spacy_wps": 200_000.0,
                                          "import_wps": 110_000.0, "ratio": 0.55, "workers": 0}
    refi = ("large:\n  study: 1,000 transcripts, 1,000,000 codings, 300 codes, 0 memos, 300 participants\n"
            "  export: 40.00 s, peak 420 MiB (ok), .qdpx 80.0 MB\n"
            "  import: 90.00 s, peak 610 MiB (OVER)\n"
            "  counts after the round trip: identical\n")
    assert goals.parse_refi(refi) == {"codings": 1_000_000, "export_mb": 420.0, "import_mb": 610.0,
                                      "identical": True}
    assert goals.refi(goals.parse_refi(refi)).verdict == goals.NOT_MET
    assert all(parse("") is None for _, parse in goals.PARSERS.values())


# --- the cache of qc's figures -----------------------------------------------------------

SPEC = {"transcripts": 200, "words_per_transcript": 5000, "codings": 100_000, "seed": 1}
HOST = {"host": "box", "processor": "AMD EPYC", "cpus": 2}


def test_cache_key_changes_with_each_input():
    key = peer_cache.cache_key("crosstab", "1.7.8", "medium", SPEC, HOST)
    assert key == peer_cache.cache_key("crosstab", "1.7.8", "medium", dict(SPEC), dict(HOST))
    others = [peer_cache.cache_key("crosstab", "1.7.9", "medium", SPEC, HOST),
              peer_cache.cache_key("crosstab", "1.7.8", "small", SPEC, HOST),
              peer_cache.cache_key("crosstab", "1.7.8", "medium", {**SPEC, "seed": 2}, HOST),
              peer_cache.cache_key("crosstab", "1.7.8", "medium", SPEC, {**HOST, "host": "other"}),
              peer_cache.cache_key("crosstab", "1.7.8", "medium", SPEC, {**HOST, "cpus": 4}),
              peer_cache.cache_key("stats", "1.7.8", "medium", SPEC, HOST)]
    assert key not in others and len(set(others)) == len(others)


def test_cache_stores_and_reads_back_with_the_time_it_was_measured(tmp_path):
    store = peer_cache.PeerCache(tmp_path / "sub" / "peer-cache.json")
    key = peer_cache.cache_key("crosstab", "1.7.8", "medium", SPEC, HOST)
    assert store.get(key) is None
    store.put(key, {"wall": 912.5, "cpu": 905.0}, now=0)
    other = peer_cache.cache_key("crosstab", "1.7.8", "small", SPEC, HOST)
    store.put(other, {"wall": 100.0}, now=86_400)
    again = peer_cache.PeerCache(tmp_path / "sub" / "peer-cache.json")
    assert again.get(key) == {"wall": 912.5, "cpu": 905.0, "measured_at": "1970-01-01 00:00 UTC"}
    assert again.get(other)["measured_at"] == "1970-01-02 00:00 UTC"


@pytest.mark.parametrize("text", ["", "not json", '{"k": {"no wall": 1}}'])
def test_a_damaged_cache_is_a_miss(tmp_path, text):
    path = tmp_path / "peer-cache.json"
    path.write_text(text, encoding="utf-8")
    assert peer_cache.PeerCache(path).get("k") is None


def test_machine_names_host_processor_and_cores():
    host = peer_cache.machine()
    assert set(host) == {"host", "processor", "cpus"} and host["cpus"] == os.cpu_count()
    assert host["host"] == platform.node() and host["processor"]


# --- the suite's handling of the figures ---------------------------------------------------

def test_each_goal_takes_its_figure_from_the_right_size():
    figures = {"cooc_qc": {"small": {"codings": 10_000}, "medium": {"codings": 100_000},
                           "large": {"codings": 1_000_000}},
               "cooc_baseline": {"small": {"codings": 10_000}, "large": {"codings": 1_000_000}},
               "startup": {"medium": {"status_ms": 1.0}}}
    picked = suite.pick_goal_figures(figures)
    assert picked["cooc_qc"]["codings"] == 100_000  # the qc goal is set at 100k
    assert picked["cooc_baseline"]["codings"] == 1_000_000  # else the largest size
    assert picked["startup"] == {"status_ms": 1.0}


def test_growth_skips_rows_of_a_goal_run():
    rows = [{"operation": "bench_tui", "size": "goal", "seconds": 3.0},
            {"operation": "load", "size": "medium", "seconds": 5.0},
            {"operation": "load", "size": "small", "seconds": 0.5}]
    ordered = suite.add_growth(rows)
    assert [(r["operation"], r["size"]) for r in ordered] == [
        ("bench_tui", "goal"), ("load", "small"), ("load", "medium")]
    assert ordered[2]["growth"] == 10.0 and "growth" not in ordered[0]
