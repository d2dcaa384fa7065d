"""Failure shows, never hides: a database error is on the status line and in a
notification and the user stays where they were; a crash exits non-zero with the
error printed after the terminal is restored; no terminal, no TUI."""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.widgets.status_line import StatusLine

from .test_flows import SIZE, open_first_transcript, run_async, settle

REPO = Path(__file__).resolve().parents[2]


def status(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


def errors_notified(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


@run_async
async def test_a_locked_database_is_shown_and_the_place_kept(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        before = len(view.spans)
        app.project.db.execute("PRAGMA busy_timeout = 200")  # not 30 s in a test
        holder = subprocess.Popen(
            [sys.executable, "-c", "import sys, sqlite3; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
             "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read()", str(tui_project)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "locked"
            await pilot.press("]", "s")
            place = view.selection
            await pilot.press("c", "1")
            assert "✗ not saved (tag): the project was busy in another program" in status(app)
            assert "all changes saved" not in status(app)
            assert any("busy in another program" in m for m in errors_notified(app))
            assert isinstance(app.screen, CodingScreen) and view.selection == place
            assert len(view.spans) == before
        finally:
            holder.communicate("", timeout=60)
        await pilot.press("c", "1")  # the lock is gone: it saves, and says so again
        assert "✓ all changes saved" in status(app)
        assert len(view.spans) == before + 1
    with open_project() as p:
        assert len(p.coding.codings(transcript="P01_W1")) == before + 1


@run_async
async def test_a_database_error_in_any_key_keeps_the_app_running(tui_project, monkeypatch):
    from qualcode.coding.codebook import CodebookService

    def broken(self):
        raise sqlite3.OperationalError("disk I/O error")

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        monkeypatch.setattr(CodebookService, "tree", broken)
        await pilot.press("f3")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert "disk I/O error" in str(app.screen.query_one(StatusLine).render())
        assert any("disk I/O error" in m for m in errors_notified(app))
        monkeypatch.undo()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


@run_async
async def test_a_failing_change_check_is_shown_once(tui_project, monkeypatch):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def broken():
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(app.project, "data_version", broken)
        await pilot.pause(2.3)  # two polls or more
        assert app.is_running
        assert "malformed" in status(app)
        assert len([m for m in errors_notified(app) if "malformed" in m]) == 1


CRASHING_TUI = """
import sys
from qualcode.tui.screens.coding import CodingScreen

def action_search(self):
    raise RuntimeError("a bug in a key handler")

CodingScreen.action_search = action_search
from qualcode.cli import main
sys.argv = ["qualcode", "tui", sys.argv[1]]
main()
"""


def run_in_terminal(args: list[str], steps: list[tuple[str, bytes]], timeout: float = 120) -> tuple[int, str]:
    """Run a program on a pseudo-terminal; for each (text, key) step, type the key once
    the text has appeared in what the program wrote. Returns its exit status and all
    it wrote."""
    main, secondary = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(REPO), TERM="xterm-256color", COLUMNS="120", LINES="40")
    # A session of its own: the terminal's signals (hang-up, interrupt) reach it, not us.
    proc = subprocess.Popen(args, stdin=secondary, stdout=secondary, stderr=secondary, env=env,
                            close_fds=True, start_new_session=True)
    os.close(secondary)
    output = bytearray()
    deadline = time.monotonic() + timeout
    pending = list(steps)
    seen = 0  # the text of the next step is looked for after what the last key caused
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the program has gone
                break
            if not chunk:
                break
            output += chunk
        if pending and pending[0][0].encode() in output[seen:]:
            seen = len(output)
            time.sleep(0.3)  # let the screen settle before the key
            os.write(main, pending.pop(0)[1])
    os.close(main)
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:  # it never ended: do not leave it behind
        proc.kill()
        code = proc.wait(timeout=30)
    return code, output.decode("utf-8", "replace")


def test_a_crash_exits_non_zero_with_the_error_after_the_terminal_is_restored(tui_project):
    code, output = run_in_terminal([sys.executable, "-c", CRASHING_TUI, str(tui_project)],
                                   [("Participants", b"\r"), ("codings", b"/")])
    assert code == 1, output[-2000:]
    restored = output.rfind("\x1b[?1049l")  # leaving the alternate screen
    assert restored >= 0
    assert "a bug in a key handler" in output[restored:]


def test_tui_without_a_terminal_exits_at_once_with_one_line(tui_project):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "qualcode", "tui", str(tui_project)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a terminal" in lines[0], done.stderr
    assert time.monotonic() - started < 20
