"""Several coders in the TUI: the presence line names the others and where they are,
and a codebook edit made on a stale view is refused with a message, saving nothing."""

from __future__ import annotations

import os
import time

from qualcode import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen

from .test_flows import SIZE, run_async


async def until(pilot, condition, limit: float = 3.0) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit:
            raise AssertionError(f"not within {limit} s")
        await pilot.pause(0.05)
    return time.monotonic() - start


def status_text(app) -> str:
    return str(app.screen.query_one("#status").render())


@run_async
async def test_the_status_line_names_who_else_is_here_and_on_what(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "also here" not in status_text(app)
        with Project.open(tui_project) as ben:
            ben.coder = "ben"
            name = ben.transcripts.all()[0].name
            ben.presence.join(place=name)
            await until(pilot, lambda: f"also here: ben on {name}" in status_text(app))
            ben.presence.leave()
            await until(pilot, lambda: "also here" not in status_text(app))
    with Project.open(tui_project) as after:  # the TUI's session went with it
        assert after.presence.sessions() == []


@run_async
async def test_a_rename_over_another_coders_edit_is_refused_with_a_message(tui_project):
    app = make_app(tui_project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        name = screen.current
        await pilot.press("r")  # the dialog opens with what anna sees now
        await pilot.pause()
        with Project.open(tui_project) as ben:
            ben.coder = "ben"
            ben.codebook.edit_code(name, definition="ben's definition")
        notes = []
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("end", *"X", "enter")
        await pilot.pause()
        assert any(f"code {name} was changed by ben" in n and "nothing was saved" in n for n in notes), notes
    with Project.open(tui_project) as after:
        assert name in after.codebook.code_names() and f"{name}X" not in after.codebook.code_names()
        assert after.codebook.code(name).definition == "ben's definition"


@run_async
async def test_a_served_tui_leaves_when_its_server_is_gone(tui_project, monkeypatch):
    # `qualcode serve` runs each coder's TUI as its own child; Textual's web driver does
    # not end when its input closes, so a TUI whose server died would stay on the project.
    monkeypatch.setenv("QUALCODE_SERVED", "1")
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with Project.open(tui_project) as other:
            assert [s["program"] for s in other.presence.sessions()] == ["web"]
        await pilot.pause(1.2)
        assert app.is_running  # its server (this process's parent) is still there
        server = os.getppid()
        monkeypatch.setattr(os, "getppid", lambda: 1 if server != 1 else 2)  # handed to init
        for _ in range(40):
            if not app.is_running:
                break
            await pilot.pause(0.1)
        assert not app.is_running
    with Project.open(tui_project) as after:
        assert after.presence.sessions() == []  # it left the way a quit leaves
