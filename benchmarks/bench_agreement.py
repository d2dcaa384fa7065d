"""Benchmark: inter-coder agreement on a synthetic project.

Two coders, 50 codes, ``--chars`` characters of transcripts (default 1,000,000), about
one coding per 150 characters per coder (the second coder's codings are the first's,
shifted a little, with some dropped and some added). Prints the time of each agreement
call; the target for ``unit=char`` at 1M characters is under 2 seconds.

    python benchmarks/bench_agreement.py [--chars N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

from qualcode import Project
from qualcode.analysis import agreement_service
from qualcode.store import codes as store_codes
from qualcode.store import db as store_db
from qualcode.store import study as store_study
from qualcode.store import transcripts as store_tx

CODES = 50
TRANSCRIPT_CHARS = 50_000
TURN_CHARS = 400
CODING_EVERY = 150
TARGET_SECONDS = 2.0
WORDS = ("well", "the", "trainer", "said", "I", "went", "back", "to", "see", "her", "and",
         "we", "talked", "about", "food", "money", "work", "kids", "doctor", "again")


def build(path: Path, chars: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    n_codings = 0
    with Project.create(path, title="agreement benchmark") as project:
        db = project.db
        with store_db.write(db):
            anna, ben = store_study.coder_id(db, "anna"), store_study.coder_id(db, "ben")
            codes = [store_codes.insert_code(db, f"code {k:02d}", None, {}) for k in range(CODES)]
            remaining, number = chars, 0
            while remaining > 0:
                size = min(TRANSCRIPT_CHARS, remaining)
                remaining -= size
                number += 1
                text = " ".join(rng.choice(WORDS) for _ in range(size // 3 + 10))[:size]
                tid = store_tx.insert_transcript(
                    db, name=f"T{number:03d}", kind="interview", wave_id=None,
                    participant_id=None, date=None, source_name=f"T{number:03d}.txt",
                    source_format="text", sha256=hashlib.sha256(text.encode()).hexdigest(),
                    encoding="utf-8", text=text, imported_by=None)
                store_tx.insert_turns(db, tid, [
                    (k + 1, None, s, min(s + TURN_CHARS, size), None, None)
                    for k, s in enumerate(range(0, size, TURN_CHARS))])
                rows = set()
                for _ in range(max(1, size // CODING_EVERY)):
                    code = rng.choice(codes)
                    start = rng.randrange(0, max(1, size - 20))
                    end = min(size, start + rng.randint(20, 600))
                    rows.add((tid, code, anna, start, end))
                    roll = rng.random()
                    if roll < 0.75:  # ben codes the same passage, boundaries a little off
                        s2 = max(0, start + rng.randint(-15, 15))
                        e2 = min(size, max(s2 + 1, end + rng.randint(-15, 15)))
                        rows.add((tid, code, ben, s2, e2))
                    elif roll < 0.85:  # ben uses another code there
                        rows.add((tid, rng.choice(codes), ben, start, end))
                    if rng.random() < 0.1:  # something only ben saw
                        s3 = rng.randrange(0, max(1, size - 50))
                        rows.add((tid, rng.choice(codes), ben, s3, min(size, s3 + 50)))
                stamp = store_db.now()
                db.conn.executemany(
                    "INSERT INTO codings (guid, transcript_id, code_id, coder_id, start, end, "
                    "created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(store_db.new_guid(), *r, stamp) for r in sorted(rows)])
                n_codings += len(rows)
    return {"chars": chars, "transcripts": number, "codings": n_codings, "codes": CODES}


def timed(func, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def run(chars: int, folder: Path) -> dict:
    path = folder / "bench_agreement.qualcode"
    built_in, info = timed(build, path, chars)
    figures = dict(info, build_seconds=round(built_in, 2))
    with Project.open(path) as project:
        for unit in ("char", "turn", "segment"):
            seconds, report = timed(agreement_service.agreement, project, ["anna", "ben"],
                                    unit=unit)
            figures[f"{unit}_seconds"] = round(seconds, 3)
            overall = report.overall
            figures[f"{unit}_percent"] = round(overall.percent_agreement, 2)
            if overall.kappa is not None:
                figures[f"{unit}_kappa"] = round(overall.kappa, 4)
                figures[f"{unit}_alpha"] = round(overall.alpha, 4)
        seconds, rows = timed(agreement_service.disagreements, project, ["anna", "ben"])
        figures["disagreements_seconds"] = round(seconds, 3)
        figures["disagreements"] = len(rows)
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000,
                        help="characters of transcript text (default 1,000,000)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the project in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        figures = run(args.chars, args.keep)
    else:
        with tempfile.TemporaryDirectory() as folder:
            figures = run(args.chars, Path(folder))
    print(f"agreement, 2 coders, {figures['codes']} codes, {figures['chars']:,} characters in "
          f"{figures['transcripts']} transcripts, {figures['codings']:,} codings "
          f"(built in {figures['build_seconds']} s)")
    for unit in ("char", "turn", "segment"):
        extra = (f", kappa {figures[unit + '_kappa']}, alpha {figures[unit + '_alpha']}"
                 if unit + "_kappa" in figures else "")
        print(f"  unit={unit:<8} {figures[unit + '_seconds']:.3f} s  "
              f"agreement {figures[unit + '_percent']}%{extra}")
    print(f"  disagreements (char) {figures['disagreements_seconds']:.3f} s, "
          f"{figures['disagreements']:,} stretches")
    verdict = "ok" if figures["char_seconds"] < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"  target: unit=char under {TARGET_SECONDS} s at 1M characters: {verdict}")
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
