"""The TUI shows what other programs save, within 2 seconds and without a key press,
and keeps the user's place; its own codings update the counts at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable, OptionList, TextArea

from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.shown import counted

from .test_flows import SIZE, open_first_transcript, run_async, settle

REPO = Path(__file__).resolve().parents[2]
LIMIT = 2.0  # seconds from the other program's exit to the change on screen


def elsewhere(path: Path, *args: str) -> None:
    """Another program changes the project: a separate qualcode process."""
    env = dict(os.environ, PYTHONPATH=str(REPO), QUALCODE_CODER="other")
    done = subprocess.run([sys.executable, "-m", "qualcode", "-p", str(path), *args],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr


async def shown_within(pilot, condition, limit: float = LIMIT) -> float:
    """Seconds until ``condition()`` holds, no key pressed meanwhile; fails after ``limit``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit:
            raise AssertionError(f"not shown within {limit} s")
        await pilot.pause(0.05)
    return time.monotonic() - start


def label_text(widget) -> str:
    return str(widget.render())


def row_text(view, offset: int) -> str:
    """The screen line showing character ``offset``, margin included."""
    y = view.row_of(offset) - int(view.scroll_y)
    return "".join(segment.text for segment in view.render_line(y))


@run_async
async def test_a_cli_coding_appears_on_the_coding_screen_without_a_key(tui_project, open_project,
                                                                       monkeypatch):
    full_reads = []  # on the main thread: what an outside change must never cost
    monkeypatch.setattr(CodingScreen, "reload", lambda self: full_reads.append(1))
    with open_project() as p:
        turn6 = next(t for t in p.transcripts.get("P01_W1").turns if t.seq == 6)
        before = len(p.coding.codings(transcript="P01_W1"))
        listened = p.codebook.code("Being listened to").codings
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        await pilot.press("]", "s")  # the user's place: a sentence of turn 2
        place = view.selection
        title = app.screen.query_one("#doc-title")
        assert "· " + counted(before, "coding") in label_text(title)
        assert "Being listened to" not in row_text(view, turn6.start)
        elsewhere(tui_project, "tag", "P01_W1", "--turn", "6", "--code", "Being listened to")
        await shown_within(pilot, lambda: any(s.code == "Being listened to" for s in view.spans))
        await settle(pilot)
        assert "Being listened to" in row_text(view, turn6.start)  # the margin
        assert "· " + counted(before + 1, "coding") in label_text(title)  # the header
        node = app.screen.nodes["Being listened to"]
        assert str(node.label).endswith(f"1/{listened + 1}")  # the codebook pane: here / all
        assert view.selection == place and isinstance(app.screen, CodingScreen)
        assert full_reads == []


@run_async
async def test_removals_merges_and_renames_elsewhere_are_redrawn(tui_project, open_project):
    with open_project() as p:
        money = next(c for c in p.coding.codings(transcript="P01_W1") if c.code == "Money worries")
        trust = next(c for c in p.coding.codings(transcript="P01_W1") if c.code == "Trust")
        count = len(p.coding.codings(transcript="P01_W1"))
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        screen = app.screen
        title = screen.query_one("#doc-title")
        codes = lambda: {s.id: s.code for s in view.spans}
        elsewhere(tui_project, "--coder", "tester", "untag", "P01_W1", "--range",
                  f"{money.start}:{money.end}", "--code", "Money worries")
        await shown_within(pilot, lambda: money.id not in codes())
        assert "· " + counted(count - 1, "coding") in label_text(title)
        assert "Money worries" not in row_text(view, money.start)
        assert screen.counts_here.get("Money worries", 0) == 0
        elsewhere(tui_project, "code", "merge", "Trust", "Being listened to")
        await shown_within(pilot, lambda: codes().get(trust.id) == "Being listened to")
        assert "Trust" not in screen.nodes
        elsewhere(tui_project, "code", "rename", "Being listened to", "Heard")
        await shown_within(pilot, lambda: codes().get(trust.id) == "Heard")
        await settle(pilot)
        assert "Heard" in row_text(view, trust.start)
        assert screen.counts_here == {"Heard": 1}
        assert "· " + counted(count - 1, "coding") in label_text(title)


@run_async
async def test_a_transcript_corrected_elsewhere_is_read_again(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        assert "food bank" in view.text
        elsewhere(tui_project, "namekey", "add", "food bank", "pantry", "--kind", "place")
        elsewhere(tui_project, "deidentify")  # rewrites the text, moves the codings
        await shown_within(pilot, lambda: "pantry" in view.text and app.screen.loaded, limit=2 * LIMIT)
        await settle(pilot)
        assert "food bank" not in view.text
        with open_project() as p:
            saved = p.coding.codings(transcript="P01_W1")
        assert sorted((s.start, s.end) for s in view.spans) == sorted((c.start, c.end) for c in saved)
        turns = len(view.turns)
        elsewhere(tui_project, "transcript", "split-turn", "P01_W1", "5", "--before", "The gas")
        await shown_within(pilot, lambda: len(view.turns) == turns + 1)
        elsewhere(tui_project, "transcript", "delete", "P01_W1", "--force")
        await shown_within(pilot, lambda: isinstance(app.screen, HomeScreen))  # nothing left to show


@run_async
async def test_own_coding_updates_the_header_count_at_once(tui_project, open_project):
    with open_project() as p:
        before = len(p.coding.codings(transcript="P01_W1"))
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        title = app.screen.query_one("#doc-title")
        await pilot.press("s", "c", "1")
        assert "· " + counted(before + 1, "coding") in label_text(title)
        await pilot.press("x")
        assert "· " + counted(before, "coding") in label_text(title)


@run_async
async def test_home_grid_counts_follow_other_programs_and_keep_the_cursor(tui_project, open_project):
    with open_project() as p:
        w2 = next(t for t in p.transcripts.all() if t.name == "P01_W2").codings
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#grid", DataTable)
        await pilot.press("down")  # the user's place: P02's row
        place = table.cursor_coordinate
        cell = lambda: str(table.get_cell_at((0, 5)))  # P01 at W2
        assert f"{w2:>3} coded" in cell()
        elsewhere(tui_project, "tag", "P01_W2", "--turn", "2", "--code", "Being listened to")
        await shown_within(pilot, lambda: f"{w2 + 1:>3} coded" in cell())
        assert table.cursor_coordinate == place


@run_async
async def test_codebook_comparison_and_memos_follow_other_programs(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CodebookScreen)
        screen.select("Money worries")
        await pilot.pause()
        elsewhere(tui_project, "code", "add", "Housing")
        await shown_within(pilot, lambda: "Housing" in screen.nodes)
        await settle(pilot)
        assert screen.current == "Money worries"

        app.open_comparison("Trust")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComparisonScreen)
        segments = lambda: sum(lst.option_count for lst in screen.query("#columns OptionList"))
        before = segments()
        await pilot.press("right")  # the user's place: the second column
        column = list(screen.query("#columns OptionList")).index(screen.focused)
        elsewhere(tui_project, "tag", "P02_W1", "--turn", "4", "--code", "Trust")
        await shown_within(pilot, lambda: segments() == before + 1)
        await settle(pilot)
        assert list(screen.query("#columns OptionList")).index(screen.focused) == column

        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemosScreen)
        listing = screen.query_one("#memo-list", OptionList)
        body = screen.query_one("#memo-body", TextArea)
        body.text = body.text + "\nAn unsaved thought."  # typed, not saved
        count = listing.option_count
        elsewhere(tui_project, "memo", "add", "--type", "project", "--title", "From the CLI")
        await shown_within(pilot, lambda: listing.option_count == count + 1)
        assert body.text.endswith("An unsaved thought.")  # the edit survives the refresh


@run_async
async def test_an_idle_app_reads_nothing(tui_project, monkeypatch):
    reloads = []
    monkeypatch.setattr(HomeScreen, "reload", lambda self: reloads.append(1))
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reloads.clear()
        await pilot.pause(2.5)  # two or three polls of the data version
        assert reloads == []
        assert app.watcher.timer is not None
