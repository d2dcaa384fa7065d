"""The TUI's live view on a long transcript: what watching for other programs costs, and
how soon and how smoothly their codings appear.

    python benchmarks/bench_live.py                        # 1,000,000 characters, 10,000 codings
    python benchmarks/bench_live.py --chars 20000 --codings 200 --rounds 3   # smoke run

The app (headless) shows the transcript while another process, started once, commits
one change per round, five rounds in a cycle: it adds a coding three times, removes the
last one it added, and recolours a code (which makes the app read every coding again;
for the other changes it reads only the codings that differ).
Figures: the cost of one change check (``PRAGMA data_version``, what an idle app does
once a second); the time from the other process's commit to the change being drawn
(the check runs once a second, so about half a second plus the re-read is expected);
the main thread's share of a re-read (the worker reads and indexes; the main thread
only draws); and frame times of key presses made while the re-reads happen. Targets: a
check < 50 µs; shown < 2 s (p95); main thread < 50 ms (p95); key press p95 < 30 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from textual import events

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_tui import BenchApp, build, percentile  # noqa: E402

from qualcode.tui.app import make_app  # noqa: E402
from qualcode.tui.screens.coding import CodingScreen  # noqa: E402

OTHER_PROGRAM = textwrap.dedent("""
    import sys
    from qualcode import Project
    with Project.open(sys.argv[1]) as project:
        project.coder = "other"
        n = project.transcripts.get("long").char_count
        print("ready", flush=True)
        last = None
        for line in sys.stdin:
            i = int(line)
            if i % 5 == 3:
                project.coding.remove_coding(last)
                print("removed", last, flush=True)
            elif i % 5 == 4:
                colour = f"#{(i * 40503) % 0xFFFFFF:06x}"
                project.codebook.edit_code("Code 02", colour=colour)
                print("recoloured", colour, flush=True)
            else:
                start = (i * 7919) % (n - 50)
                last = project.coding.apply_spans([("long", "Code 01", start, start + 40)], summary=f"outside {i}")[0].id
                print("added", last, flush=True)
""")


async def run(path: Path, rounds: int) -> dict[str, list[float]]:
    app = BenchApp(make_app(path).project)
    app.frames = []
    results: dict[str, list[float]] = {"change check (data_version)": []}
    swaps: dict[str, list[float]] = {"_codings_loaded": [], "_codings_changed": []}
    originals = {name: getattr(CodingScreen, name) for name in swaps}

    def timed(name):
        def call(self, *args, **kwargs):
            t0 = time.perf_counter()
            originals[name](self, *args, **kwargs)
            swaps[name].append((time.perf_counter() - t0) * 1000)
        return call

    for name in swaps:
        setattr(CodingScreen, name, timed(name))
    other = subprocess.Popen([sys.executable, "-c", OTHER_PROGRAM, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONPATH=str(HERE.parent)))
    try:
        assert other.stdout.readline().strip() == "ready"
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            checks = 2000
            t0 = time.perf_counter()
            for _ in range(checks):
                app.project.data_version()
            results["change check (data_version)"] = [(time.perf_counter() - t0) / checks * 1e6]
            app.open_transcript("long")
            while not getattr(app.screen, "loaded", False):
                await asyncio.sleep(0.005)
            await app.workers.wait_for_complete()
            view = app.screen.query_one("TranscriptView")
            await pilot.press("s")
            for times in swaps.values():
                times.clear()
            shown, keys = [], {"quiet": [], "added": [], "removed": [], "recoloured": []}

            async def key(kind: str, name: str) -> None:
                """One key, timed as bench_tui does: to the end of the last frame it caused."""
                app.frames.clear()
                t0 = time.perf_counter()
                app.post_message(events.Key(name, None))
                await pilot.pause()
                after = [t for t, _, _ in app.frames if t >= t0]
                if after:
                    keys[kind].append((after[-1] - t0) * 1000)
                await asyncio.sleep(0.05)

            for i in range(30):  # the same keys with nothing changing elsewhere: the baseline
                await key("quiet", "down" if i % 2 else "up")
            drawn = {
                "added": lambda v: any(s.id == int(value) for s in view.spans),
                "removed": lambda v: not any(s.id == int(value) for s in view.spans),
                "recoloured": lambda v: view.colours.get("Code 02") == value,
            }
            for i in range(rounds):
                other.stdin.write(f"{i}\n")
                other.stdin.flush()
                what, value = (await asyncio.to_thread(other.stdout.readline)).split()
                committed = time.perf_counter()
                while not drawn[what](value):
                    await key(what, "down" if i % 2 else "up")
                    if time.perf_counter() - committed > 30:
                        raise RuntimeError("an outside coding was not shown within 30 s")
                shown.append((time.perf_counter() - committed) * 1000)
                # Let the redraw finish (a recoloured code repaints every row) before the
                # next round, so each round's keys measure that round's change.
                await app.workers.wait_for_complete()
                await pilot.pause(0.3)
            results["commit elsewhere -> drawn here"] = shown
            results["redraw changes: main thread"] = swaps["_codings_changed"] or [0.0]
            results["redraw all: main thread"] = swaps["_codings_loaded"] or [0.0]
            results["key press: nothing changing"] = keys["quiet"]
            results["key press: coding added"] = keys["added"] or [0.0]
            results["key press: coding removed"] = keys["removed"] or [0.0]
            results["key press: all read again"] = keys["recoloured"] or [0.0]
    finally:
        other.stdin.close()
        other.wait(timeout=60)
        other.stdout.close()
        for name, original in originals.items():
            setattr(CodingScreen, name, original)
    return results


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--codings", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("QUALCODE_CODER", "bench")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = build(Path(tmp), args.chars, args.codings)
        print(f"built {args.chars:,} characters with {args.codings:,} codings in "
              f"{time.perf_counter() - t:.1f} s")
        results = asyncio.run(run(path, args.rounds))
    print(f"{'':36} {'median':>10} {'p95':>10} {'n':>5}")
    for label, values in results.items():
        unit = "µs" if "check" in label else "ms"
        print(f"{label:36} {statistics.median(values):8.1f}{unit} {percentile(values, 95):8.1f}{unit} "
              f"{len(values):5d}")
    print("targets: a check < 50 µs; shown < 2 s (p95); main thread < 50 ms (p95); key press p95 < 30 ms")
    return results


if __name__ == "__main__":
    main()
