"""Live team coding: four terminal UIs (the real app, driven by Pilot, each in its own
process) and two command-line writers code one project at once, 2,000 actions in all,
each TUI also undoing some of its own codings. Nothing acknowledged is lost, nothing is
applied twice, no undo reaches another coder's work, no screen ever shows "database is
locked", the file is intact, and by the end each TUI's screen shows every coding.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter

import pytest

from qualcode import Project

from .processes import TRANSCRIPT, cli_writer, make_project, tui

TUIS = ("team-a", "team-b", "team-c", "team-d")
# Per TUI: 5 codings and 1 undo a round; per command-line writer: codings. (The
# environment may shrink them for a quick look; the suite runs the full 2,000.)
ROUNDS = int(os.environ.get("QUALCODE_TEAM_ROUNDS", 40))
CLI_EACH = int(os.environ.get("QUALCODE_TEAM_CLI", 520))


@pytest.mark.slow
def test_four_tuis_and_two_cli_writers_2000_actions(tmp_path):
    path = make_project(tmp_path)
    started = time.monotonic()
    writers = [cli_writer(path, "cli-a", first=0, count=CLI_EACH, every=130),
               cli_writer(path, "cli-b", first=3, count=CLI_EACH, every=130)]
    # Each TUI starts on its own stretch of sentences; they may meet (codings are per coder).
    # (200 sentences each of the transcript's 600.)
    screens = {coder: tui(path, coder, skip=100 * i) for i, coder in enumerate(TUIS)}
    try:
        for _ in range(ROUNDS):
            for screen in screens.values():
                screen.send("code 5")
            for screen in screens.values():
                screen.answered(timeout=300)
                screen.send("undo")
            for screen in screens.values():
                screen.answered(timeout=300)
        for writer in writers:
            assert writer.wait(timeout=600) == 0, writer.stderr()
        with Project.open(path) as project:
            every_id = {c.id for c in project.coding.codings(transcript=TRANSCRIPT)}
        # Within the live refresh (about a second), each screen draws every coding.
        deadline = time.monotonic() + 10
        for screen in screens.values():
            while True:
                count = len(screen.shown)
                screen.send("show")
                while len(screen.shown) == count:
                    assert time.monotonic() < deadline + 60, f"{screen.name}: no answer; {screen.stderr()}"
                    time.sleep(0.05)
                if screen.shown[-1] == every_id or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
    finally:
        for screen in screens.values():
            if screen.proc.poll() is None:
                screen.send("quit")
        for screen in screens.values():
            screen.expect("bye", timeout=120)
            assert screen.wait() == 0, screen.stderr()
    for screen in screens.values():
        assert screen.nacks == [], screen.nacks  # no refusal, no "database is locked"
    actions = sum(len(w.acks) for w in writers) + sum(len(s.acks) + len(s.undone) for s in screens.values())
    assert actions >= 4 * 6 * ROUNDS + 2 * CLI_EACH
    with Project.open(path) as project:
        assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = [(c.start, c.end, c.code, c.coder) for c in project.coding.codings()]
    saved = Counter(rows)
    assert [row for row, n in saved.items() if n > 1] == []  # nothing applied twice
    expected = Counter()
    for writer, coder in zip(writers, ("cli-a", "cli-b"), strict=True):
        expected.update((*a, coder) for a in writer.acks)
    for coder, screen in screens.items():
        assert screen.nacks == [], screen.nacks  # no refusal, no "database is locked"
        assert len(screen.undone) == ROUNDS
        kept = Counter((*a, coder) for a in screen.acks)
        kept.subtract((*u, coder) for u in screen.undone)
        expected.update(+kept)
    # Every kept action there, every undone one gone, nothing else.
    assert (saved - expected, expected - saved) == (Counter(), Counter())
    for coder, screen in screens.items():
        assert screen.shown[-1] == every_id, f"{coder}'s screen is missing codings"
    print(f"4 TUIs and 2 CLI writers: {actions} actions ({4 * ROUNDS} undos), 0 lost, "
          f"0 twice, {time.monotonic() - started:.0f} s", file=sys.stderr)
