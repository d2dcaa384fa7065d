"""Many coders live on one project: how long an action takes, and how soon the others
see it, with N coders at once.

    python benchmarks/bench_team.py                      # N = 2, 4, 8, 16; 20 s each
    python benchmarks/bench_team.py --coders 2 --seconds 5   # smoke run

Each coder is a process that works as the terminal UI does, without drawing: it opens
the project once, joins the presence table (heartbeat every 10 s), codes a span every
200 ms (a human-plus rate: one action per 200 ms each), and once a second checks the
data version and, when it moved, reads the transcript's codings to find the others'
new ones, as the TUI's live view does. Figures, over all coders: the action latency (the
call that codes, waiting for the write lock included) and the visibility latency (from
another coder's commit to this coder reading it; the check runs once a second, so about
half a second is expected). Goal at 8 coders: p95 action < 100 ms, p95 visibility < 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from qualcode import Project  # noqa: E402
from qualcode.team.live import HEARTBEAT_SECONDS  # noqa: E402
from qualcode.tui.live import POLL_SECONDS  # noqa: E402

TRANSCRIPT = "P01_W1"
ACTION_SECONDS = 0.2
TEXT = "Interviewer: Tell me about the last year.\n\nP01: " + " ".join(
    f"This is sentence number {i} of a long answer about walking, food and money." for i in range(2000)) + "\n"


def make_project(folder: Path) -> Path:
    path = folder / "team.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        source = folder / f"{TRANSCRIPT}.txt"
        source.write_text(TEXT, encoding="utf-8")
        project.transcripts.import_transcript(source, participant="P01", wave="W1")
        project.codebook.add_code("Alpha")
    return path


def worker(path: str, coder: str, index: int, seconds: float) -> None:
    """One coder: prints one JSON line with its actions and what it saw of the others'."""
    actions: list[tuple[int, float, float]] = []  # coding id, commit time, latency
    seen: dict[int, float] = {}  # coding id -> when first read here
    with Project.open(path) as project:
        project.coder = coder
        project.presence.join(place=TRANSCRIPT)
        length = project.transcripts.get(TRANSCRIPT).char_count
        version = project.data_version()
        known = {c.id for c in project.coding.codings(transcript=TRANSCRIPT)}
        start = time.monotonic()
        next_action, next_check, next_beat = start + index * 0.013, start + POLL_SECONDS, start
        step = 0
        while time.monotonic() - start < seconds:
            now = time.monotonic()
            if now >= next_beat:
                project.presence.beat(place=TRANSCRIPT)
                next_beat = now + HEARTBEAT_SECONDS
            if now >= next_check:
                moved = project.data_version()
                if moved != version:
                    version = moved
                    ids = {c.id for c in project.coding.codings(transcript=TRANSCRIPT)}
                    read_at = time.monotonic()
                    for new in ids - known:
                        seen.setdefault(new, read_at)
                    known = ids
                next_check = now + POLL_SECONDS
            if now >= next_action:
                begin = (index * 997 + step * 61) % (length - 40)
                t0 = time.monotonic()
                made = project.coding.apply_spans([(TRANSCRIPT, "Alpha", begin, begin + 30)],
                                           summary=f"{coder} {step}")
                t1 = time.monotonic()
                if made:
                    actions.append((made[0].id, t1, t1 - t0))
                    known.add(made[0].id)
                step += 1
                next_action += ACTION_SECONDS
            time.sleep(max(0.0, min(next_action, next_check, next_beat) - time.monotonic()))
        project.presence.leave()
    print(json.dumps({"coder": coder, "actions": actions, "seen": seen, "start": start}), flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run(n: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_project(Path(tmp))
        env = dict(os.environ, PYTHONPATH=str(HERE.parent))
        procs = [subprocess.Popen([sys.executable, __file__, "--worker", str(path), f"coder{i}", str(i),
                                   str(seconds)], stdout=subprocess.PIPE, text=True, env=env)
                 for i in range(n)]
        results = []
        for proc in procs:
            out, _ = proc.communicate(timeout=seconds + 300)
            if proc.returncode != 0:
                raise SystemExit(f"a coder failed (exit {proc.returncode})")
            results.append(json.loads(out.strip().splitlines()[-1]))
        with Project.open(path) as project:
            intact = project.db.execute("PRAGMA integrity_check").fetchone()[0]
            saved = len(project.coding.codings(transcript=TRANSCRIPT))
    committed = {a[0]: (r["coder"], a[1]) for r in results for a in r["actions"]}
    latencies = [a[2] * 1000 for r in results for a in r["actions"]]
    visible = [seen_at - committed[int(cid)][1]
               for r in results for cid, seen_at in r["seen"].items()
               if int(cid) in committed and committed[int(cid)][0] != r["coder"]]
    # Another coder's coding made while this one watched, 2 s or more before its end,
    # that it never read: missed by the live view.
    unseen = sum(1 for r in results for cid, (author, at) in committed.items()
                 if author != r["coder"] and str(cid) not in r["seen"]
                 and r["start"] < at < max(a[1] for a in r["actions"]) - 2)
    return {"coders": n, "actions": len(latencies), "saved": saved, "integrity": intact,
            "rate": len(latencies) / seconds,
            "action_p50_ms": statistics.median(latencies), "action_p95_ms": percentile(latencies, 95),
            "visible_p50_s": statistics.median(visible), "visible_p95_s": percentile(visible, 95),
            "unseen_after_2s": unseen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--coders", type=int, nargs="*", default=[2, 4, 8, 16])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        path, coder, index, seconds = args.worker
        worker(path, coder, int(index), float(seconds))
        return
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start; "
          f"one action per {ACTION_SECONDS * 1000:.0f} ms per coder, {args.seconds:.0f} s each")
    print(f"{'coders':>6} {'actions':>8} {'per s':>6} {'action p50':>11} {'action p95':>11} "
          f"{'seen p50':>9} {'seen p95':>9}  check")
    rows = []
    for n in args.coders:
        row = run(n, args.seconds)
        rows.append(row)
        ok = row["integrity"] == "ok" and row["saved"] == row["actions"] and row["unseen_after_2s"] == 0
        print(f"{n:>6} {row['actions']:>8} {row['rate']:>6.1f} {row['action_p50_ms']:>9.1f}ms "
              f"{row['action_p95_ms']:>9.1f}ms {row['visible_p50_s']:>8.2f}s {row['visible_p95_s']:>8.2f}s  "
              f"{'ok' if ok else 'NOT OK: ' + json.dumps(row)}", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
