"""Smoke tests: every benchmark script runs on a tiny input (figures are not checked)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_agreement_smoke(capsys):
    import importlib.util as _util
    from pathlib import Path as _Path

    script = _Path(__file__).resolve().parents[1] / "benchmarks" / "bench_agreement.py"
    spec = _util.spec_from_file_location("bench_agreement", script)
    bench = _util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.main(["--chars", "20000"])
    assert figures["chars"] == 20000 and figures["codings"] > 0
    assert 0 <= figures["char_percent"] <= 100
    assert "unit=char" in capsys.readouterr().out


def test_bench_export_smoke(capsys, tmp_path):
    bench = _load("bench_export")
    assert bench.main(["--themes", "3", "--quotes", "2", "--participants", "3",
                       "--keep", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # 2 exemplar quotes per theme, and the quotes pairing a participant across waves
    written = re.search(r"theme summary \.docx: 3 themes x 2 quotes \((\d+) quotes", out)
    assert written and int(written.group(1)) >= 6
    assert (tmp_path / "themes.docx").exists() and (tmp_path / "themes.md").exists()


def test_bench_analysis_smoke(capsys, tmp_path):
    bench = _load("bench_analysis")
    results = bench.main(["--sizes", "600,1200", "--keep", str(tmp_path)])
    assert [r["codings"] > 0 for r in results] == [True, True]
    assert all(r["cells"] > 0 and r["pairs"] >= 0 for r in results)
    out = capsys.readouterr().out
    assert "cooccurrence" in out and "growth" in out


def test_bench_ingest_smoke(tmp_path):
    import re
    import subprocess
    import sys

    script = BENCHMARKS / "bench_ingest.py"
    done = subprocess.run(
        [sys.executable, str(script), "--words", "3000", "--file-words", "1000", "--keep", str(tmp_path),
         "--repeat", "2"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"corpus: 3,\d{3} words in [34] files", out), out
    assert re.search(r"bare spaCy sentences: [\d,]+ words/s", out), out
    assert re.search(r"import: +[\d,]+ words/s .* [34] files", out), out
    assert re.search(r"ratio import/spaCy: +\d+\.\d\d wall", out), out
    assert re.search(r"best of 2 runs each; run by run: \d+\.\d\d, \d+\.\d\d$", out, re.M), out
    assert re.search(r"import peak RSS: +\d+ MB", out), out
    assert (tmp_path / "manifest.csv").exists()


def test_bench_coding_smoke(tmp_path):
    import re
    import subprocess
    import sys

    script = BENCHMARKS / "bench_coding.py"
    done = subprocess.run(
        [sys.executable, str(script), "--codings", "400", "--segments", "150", "--sample", "8",
         "--turns", "40", "--batch", "150", "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"bulk apply: 400 codings in 3 batches .* codings/s\)", out), out
    assert re.search(r"segments listing: 150 segments of 'Dense' in \d+\.\d ms .*target < 200 ms",
                     out), out
    for op in ("tag", "undo", "redo", "untag"):
        assert re.search(rf"^ *{op}: median +\d+\.\d\d ms, p95 +\d+\.\d\d ms \(8 operations",
                         out, re.M), out
    assert re.search(r"bulk undo: 400 codings in \d+\.\d\d s", out), out
    assert re.search(r"bulk redo: 400 codings in \d+\.\d\d s", out), out
    assert (tmp_path / "bench.qualcode").exists()


def test_generate_and_run_suite_smoke(tmp_path):
    import json
    import subprocess
    import sys

    study = tmp_path / "study"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), str(study), "--size", "tiny",
         "--project", str(tmp_path / "tiny.qualcode")],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "generated 6 transcripts" in done.stdout, done.stdout
    assert (study / "manifest.csv").exists() and (study / "codebook.yaml").exists()
    assert (study / "codings.csv").exists() and (tmp_path / "tiny.qualcode").exists()

    result = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--size", "tiny", "--no-peer", "--no-scripts",
         "--cache", str(tmp_path / "cache"), "--json", str(result)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "qualcode benchmarks" in out and "peak RSS" in out, out
    for operation in ("import", "stats", "cooccurrence", "REFI export", "REFI import"):
        assert operation in out, out
    figures = json.loads(result.read_text())
    operations = {r["operation"] for r in figures["results"] if r["seconds"] is not None}
    assert {"generate", "import", "load codings", "stats", "cooccurrence", "cube",
            "agreement", "REFI export", "REFI import"} <= operations, figures["results"]
    # the CLI as a user runs it, and the goal table (nothing judged at the tiny size)
    cli = next(r for r in figures["results"] if r["operation"] == "cooccur CLI")
    assert cli["process_seconds"] > 0 and "turn scope, coders pooled" in cli["note"]
    assert "goals of issue 25" in out
    assert len(figures["goals"]) == 8
    assert {g["verdict"] for g in figures["goals"]} == {"not measured at this size"}


def test_bench_replace_smoke(capsys):
    bench = _load("bench_replace")
    held_out = Path(__file__).resolve().parent / "ingest" / "heldout" / "consultation_32.txt"
    assert bench.main([str(held_out), "--codings", "10"]) == 0
    out = capsys.readouterr().out
    assert "rewrapped" in out and "slowest replacement" in out


def test_bench_startup_smoke(capsys, tmp_path):
    bench = _load("bench_startup")
    figures = bench.main(["--repeat", "1", "--keep", str(tmp_path)])
    assert set(figures) == {"python -c pass", "qualcode status", "qualcode log", "qualcode --help"}
    assert all(f["median"] > 0 for f in figures.values())
    assert "target qualcode status" in capsys.readouterr().out


def test_bench_bulk_load_smoke(capsys, tmp_path):
    bench = _load("bench_bulk_load")
    results = bench.main(["--sizes", "300,600", "--keep", str(tmp_path)])
    assert [r["loaded"] for r in results] == [300, 600]
    out = capsys.readouterr().out
    assert "after growth 300 -> 600" in out and "peak" in out


def test_bench_tui_smoke(capsys):
    bench = _load("bench_tui")
    results = bench.main(["--chars", "20000", "--codings", "50", "--presses", "20", "--rounds", "2"])
    out = capsys.readouterr().out
    # Both viewers were timed on the same keys (views of the same height: the same
    # presses of down scroll in both, and both kinds happened), in two alternating
    # rounds whose presses are pooled, and the ratio is printed for each, with each
    # round's beside it.
    assert "text view height: 44 rows, the bare viewer's 44" in out
    assert len(results[bench.CURSOR_DOWN]) + len(results[bench.SCROLL_DOWN]) == 2 * 40
    assert len(results["first paint (text)"]) == 2
    for ours, bare in bench.COMPARED:
        assert len(results[ours]) == len(results[bare]) > 0
        assert re.search(rf"{re.escape(ours)} +\d+\.\d+x the bare viewer.*round by round \d+\.\d+, \d+\.\d+$",
                         out, re.M)
    # Widgets rendered through Textual's pipeline per key are counted for both: the
    # bare viewer renders its view, its scrollbar and its screen on every key; the coding
    # screen's unchanged widgets give their lines again and its changed lines are drawn
    # straight, so it renders no more of them than the bare viewer does.
    for ours, bare in bench.COMPARED:
        assert bench.widgets_per_key(bare) > 0
        assert bench.widgets_per_key(ours) <= bench.widgets_per_key(bare)
