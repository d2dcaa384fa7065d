"""Headless TUI benchmark on a long transcript: first paint and per-key frame times.

    python benchmarks/bench_tui.py                      # 1,000,000 characters, 10,000 codings
    python benchmarks/bench_tui.py --chars 20000 --codings 200   # smoke run

A frame is timed from the moment the key is posted to the app to the end of the last
frame it caused (timestamped in the app's ``_display`` hook, after the compositor
update has been encoded to terminal bytes as a real terminal would need), not Pilot
calls: Pilot sleeps in 20 ms slices. Targets: first paint < 100 ms; key press median
< 15 ms, p95 < 30 ms.

The same keys are then timed, with the same clock, on a bare Line API viewer of the same
text (``bare_viewer.py``: one scroll view, no codings, status line or footer) wrapped to
the same width in a view of the same height, and the ratio of the medians is printed:
what qualcode's screen adds to a key press. The two viewers run in alternating rounds
(``--rounds``, 5 by default), each in a fresh process of its own, and each key's presses
are pooled over the rounds, so that a slow spell of the machine falls on both alike (one
process's figures move by a quarter from the next's on a shared machine). Down is timed from the top of the text and
each press is filed under what it did: moving the cursor within the page, or scrolling
the view (the cursor at its last row), which redraws every row and costs several times
more; the same presses do the same in both viewers. Goal (issue "Fast at the limit"): at
most 1.2x for the cursor, scroll and page keys. Mind that the
frame is forced by Pilot's ``pause``, which first has every widget on the screen (shown
or not: 5 here, 2 in the bare viewer) run a callback, so part of each figure grows
with the number of widgets whatever a key repaints; on a machine that other work keeps
busy, compare the ratio, never the milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.widget import Widget

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bare_viewer import BareApp  # beside this file

from qualcode import Project
from qualcode.tui.app import QualcodeApp, make_app

WORDS = ["the", "money", "side", "of", "things", "got", "bad", "and", "one", "week", "there", "was", "this", "woman", "at", "a", "table", "by", "the", "tea", "urn", "with", "leaflets", "bowl", "fruit", "thought", "here", "we", "go", "somebody", "come", "tell", "us", "eat", "five", "day", "laughs", "that", "was", "Leanne", "she", "did", "not", "judge", "me", "knew", "the", "chippy", "bus", "never", "turns", "up", "went", "back", "next", "Wednesday", "because", "wasn't", "posh", "council", "hospital", "used", "food", "bank", "herself", "marriage", "broke", "up", "[inaudible]", "weight", "knees", "doctor", "blood", "pressure"]
CODES = [f"Code {i:02d}" for i in range(1, 21)]
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442"]


def build(folder: Path, chars: int, codings: int, seed: int = 7) -> Path:
    """A project with one generated transcript of about ``chars`` characters."""
    rng = random.Random(seed)
    turns, size, speaker = [], 0, 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(1, 8)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 24))]
            sentences.append(" ".join(words).capitalize() + rng.choice(".?."))
        label = "Interviewer" if speaker == 0 else "Pat"
        turns.append(f"{label}: {' '.join(sentences)}")
        size += len(turns[-1]) + 2
        speaker ^= 1
    source = folder / "long.txt"
    source.write_text("\n\n".join(turns) + "\n", encoding="utf-8")
    path = folder / "bench.qualcode"
    with Project.create(path) as project:
        project.coder = "bench"
        project.study.add_participant("P1", role="client")
        project.study.add_wave("W1")
        project.transcripts.import_transcript(source, participant="P1", wave="W1", speaker_map={"Pat": "P1"})
        for i, name in enumerate(CODES):
            project.codebook.add_code(name, colour=PALETTE[i % len(PALETTE)])
        n = project.transcripts.get("long").char_count
        spans = set()
        while len(spans) < codings:
            start = rng.randrange(0, n - 1)
            spans.add(("long", rng.choice(CODES), start, min(n, start + rng.randint(10, 600))))
        project.coding.apply_spans(sorted(spans), summary=f"{codings} generated codings")
    return path


class BenchApp(QualcodeApp):
    """Records when each frame has been written (encoded), and whether the text and
    the codings were on screen by then."""

    frames: list[tuple[float, bool, bool]]

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if renderable is None:
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            render(self.console)  # headless skips encoding; a terminal would not
        screen = self.screen
        self.frames.append((time.perf_counter(), bool(getattr(screen, "shown", False)),
                            bool(getattr(screen, "loaded", False))))


#: Widgets whose lines the compositor asked for, counted over a run of keys: every
#: widget in the band between the rows a key changes is rendered again (cached lines
#: included), so this count is the part of a key's cost that does not depend on load.
RENDERED: list[int] = [0]
_render_lines = Widget.render_lines


def _counted_render_lines(self, crop):
    RENDERED[0] += 1
    return _render_lines(self, crop)



def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


async def run(path: Path, presses: int) -> dict[str, list[float]]:
    base = make_app(path)
    app = BenchApp(base.project)
    app.frames = []
    results: dict[str, list[float]] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        app.open_transcript("long")
        while not getattr(app.screen, "loaded", False):
            await asyncio.sleep(0.005)
        await pilot.pause()
        await app.workers.wait_for_complete()
        first = next(t for t, shown, _ in app.frames if shown and t >= start)
        coded = next(t for t, _, loaded in app.frames if loaded and t >= start)
        results["first paint (text)"] = [(first - start) * 1000]
        WRAP_WIDTH[0] = app.screen.query_one("#transcript").text_width
        results["codings drawn"] = [(coded - start) * 1000]

        first_frames: list[float] = []

        async def key(name: str, character: str | None = None) -> float:
            """Post one key; the time to the end of the LAST frame it caused."""
            await pilot.pause()
            app.frames.clear()
            t0 = time.perf_counter()
            app.post_message(events.Key(name, character))
            await pilot.pause()
            await pilot.pause()
            after = [t for t, _, _ in app.frames if t >= t0]
            first_frames.append((after[0] - t0) * 1000 if after else 0.0)
            return (after[-1] - t0) * 1000 if after else 0.0

        async def measure(label: str, keys: list[tuple[str, str | None]], setup=(),
                          first_too: bool = False) -> None:
            for k in setup:
                await key(*k)
            times, firsts = [], []
            rendered = 0
            for _ in range(presses):
                for k in keys[:-1]:
                    await key(*k)
                before = RENDERED[0]
                times.append(await key(*keys[-1]))
                rendered += RENDERED[0] - before
                firsts.append(first_frames[-1])
            results[label] = times
            WIDGETS_RENDERED[label] = [rendered / presses]
            if first_too:
                results["  ... to its first frame"] = firsts

        view = app.screen.query_one("#transcript")
        VIEW_HEIGHT[0] = view.scrollable_content_region.height
        await measure_down(key, lambda: view.scroll_y, presses, results)
        await measure("scroll: pagedown", [("pagedown", None)])
        await measure("move selection: down (next sentence)", [("down", None)], setup=[("s", "s")])
        await measure("move selection: shift+right", [("shift+right", None)])
        # Each round codes the next sentence (the selection moves on with down).
        await measure("apply a code: down, c, 1 (the '1' frame)",
                      [("down", None), ("c", "c"), ("1", "1")], setup=[("s", "s")],
                      first_too=True)
    return results


async def measure_down(key, scroll_y, presses: int, results: dict[str, list[float]],
                       prefix: str = "") -> None:
    """Down from the top of the text, ``2 * presses`` times: the first presses move the
    cursor within the page, the later ones scroll the view by a row or two each (the
    cursor is at its last row). The two cost very different amounts (the second redraws
    the whole view), so each press is filed under what it did, and each kind has its
    own median; mixed, the median falls between the two kinds and jumps from run to run.
    Both viewers show the same rows in views of the same height, so the same presses
    scroll in both."""
    for _ in range(2 * presses):
        before, rendered = scroll_y(), RENDERED[0]
        took = await key("down")
        label = prefix + (CURSOR_DOWN if scroll_y() == before else SCROLL_DOWN)
        results.setdefault(label, []).append(took)
        WIDGETS_RENDERED.setdefault(label, []).append(RENDERED[0] - rendered)


async def run_bare(path: Path, presses: int) -> dict[str, list[float]]:
    """The bare viewer on the same transcript, the same keys, the same clock."""
    with Project.open(path) as project:
        transcript = project.transcripts.get("long")
    turns = [t for t in transcript.turns if t.end > t.start]
    app = BareApp(transcript.text, turns, [s.start for s in transcript.sentences],
                  WRAP_WIDTH[0] or None, VIEW_HEIGHT[0] or None)
    results: dict[str, list[float]] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()

        async def key(name: str) -> float:
            await pilot.pause()
            app.frames.clear()
            t0 = time.perf_counter()
            app.post_message(events.Key(name, None))
            await pilot.pause()
            await pilot.pause()
            after = [t for t, _, _ in app.frames if t >= t0]
            return (after[-1] - t0) * 1000 if after else 0.0

        VIEW_HEIGHT.append(app.view.scrollable_content_region.height)
        await measure_down(key, lambda: app.view.scroll_y, presses, results, prefix=BARE)
        before = RENDERED[0]
        results["bare: pagedown"] = [await key("pagedown") for _ in range(presses)]
        WIDGETS_RENDERED["bare: pagedown"] = [(RENDERED[0] - before) / presses]
    return results


#: The width qualcode's view wraps the text to: the bare viewer wraps to the same, so
#: both show the same rows and scroll on the same key presses.
WRAP_WIDTH: list[int] = [0]

#: The height of qualcode's text view: the bare viewer's is the same, so that the same
#: presses scroll in both.
VIEW_HEIGHT: list[int] = [0]

#: Widgets rendered per key press, by measured key (one figure per press, or an average).
WIDGETS_RENDERED: dict[str, list[float]] = {}

CURSOR_DOWN, SCROLL_DOWN = "cursor: down (within the page)", "scroll: down (cursor at the bottom)"
BARE = "bare: "

#: Keys compared with the bare viewer: (qualcode's label, the bare viewer's label).
COMPARED = ((CURSOR_DOWN, BARE + CURSOR_DOWN), (SCROLL_DOWN, BARE + SCROLL_DOWN),
            ("scroll: pagedown", "bare: pagedown"))


def widgets_per_key(label: str) -> float:
    counts = WIDGETS_RENDERED.get(label) or [0.0]
    return statistics.mean(counts)


def _child(viewer: str, path: Path, presses: int, wrap: int = 0, height: int = 0) -> dict:
    """One viewer timed in a process of its own: each starts from a fresh interpreter, as
    a user's does, and no viewer's leftovers (objects, caches, a heap grown by the other)
    weigh on the next."""
    command = [sys.executable, __file__, "--child", viewer, "--project", str(path), "--presses", str(presses),
               "--wrap", str(wrap), "--height", str(height)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {viewer} viewer's run failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_child(viewer: str, path: Path, presses: int, wrap: int, height: int) -> dict:
    WRAP_WIDTH[0], VIEW_HEIGHT[0] = wrap, height
    Widget.render_lines = _counted_render_lines  # type: ignore[method-assign]
    results = asyncio.run(run(path, presses) if viewer == "qualcode" else run_bare(path, presses))
    return {"results": results, "widgets": WIDGETS_RENDERED, "wrap": WRAP_WIDTH[0], "height": VIEW_HEIGHT[-1]}


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--codings", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5,
                        help="Rounds of both viewers, alternating; figures are pooled (default 5).")
    parser.add_argument("--child", choices=("qualcode", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--project", help=argparse.SUPPRESS)
    parser.add_argument("--wrap", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--height", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("QUALCODE_CODER", "bench")
    if args.child:
        print(json.dumps(_run_child(args.child, Path(args.project), args.presses, args.wrap, args.height)))
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = build(Path(tmp), args.chars, args.codings)
        print(f"built {args.chars:,} characters with {args.codings:,} codings in "
              f"{time.perf_counter() - t:.1f} s")
        results: dict[str, list[float]] = {}
        by_round: list[dict[str, list[float]]] = []
        # Rounds alternate between the two viewers, each in a process of its own, so
        # that a slow spell of the machine (common on a shared one) falls on both alike;
        # each key's figures are pooled over the rounds.
        for _ in range(max(1, args.rounds)):
            ours = _child("qualcode", path, args.presses)
            bare = _child("bare", path, args.presses, ours["wrap"], ours["height"])
            VIEW_HEIGHT[:] = [ours["height"], bare["height"]]
            WIDGETS_RENDERED.update(ours["widgets"])
            WIDGETS_RENDERED.update(bare["widgets"])
            both = {**ours["results"], **bare["results"]}
            by_round.append(both)
            for label, times in both.items():
                results.setdefault(label, []).extend(times)
    print(f"{'':42} {'median':>9} {'p95':>9} {'n':>5}")
    for label, times in results.items():
        print(f"{label:42} {statistics.median(times):7.1f}ms {percentile(times, 95):7.1f}ms "
              f"{len(times):5d}")
    print("targets: first paint < 100 ms; key press median < 15 ms, p95 < 30 ms")
    print(f"text view height: {VIEW_HEIGHT[0]} rows, the bare viewer's {VIEW_HEIGHT[-1]}")
    for ours_label, bare_label in COMPARED:
        if not (results.get(ours_label) and results.get(bare_label)):
            print(f"{ours_label:42} not compared: no such press in this run")
            continue
        ratio = statistics.median(results[ours_label]) / max(1e-9, statistics.median(results[bare_label]))
        rounds = ", ".join(
            f"{statistics.median(r[ours_label]) / max(1e-9, statistics.median(r[bare_label])):.2f}"
            for r in by_round if r.get(ours_label) and r.get(bare_label))
        print(f"{ours_label:42} {ratio:7.2f}x the bare viewer (goal <= 1.2x); widgets rendered "
              f"per key {widgets_per_key(ours_label):.1f} vs {widgets_per_key(bare_label):.1f}"
              + (f"; round by round {rounds}" if len(by_round) > 1 else ""))
    return results


if __name__ == "__main__":
    main()
