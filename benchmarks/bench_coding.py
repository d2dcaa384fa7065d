"""Benchmark: applying, undoing and redoing 100k codings, and constant comparison.

    python benchmarks/bench_coding.py [--codings 100000] [--segments 10000]
                                      [--sample 200] [--turns 3000] [--keep DIR]

Builds a project with one generated long interview (``--turns`` turns of a few
sentences each), then:

1. applies ``--codings`` codings over 20 codes, in batches (``Project.apply_spans``,
   one undoable event per batch); ``--segments`` of them go to the code "Dense";
2. times ``Project.segments("Dense")`` (the ``qualcode segments`` listing) with
   30 characters of context: target < 200 ms for 10k segments;
3. undoes every batch (all codings gone) and redoes every batch, and checks the
   project ends where it was;
4. with all those codings in the file, times ``--sample`` single operations of each
   kind, one action each, as the CLI and TUI do them: ``tag`` (a range), ``undo``
   (of one tag), ``redo`` and ``untag``, and prints the median and 95th percentile.

Figures go to standard output, one per line; ``--json`` adds a JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode import Project
from qualcode.coding.tagging import Target

SEGMENTS_TARGET_MS = 200.0
CODES = [f"Code {i:02d}" for i in range(1, 20)]
DENSE = "Dense"

_WORDS = ["the", "a", "and", "I", "you", "it", "was", "that", "to", "of", "in", "we", "but", "so", "just", "like", "know", "really", "think", "what", "then", "there", "they", "she", "he", "my", "me", "her", "money", "food", "bank", "week", "trainer", "health", "service", "walking", "weight", "doctor", "kids", "work", "job", "council", "bus", "house", "gym", "smoking", "drink", "pub", "friend", "mum", "dad", "family", "time", "day", "month", "year", "morning", "night", "help", "support", "group", "plan", "goal", "change", "better", "worse", "started", "stopped", "tried", "wanted", "needed", "felt", "said"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 18))]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".?.!.")


def make_interview(turns: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = []
    for i in range(turns):
        speaker = "Interviewer" if i % 2 == 0 else "P01"
        count = rng.randint(1, 2) if speaker == "Interviewer" else rng.randint(3, 7)
        parts.append(f"{speaker}: " + " ".join(_sentence(rng) for _ in range(count)))
    return "\n\n".join(parts) + "\n"


def _spans(rng: random.Random, n: int, length: int, taken: set) -> list[tuple[int, int]]:
    result = []
    while len(result) < n:
        start = rng.randrange(0, length - 2)
        end = min(length, start + rng.randint(15, 400))
        key = (start, end)
        if key not in taken:
            taken.add(key)
            result.append(key)
    return result


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _summary(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return _ms(statistics.median(times)), _ms(p95)


def _dump_counts(project: Project) -> tuple[int, int]:
    db = project.db
    return (db.execute("SELECT count(*) FROM codings").fetchone()[0],
            db.execute("SELECT count(*) FROM codes").fetchone()[0])


def run(args: argparse.Namespace, folder: Path) -> dict:
    figures: dict = {"codings": args.codings, "segments_code_size": args.segments}
    rng = random.Random(11)
    source = folder / "long_interview.txt"
    source.write_text(make_interview(args.turns), encoding="utf-8")
    path = folder / "bench.qualcode"

    start = time.perf_counter()
    project = Project.create(path, title="coding benchmark")
    project.coder = "bench"
    project.study.add_wave("W1")
    project.study.add_participant("P01", role="client")
    result = project.transcripts.import_transcript(source, participant="P01", wave="W1")
    length = len(project.transcripts.get(result.name).text)
    figures["import_s"] = time.perf_counter() - start
    print(f"transcript: {length:,} characters, {result.turns:,} turns, "
          f"{result.sentences:,} sentences (import {figures['import_s']:.1f} s)")
    name = result.name
    for code in (DENSE, *CODES):
        project.codebook.add_code(code)

    # 1. Bulk: the codings, in batches, one event per batch.
    dense = min(args.segments, args.codings)
    rest = args.codings - dense
    taken: dict[str, set] = {}
    plan = [(DENSE, s) for s in _spans(rng, dense, length, taken.setdefault(DENSE, set()))]
    per_code = rest // len(CODES)
    for i, code in enumerate(CODES):
        n = per_code + (1 if i < rest % len(CODES) else 0)
        plan += [(code, s) for s in _spans(rng, n, length, taken.setdefault(code, set()))]
    rng.shuffle(plan)
    batches = [plan[i:i + args.batch] for i in range(0, len(plan), args.batch)]
    start = time.perf_counter()
    for number, batch in enumerate(batches, 1):
        project.coding.apply_spans([(name, code, s, e) for code, (s, e) in batch],
                            summary=f"bench batch {number}")
    bulk = time.perf_counter() - start
    figures["bulk_apply_s"] = bulk
    figures["bulk_apply_per_s"] = len(plan) / bulk if bulk else 0.0
    print(f"bulk apply: {len(plan):,} codings in {len(batches)} batches of <= {args.batch:,}: "
          f"{bulk:.2f} s ({figures['bulk_apply_per_s']:,.0f} codings/s)")
    after_bulk = _dump_counts(project)

    # 2. Constant comparison on the dense code.
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = project.coding.segments(DENSE, context=30)
        times.append(time.perf_counter() - t0)
    assert len(rows) == dense, (len(rows), dense)
    seg_ms = _ms(statistics.median(times))
    figures["segments_ms"] = seg_ms
    verdict = "ok" if seg_ms < SEGMENTS_TARGET_MS else "OVER TARGET"
    print(f"segments listing: {len(rows):,} segments of {DENSE!r} in {seg_ms:.1f} ms "
          f"(median of 5; target < {SEGMENTS_TARGET_MS:.0f} ms: {verdict})")
    t0 = time.perf_counter()
    project.coding.group_segments(project.coding.segments(DENSE, include_subcodes=True), "participant")
    figures["segments_grouped_ms"] = _ms(time.perf_counter() - t0)
    print(f"segments with sub-codes, grouped: {figures['segments_grouped_ms']:.1f} ms")

    # 3. Undo every batch, then redo every batch.
    undo_batches = [e for e in project.log() if e.action == "coding.batch" and e.status == "done"]
    t0 = time.perf_counter()
    for _ in undo_batches:
        project.undo()
    figures["bulk_undo_s"] = time.perf_counter() - t0
    assert _dump_counts(project)[0] == 0
    t0 = time.perf_counter()
    for _ in undo_batches:
        project.redo()
    figures["bulk_redo_s"] = time.perf_counter() - t0
    assert _dump_counts(project) == after_bulk
    n = len(plan)
    print(f"bulk undo: {n:,} codings in {figures['bulk_undo_s']:.2f} s "
          f"({n / figures['bulk_undo_s']:,.0f} codings/s)")
    print(f"bulk redo: {n:,} codings in {figures['bulk_redo_s']:.2f} s "
          f"({n / figures['bulk_redo_s']:,.0f} codings/s)")
    # 4. Single operations on the full project.
    sample = _spans(rng, args.sample, length, taken[CODES[0]])
    ops: dict[str, list[float]] = {"tag": [], "undo": [], "redo": [], "untag": []}
    for s, e in sample:
        t0 = time.perf_counter()
        project.coding.tag(name, CODES[0], Target(range=(s, e)))
        ops["tag"].append(time.perf_counter() - t0)
    for _ in sample:
        t0 = time.perf_counter()
        project.undo()
        ops["undo"].append(time.perf_counter() - t0)
    for _ in sample:
        t0 = time.perf_counter()
        project.redo()
        ops["redo"].append(time.perf_counter() - t0)
    for s, e in sample:
        t0 = time.perf_counter()
        project.coding.untag(name, CODES[0], Target(range=(s, e)))
        ops["untag"].append(time.perf_counter() - t0)
    for op, times in ops.items():
        median, p95 = _summary(times)
        figures[f"{op}_median_ms"] = median
        figures[f"{op}_p95_ms"] = p95
        print(f"{op:>6}: median {median:7.2f} ms, p95 {p95:7.2f} ms "
              f"({len(times)} operations, {after_bulk[0]:,} codings in the project)")
    assert _dump_counts(project) == after_bulk

    project.close()
    figures["file_mb"] = path.stat().st_size / 1e6
    print(f"project file: {figures['file_mb']:.1f} MB")
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--segments", type=int, default=10_000,
                        help="Codings of the code whose segments are listed.")
    parser.add_argument("--sample", type=int, default=200,
                        help="Single tag/undo/redo/untag operations timed.")
    parser.add_argument("--turns", type=int, default=3000, help="Turns in the interview.")
    parser.add_argument("--batch", type=int, default=5000, help="Codings per batch event.")
    parser.add_argument("--keep", metavar="DIR", help="Keep the project in DIR.")
    parser.add_argument("--json", action="store_true", help="Also print the figures as JSON.")
    args = parser.parse_args(argv)
    if args.codings < 1 or args.sample < 1 or args.turns < 4 or args.batch < 1:
        parser.error("--codings, --sample and --batch must be at least 1, --turns at least 4")
    os.environ.setdefault("QUALCODE_CODER", "bench")
    if args.keep:
        folder = Path(args.keep)
        folder.mkdir(parents=True, exist_ok=True)
        figures = run(args, folder)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-coding-") as tmp:
            figures = run(args, Path(tmp))
    if args.json:
        print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
