"""Escape sequences in project data never reach the terminal from the TUI.

The hostile project (tests/hardening/hostile.py) carries ESC/OSC/CSI/C1 in every field;
every screen, dialog, the code picker, the command palette and a notification are
visited, and what the app would send to the terminal for each (the compositor's full
update, as Textual writes it) is checked: none of the payload's sequences, but its
text shown escaped. Opening an editor on such a value and saving it unchanged leaves
the stored value as it was.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.tui.app import make_app

from . import hostile

E = hostile.ESCAPES
SIZE = (160, 48)
# What the payload would do if it reached the terminal: retitle, clear and paint, write
# the clipboard, an 8-bit CSI, a backspace.
ACTIVE = ("\x1b]0;PWNED", "\x1b[2J\x1b[31mFAKE", "\x1b]52;c;aGk=", "\x9b7m", "\x08", "PWNED\x07")


@pytest.fixture
def study(tmp_path) -> Path:
    return hostile.build(tmp_path / "study", E)


def terminal_output(app) -> str:
    """The full frame of the current screen as it would be written to the terminal."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def check(app, where: str, seen: list[str]) -> None:
    frame = terminal_output(app)
    for sequence in ACTIVE:
        assert sequence not in frame, f"{where}: {sequence!r} reached the terminal"
    # Nothing cut off in the middle of a shown escape leaves a bare ESC either.
    assert "\\x1b" in frame or where in ("help",), f"{where}: the data is not shown"
    seen.append(where)


async def visit(pilot, keys: tuple[str, ...], where: str, seen: list[str]) -> None:
    await pilot.press(*keys)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    check(pilot.app, where, seen)


def test_every_screen_shows_escapes_escaped(study):
    seen: list[str] = []

    async def run() -> None:
        app = make_app(study, coder="anna")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            check(app, "home", seen)
            await visit(pilot, ("p",), "participant", seen)
            await visit(pilot, ("escape", "enter"), "coding", seen)
            await visit(pilot, ("s", "c"), "code picker", seen)
            await visit(pilot, ("escape", "m"), "memo editor", seen)
            await visit(pilot, ("escape", "x"), "remove which coding", seen)
            await visit(pilot, ("escape", "f3", "down"), "codebook", seen)
            await visit(pilot, ("e",), "code editor", seen)
            await visit(pilot, ("escape", "r"), "rename dialog", seen)
            await visit(pilot, ("escape", "S"), "split dialog", seen)
            await visit(pilot, ("escape", "d"), "delete question", seen)
            await visit(pilot, ("n", "f4"), "compare picker", seen)
            await visit(pilot, ("enter",), "comparison", seen)
            await visit(pilot, ("f5",), "memos", seen)
            await visit(pilot, ("f6",), "matrix", seen)
            await visit(pilot, ("c",), "change of a code", seen)
            await visit(pilot, ("f7",), "network", seen)
            await visit(pilot, ("ctrl+p", *"Ref"), "command palette", seen)
            await visit(pilot, ("escape", "escape", "f2", "u"), "undo notification", seen)

    asyncio.run(run())
    assert len(seen) == 19


def test_editing_without_changes_keeps_the_stored_value(study):
    with Project.open(study) as project:
        before = (project.memos.all()[0].body, project.codebook.code("Walking").definition,
                  project.transcripts.get(f"{E}p01_w1").text)

    async def run() -> None:
        app = make_app(study, coder="anna")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("f5")  # the memo body in its text area: save it as shown
            await pilot.pause()
            await pilot.press("enter", "ctrl+s")
            await pilot.pause()
            await pilot.press("f3")  # the code's fields in the editor: save them as shown
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()

    asyncio.run(run())
    with Project.open(study) as project:
        after = (project.memos.all()[0].body, project.codebook.code("Walking").definition,
                 project.transcripts.get(f"{E}p01_w1").text)
        assert after == before
        assert not [e for e in project.log() if e.action in ("memo.edit", "code.edit")]
