"""Snapshot tests: one per screen, fixed terminal size, no cursor blink.

Regenerate with ``pytest tests/tui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from qualcode.tui.app import make_app

SIZE = (160, 48)
# An ssh session's default, a laptop's terminal, a large monitor's.
SIZES = [(80, 24), (120, 40), (200, 60)]
by_size = pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])


async def _still(pilot) -> None:
    """Wait for workers and stop every blinking cursor."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(TextArea):
        widget.cursor_blink = False
    await pilot.pause()


def snap(snap_compare, path, *keys, setup=None, size=SIZE) -> bool:
    async def run_before(pilot) -> None:
        await pilot.pause()
        if setup:
            setup(pilot.app)
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await _still(pilot)
        await _still(pilot)

    return snap_compare(make_app(path), terminal_size=size, run_before=run_before)


def test_home(snap_compare, tui_project):
    assert snap(snap_compare, tui_project)


def test_coding_screen_with_selection(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, "enter", "]", "]", "]", "s", "down")


def test_code_picker(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, "enter", "t", "c", "m")


def test_codebook(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, setup=lambda app: app.open_codebook("Trust"))


def test_comparison(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, setup=lambda app: app.open_comparison("Trust"))


def test_participant(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, "p")


def test_memos(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, "f5")


def test_help(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, "enter", "question_mark")


def test_matrix(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, "f6")


def test_matrix_change_for_a_code(snap_compare, tui_project):
    def cursor_on_trust(app) -> None:
        from textual.widgets import DataTable

        table = app.screen.query_one("#matrix", DataTable)
        trust = [str(c.label) for c in table.ordered_columns].index("Trust")
        table.move_cursor(row=1, column=trust)

    async def run_before(pilot) -> None:
        await pilot.press("f6")
        await _still(pilot)
        cursor_on_trust(pilot.app)
        await pilot.press("c")
        await _still(pilot)

    assert snap_compare(make_app(tui_project), terminal_size=SIZE, run_before=run_before)


def test_network(snap_compare, tui_project):
    assert snap(snap_compare, tui_project, "f7", "s", "s")


# --- every terminal size: the layout folds and narrows, nothing is cut mid-pane ---------


@by_size
def test_home_sized(snap_compare, tui_project, size):
    assert snap(snap_compare, tui_project, size=size)


@by_size
def test_coding_sized(snap_compare, tui_project, size):
    assert snap(snap_compare, tui_project, "enter", "]", "]", "]", "s", "down", size=size)


@by_size
def test_comparison_sized(snap_compare, tui_project, size):
    assert snap(snap_compare, tui_project, setup=lambda app: app.open_comparison("Trust"), size=size)


@by_size
def test_matrix_sized(snap_compare, tui_project, size):
    assert snap(snap_compare, tui_project, "f6", size=size)


@by_size
def test_network_picture_sized(snap_compare, tui_project, size):
    assert snap(snap_compare, tui_project, "f7", "s", "s", size=size)
