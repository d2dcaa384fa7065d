"""Benchmark: the longitudinal analysis on synthetic projects.

300 codes (30 categories of 10), 100 participants, 3 waves (about 5% of the
interviews missed), one interview per participant and wave plus two focus groups per
wave whose speakers are mapped to participants (so the per-turn attribution path is
exercised too). Codings are inserted directly with
:func:`qualcode.store.analysis.bulk_insert_codings` (executemany, one transaction);
each transcript is long enough that a coding overlaps about two others on average.

For each size (default 10k, 100k and 1M codings) prints the time of

* the cube (participant x wave x code, with the attendance mask),
* the change report (cube + labels for every participant, code and the sample),
* co-occurrence in the overlap scope (one query + sweep; Jaccard's characters, counted
  on first use, are timed apart),
* co-occurrence in the turn scope, side by side with the row-by-row count it replaced
  (one query finding each coding's turn with a correlated subquery, then a Python loop)
  and with the two-scan baseline: codings and turns read with two plain SELECTs,
  each coding's turn found with numpy's searchsorted, pairs counted from the sorted
  distinct (turn, code) rows; the ratio to the baseline is printed (goal <= 1.3x),

in wall and CPU seconds (after one warm-up run of the cube; on a busy machine the wall
time includes waiting for a core), and the growth ratio between consecutive sizes (10x
more codings -> about 10x time is linear). Targets at 1M codings: cube < 1 s,
co-occurrence < 3 s.

    python benchmarks/bench_analysis.py [--sizes 10000,100000,1000000] [--keep DIR [--reuse]]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from qualcode import Project
from qualcode.analysis import change as change_mod
from qualcode.analysis import cooccurrence as cooc_mod
from qualcode.analysis import cube as cube_mod
from qualcode.store import analysis as store_analysis
from qualcode.store import codes as store_codes
from qualcode.store import db as store_db
from qualcode.store import study as store_study
from qualcode.store import transcripts as store_tx

CATEGORIES, PER_CATEGORY = 30, 10
PARTICIPANTS, WAVES = 100, 3
FOCUS_GROUPS_PER_WAVE, FOCUS_GROUP_SIZE = 2, 10
FOCUS_GROUP_SHARE = 0.03          # share of codings in focus groups
TURN_CHARS = 400
CHARS_PER_CODING = 150            # transcript length per coding: mean depth ~1
MISSED = 0.05
TARGETS = {"cube": 1.0, "cooccurrence": 3.0}
TURN_RATIO_TARGET = 1.3  # turn-scope co-occurrence against the two-scan baseline


def build(path: Path, n_codings: int, seed: int = 11) -> dict:
    """Create the synthetic project; returns what was made."""
    rng = random.Random(seed)
    with Project.create(path, title=f"analysis benchmark {n_codings}") as project:
        db = project.db
        with store_db.write(db):
            coder = store_study.coder_id(db, "bench")
            codes = []
            for c in range(CATEGORIES):
                cat = store_codes.insert_code(db, f"category {c:02d}", None,
                                              {"is_category": 1, "codable": 0})
                codes += [store_codes.insert_code(db, f"code {c:02d}.{k}", cat, {})
                          for k in range(PER_CATEGORY)]
            waves = [store_study.add_wave(db, f"W{w + 1}") for w in range(WAVES)]
            people = [store_study.add_participant(db, f"P{p:03d}", role="client",
                                                  site=f"site {p % 4}") for p in range(PARTICIPANTS)]
            interviews = []
            for wave in waves:
                for person in people:
                    if wave != waves[0] and rng.random() < MISSED:
                        store_study.set_attendance(db, person, wave, "missed")
                        continue
                    store_study.set_attendance(db, person, wave, "interviewed")
                    interviews.append((person, wave))
            groups = [(wave, rng.sample(people, FOCUS_GROUP_SIZE))
                      for wave in waves for _ in range(FOCUS_GROUPS_PER_WAVE)]
        n_fg = int(n_codings * FOCUS_GROUP_SHARE)
        per_interview = max(1, (n_codings - n_fg) // len(interviews))
        per_group = max(1, n_fg // len(groups)) if n_fg else 0
        transcripts = []  # (transcript_id, length, codings)
        with store_db.write(db):
            number = 0

            def add_transcript(kind, wave, person, n, speakers):
                nonlocal number
                number += 1
                length = max(2000, n * CHARS_PER_CODING)
                # The analysis never reads the text: store a stub, keep the nominal length.
                text = f"synthetic transcript {number}"
                tid = store_tx.insert_transcript(
                    db, name=f"T{number:04d}", kind=kind, wave_id=wave, participant_id=person,
                    date=None, source_name=f"T{number:04d}.txt", source_format="text",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), encoding="utf-8",
                    text=text, imported_by=None)
                speaker_ids = [store_tx.insert_speaker(db, tid, label, pid, is_int)
                               for label, pid, is_int in speakers]
                db.execute("UPDATE transcripts SET char_count = ? WHERE id = ?", [length, tid])
                turns = []
                for k, s in enumerate(range(0, length, TURN_CHARS)):
                    speaker = speaker_ids[0] if k % 2 == 0 else speaker_ids[1 + (k // 2) % (len(speaker_ids) - 1)]
                    turns.append((k + 1, speaker, s, min(s + TURN_CHARS, length), None, None))
                store_tx.insert_turns(db, tid, turns)
                transcripts.append((tid, length, n))

            for person, wave in interviews:
                add_transcript("interview", wave, person, per_interview,
                               [("Interviewer", None, True), ("R", person, False)])
            for wave, members in groups:
                add_transcript("focus-group", wave, None, per_group,
                               [("Moderator", None, True)] +
                               [(f"S{i}", pid, False) for i, pid in enumerate(members)])

        def rows():
            for tid, length, n in transcripts:
                seen = set()
                for _ in range(n):
                    start = rng.randrange(0, length - 20)
                    end = min(length, start + rng.randint(20, 300))
                    row = (tid, rng.choice(codes), coder, start, end)
                    if row not in seen:
                        seen.add(row)
                        yield row

        inserted = store_analysis.bulk_insert_codings(db, rows())
    return {"codings": inserted, "transcripts": len(transcripts)}


def timed(fn):
    """(wall seconds, CPU seconds of this process, result): on a busy machine the wall
    time includes waiting for a core, the CPU time does not."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def two_scan_baseline(db) -> int:
    """Turn-scope pair counts the plain way (the yardstick): two SELECTs, a binary
    search for each coding's turn, distinct (turn, code) rows, pairs from their runs.
    Returns the number of (turn, pair) co-occurrences."""
    import numpy as np

    from qualcode.analysis.unit_counts import _pair_counts, distinct

    coded = np.array(db.execute("SELECT transcript_id, code_id, start FROM codings").fetchall(),
                     dtype=np.int64).reshape(-1, 3)
    turns = np.array(db.execute("SELECT transcript_id, start FROM turns").fetchall(),
                     dtype=np.int64).reshape(-1, 2)
    top = int(coded[:, 2].max()) + 1 if len(coded) else 1
    turn_keys = np.sort(turns[:, 0] * top + turns[:, 1])
    at = coded[:, 0] * top + coded[:, 2]
    unit = np.searchsorted(turn_keys, at, side="right") - 1
    codes_top = int(coded[:, 1].max()) + 1 if len(coded) else 1
    keys = distinct(unit[unit >= 0] * codes_top + coded[unit >= 0, 1])
    units, codes = np.divmod(keys, codes_top)
    return int(_pair_counts(units, codes, codes_top)[2].sum())


def row_by_row_turns(db):
    """The turn scope as it was counted before: one query with a correlated subquery for
    each coding's turn, ordered by SQL, then counted in a Python loop."""
    return cooc_mod.compute(store_analysis.codings(db, with_turn=True), "turn")


def run_size(n: int, folder: Path, reuse: bool = False) -> dict:
    path = folder / f"bench_{n}.qualcode"
    if reuse and path.exists():  # built by an earlier run with the same seed
        with Project.open(path) as project:
            made = {"codings": project.db.execute("SELECT count(*) FROM codings").fetchone()[0],
                    "transcripts": project.db.execute("SELECT count(*) FROM transcripts").fetchone()[0]}
        t_build = 0.0
    else:
        path.unlink(missing_ok=True)
        t_build, _, made = timed(lambda: build(path, n))
    with Project.open(path) as project:
        db = project.db
        cube_mod.load_cube(db)  # warm the page cache once, as a second command would find it
        t_cube, c_cube, cube = timed(lambda: cube_mod.load_cube(db))
        t_change, c_change, report = timed(lambda: change_mod.change_report(cube_mod.load_cube(db)))
        t_cooc, c_cooc, cooc = timed(lambda: cooc_mod.cooccurrence(db, scope="overlap"))
        t_jac, _c_jac, _ = timed(lambda: cooc.edges("jaccard"))
        t_turn, c_turn, turn = timed(lambda: cooc_mod.cooccurrence(db, scope="turn"))
        t_rows, _c_rows, before = timed(lambda: row_by_row_turns(db))
        t_base, _c_base, base_pairs = timed(lambda: two_scan_baseline(db))
        assert turn.pairs == before.pairs and turn.freq == before.freq and turn.units == before.units
        assert sum(v[0] for v in turn.pairs.values()) == base_pairs
    figures = {"size": n, "codings": made["codings"], "transcripts": made["transcripts"],
               "build": t_build, "cube": t_cube, "change": t_change, "cooccurrence": t_cooc,
               "jaccard_chars": t_jac, "cpu_cube": c_cube, "cpu_change": c_change,
               "cpu_cooccurrence": c_cooc, "cells": len(cube.cells),
               "turn_cooccurrence": t_turn, "cpu_turn_cooccurrence": c_turn,
               "turn_row_by_row": t_rows, "turn_two_scan_baseline": t_base,
               "labels": len(report.participants),
               "pairs": sum(v[0] for v in cooc.pairs.values()),
               "load": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None}
    print(f"{figures['codings']:>9,} codings  build {t_build:6.1f}s  "
          f"cube {t_cube:6.3f}s (cpu {c_cube:.3f})  change {t_change:6.3f}s (cpu {c_change:.3f})  "
          f"cooccurrence {t_cooc:6.3f}s (cpu {c_cooc:.3f}; +{t_jac:.3f}s for Jaccard's "
          f"characters)  [{figures['cells']:,} cells, {figures['labels']:,} labels, "
          f"{figures['pairs']:,} overlapping pairs; load average {figures['load']}]", flush=True)
    print(f"{figures['codings']:>9,} codings  turn cooccurrence {t_turn:6.3f}s (cpu {c_turn:.3f})  "
          f"row by row (before) {t_rows:6.3f}s  two-scan baseline {t_base:6.3f}s  "
          f"ratio to baseline x{t_turn / max(t_base, 1e-9):.2f}  speed-up x{t_rows / max(t_turn, 1e-9):.1f}",
          flush=True)
    return figures


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated numbers of codings")
    parser.add_argument("--keep", metavar="DIR", help="keep the projects in DIR")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: time the projects an earlier run left there (no build)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = [run_size(n, folder, args.reuse) for n in sizes]
    for prev, cur in itertools.pairwise(results):
        ratio = cur["codings"] / max(prev["codings"], 1)
        growth = "  ".join(f"{k} x{cur[k] / max(prev[k], 1e-9):.1f} "
                           f"(cpu x{cur['cpu_' + k] / max(prev['cpu_' + k], 1e-9):.1f})"
                           for k in ("cube", "change", "cooccurrence"))
        print(f"growth {prev['codings']:,} -> {cur['codings']:,} (x{ratio:.1f} codings): {growth}")
    last = results[-1]
    if last["codings"] >= 900_000:
        for key, target in TARGETS.items():
            verdict = "ok" if last[key] < target else "MISSED"
            print(f"target {key} < {target:.0f} s at {last['codings']:,} codings: "
                  f"{last[key]:.3f} s wall ({last['cpu_' + key]:.3f} s cpu) {verdict}")
        ratio = last["turn_cooccurrence"] / max(last["turn_two_scan_baseline"], 1e-9)
        verdict = "ok" if ratio <= TURN_RATIO_TARGET else "MISSED"
        print(f"target turn cooccurrence <= x{TURN_RATIO_TARGET} the two-scan baseline at "
              f"{last['codings']:,} codings: x{ratio:.2f} {verdict}")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
