"""Benchmark: code queries over large synthetic projects.

The project is the analysis benchmark's (:func:`bench_analysis.build`: 300 codes in 30
categories, 100 participants over 3 waves, interviews and focus groups, turns of 400
characters), with sentences of about 80 characters added to every transcript and two
attributes per participant (a fixed ``age``, a per-wave ``employment``), so that NEAR
by sentences and the attribute filters have something to work on.

For each size (default 100k and 1M codings) prints the wall and CPU seconds of typical
queries (totals only, as ``--count-by`` and ``--save`` need), one of them also as a
listing of its first 50 passages with context, and the number of passages found.
Goal at 1M codings: every query under 2 s.

    python benchmarks/bench_query.py [--sizes 100000,1000000] [--keep DIR [--reuse]] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analysis import build, timed

from qualcode import Project
from qualcode.store import db as store_db
from qualcode.store import sentence_spans
from qualcode.store import study as store_study

SENTENCE_CHARS = 80
TARGET = 2.0
QUERIES = [
    '"code 00.1" AND "code 00.2" WITHIN turn',
    '"category 00" AND "category 01" WITHIN turn wave:W2',
    '"category 00" AND "category 01"',
    '"code 00.1" NOT "code 00.2"',
    '"category 00" NOT "category 01" WITHIN sentence role:client',
    '"category 00" NEAR/2 sentences "category 01"',
    '"code 00.1" NEAR/1 turns "code 01.1" age>=50',
    '"category 00" OVERLAPS "category 01" W2.employment=unemployed',
    '("category 00" OR "category 01" OR "category 02") AND "category 03" WITHIN participant-wave',
    '("category 00" OR "category 01" OR "category 02" OR "category 03" OR "category 04" OR '
    '"category 05" OR "category 06" OR "category 07" OR "category 08" OR "category 09") '
    'NOT "category 10" WITHIN turn',
]
LISTED = '"category 00" AND "category 01" WITHIN turn wave:W2'


def add_sentences_and_attributes(path: Path, seed: int = 5) -> None:
    """Sentences every ~80 characters in every transcript (within its turns), an age and
    a per-wave employment for every participant."""
    rng = random.Random(seed)
    with Project.open(path) as project:
        db = project.db
        with store_db.write(db):
            turns: dict[int, list[tuple[int, int, int]]] = {}
            for tid, seq, start, end in db.execute("SELECT transcript_id, seq, start, end FROM turns"):
                turns.setdefault(tid, []).append((seq, start, end))
            for tid, rows in turns.items():
                spans = []
                for seq, start, end in sorted(rows, key=lambda r: r[1]):
                    for s in range(start, end, SENTENCE_CHARS):
                        spans.append((seq, s, min(end, s + SENTENCE_CHARS - 1)))
                db.execute("INSERT OR REPLACE INTO sentence_spans (transcript_id, count, spans) "
                           "VALUES (?, ?, ?)", [tid, len(spans), sentence_spans.pack(spans)])
            waves = [w["id"] for w in store_study.list_waves(db)]
            for person in store_study.list_participants(db):
                store_study.set_attribute(db, person["id"], "age", str(rng.randint(18, 80)))
                for wave in waves:
                    store_study.set_wave_attribute(db, person["id"], wave, "employment",
                                                   rng.choice(["employed", "unemployed"]))


def run_size(n: int, folder: Path, reuse: bool, repeat: int) -> list[dict]:
    path = folder / f"bench_query_{n}.qualcode"
    if not (reuse and path.exists()):
        path.unlink(missing_ok=True)
        build(path, n)
        add_sentences_and_attributes(path)
    figures = []
    with Project.open(path) as project:
        codings = project.db.execute("SELECT count(*) FROM codings").fetchone()[0]
        project.query.totals(QUERIES[0])  # warm the page cache once
        for query in QUERIES:
            best = None
            for _ in range(repeat):
                wall, cpu, totals = timed(lambda q=query: project.query.totals(q))
                if best is None or wall < best[0]:
                    best = (wall, cpu, totals)
            assert best is not None
            figures.append({"size": codings, "query": query, "wall": best[0], "cpu": best[1],
                            "passages": best[2]["passages"]})
        wall, cpu, result = timed(lambda: project.query.run(LISTED, limit=50))
        figures.append({"size": codings, "query": f"{LISTED} (listing 50 with context)",
                        "wall": wall, "cpu": cpu, "passages": result.totals["passages"]})
    return figures


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--keep", metavar="DIR", help="Keep the projects in DIR.")
    parser.add_argument("--reuse", action="store_true", help="With --keep: reuse projects built before.")
    parser.add_argument("--repeat", type=int, default=2, help="Runs of each query (the best is shown).")
    args = parser.parse_args(argv)
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} CPUs")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in (int(s) for s in args.sizes.split(",")):
            figures = run_size(n, folder, args.reuse, max(1, args.repeat))
            results += figures
            print(f"\n{figures[0]['size']:,} codings")
            print(f"{'wall s':>7} {'cpu s':>7} {'passages':>9}  query")
            for f in figures:
                flag = "" if f["wall"] < TARGET else f"  (over the {TARGET:.0f} s goal)"
                print(f"{f['wall']:7.3f} {f['cpu']:7.3f} {f['passages']:9,}  {f['query']}{flag}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    return results


if __name__ == "__main__":
    main()
