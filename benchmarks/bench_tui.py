"""Headless TUI benchmark on a long transcript: first paint and per-key frame times.

    python benchmarks/bench_tui.py                      # 1,000,000 characters, 10,000 codings
    python benchmarks/bench_tui.py --chars 20000 --codings 200   # smoke run

A frame is timed from the moment the key is posted to the app to the end of the last
frame it caused (timestamped in the app's ``_display`` hook, after the compositor
update has been encoded to terminal bytes as a real terminal would need), not Pilot
calls: Pilot sleeps in 20 ms slices. Targets: first paint < 200 ms; key press median
< 15 ms, p95 < 30 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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
        n = project.transcripts.get("long")["char_count"]
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
            for _ in range(presses):
                for k in keys[:-1]:
                    await key(*k)
                times.append(await key(*keys[-1]))
                firsts.append(first_frames[-1])
            results[label] = times
            if first_too:
                results["  ... to its first frame"] = firsts

        await measure("scroll: down (cursor by sentence)", [("down", None)])
        await measure("scroll: pagedown", [("pagedown", None)])
        await measure("move selection: down (next sentence)", [("down", None)], setup=[("s", "s")])
        await measure("move selection: shift+right", [("shift+right", None)])
        # Each round codes the next sentence (the selection moves on with down).
        await measure("apply a code: down, c, 1 (the '1' frame)",
                      [("down", None), ("c", "c"), ("1", "1")], setup=[("s", "s")],
                      first_too=True)
    return results


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--codings", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args(argv)
    os.environ.setdefault("QUALCODE_CODER", "bench")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = build(Path(tmp), args.chars, args.codings)
        print(f"built {args.chars:,} characters with {args.codings:,} codings in "
              f"{time.perf_counter() - t:.1f} s")
        results = asyncio.run(run(path, args.presses))
    print(f"{'':42} {'median':>9} {'p95':>9} {'n':>5}")
    for label, times in results.items():
        print(f"{label:42} {statistics.median(times):7.1f}ms {percentile(times, 95):7.1f}ms "
              f"{len(times):5d}")
    print("targets: first paint < 200 ms; key press median < 15 ms, p95 < 30 ms")
    return results


if __name__ == "__main__":
    main()
