"""Benchmark: bulk loading of codings (store.bulk.bulk_load_codings), time and peak memory.

For each size (default 10k, 100k and 1M codings) a child process makes a project (100
transcripts of stub text with their nominal lengths, 300 codes, 2 coders), then loads
that many random codings, handed over as a generator as a loader reading a file would,
and reports the load's wall time and the process's peak resident memory (the kernel's
high-water mark, which includes the interpreter and numpy: about 60 MB). Growth per
tenfold is printed (x10 is linear).

With ``--baseline DIR`` each size also runs on another source tree of qualcode (for
example ``git archive main | tar -x -C DIR``), so that before and after are side by
side in one run. Goal: linear, and under 300 MB at 1M codings.

    python benchmarks/bench_bulk_load.py [--sizes 10000,100000,1000000] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSCRIPTS, CODES, CHARS = 100, 300, 200_000
TARGET_MB = 300


def child(size: int, folder: Path) -> dict:
    import hashlib
    import resource

    from qualcode import Project
    from qualcode.store import bulk
    from qualcode.store import codes as store_codes
    from qualcode.store import db as store_db
    from qualcode.store import study as store_study
    from qualcode.store import transcripts as store_tx

    path = folder / f"bulk_{size}.qualcode"
    path.unlink(missing_ok=True)
    with Project.create(path) as project:
        db = project.db
        with store_db.write(db):
            coders = [store_study.coder_id(db, name) for name in ("anna", "ben")]
            codes = [store_codes.insert_code(db, f"code {k}", None, {}) for k in range(CODES)]
            transcripts = []
            for number in range(TRANSCRIPTS):
                text = f"stub {number}"
                tid = store_tx.insert_transcript(
                    db, name=f"T{number:03d}", kind="interview", wave_id=None, participant_id=None,
                    date=None, source_name=f"T{number:03d}.txt", source_format="text",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), encoding="utf-8", text=text,
                    imported_by=None)
                db.execute("UPDATE transcripts SET char_count = ? WHERE id = ?", [CHARS, tid])
                transcripts.append(tid)

        def rows():
            # Drawn by numpy a chunk at a time: the input costs little time and memory,
            # so what is measured is the load.
            import numpy as np

            draw = np.random.default_rng(5)
            for first in range(0, size, 10_000):
                n = min(10_000, size - first)
                starts = draw.integers(0, CHARS - 400, n)
                yield from zip(draw.choice(transcripts, n).tolist(), draw.choice(codes, n).tolist(),
                               draw.choice(coders, n).tolist(), starts.tolist(),
                               (starts + draw.integers(20, 401, n)).tolist())

        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        loaded = bulk.bulk_load_codings(db, rows())
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"size": size, "loaded": loaded, "seconds": seconds, "peak_mb": peak / 1024,
            "before_mb": before / 1024}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of codings")
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="another qualcode source tree")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the projects in DIR")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.keep)))
        return []
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    variants = {"after": None}
    if args.baseline:
        variants["before"] = str(args.baseline.resolve())
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            for label, tree in variants.items():
                env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
                if tree:
                    env["PYTHONPATH"] = tree
                # (In the project folder: a checkout in the working folder would shadow the tree.)
                done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(size),
                                       "--keep", str(folder.resolve())], env=env, cwd=folder,
                                      capture_output=True, text=True, check=True)
                figures = {**json.loads(done.stdout.strip().splitlines()[-1]), "variant": label}
                results.append(figures)
                print(f"{label:<6} {figures['loaded']:>9,} codings  load {figures['seconds']:7.2f} s  "
                      f"peak {figures['peak_mb']:6.0f} MB (before the load {figures['before_mb']:.0f} MB)",
                      flush=True)
    for label in variants:
        mine = [r for r in results if r["variant"] == label]
        for prev, cur in itertools.pairwise(mine):
            print(f"{label} growth {prev['loaded']:,} -> {cur['loaded']:,}: time "
                  f"x{cur['seconds'] / max(prev['seconds'], 1e-9):.1f}, peak memory x{cur['peak_mb'] / prev['peak_mb']:.1f}")
    last = [r for r in results if r["variant"] == "after"][-1]
    if last["loaded"] >= 900_000:
        verdict = "ok" if last["peak_mb"] < TARGET_MB else "MISSED"
        print(f"target peak < {TARGET_MB} MB at {last['loaded']:,} codings: {last['peak_mb']:.0f} MB {verdict} "
              f"(load average {os.getloadavg()[0]:.1f})")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
