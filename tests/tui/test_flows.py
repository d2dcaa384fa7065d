"""Whole flows driven with Pilot; each asserts on the project afterwards."""

from __future__ import annotations

import asyncio
import functools
import subprocess
import sys

from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.widgets.code_picker import rank
from qualcode.tui.widgets.transcript_view import TranscriptView

SIZE = (160, 48)


def run_async(test):
    """Run an async test on a fresh event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_first_transcript(pilot) -> TranscriptView:
    """From home: the cursor starts on P01's W1 cell; Enter opens it."""
    app = pilot.app
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CodingScreen)
    assert app.screen.transcript_name == "P01_W1"
    return app.screen.query_one(TranscriptView)


def sentence(project, transcript: str, turn: int, nth: int) -> tuple[int, int]:
    rows = [s for s in project.transcripts.get(transcript).sentences if s.turn == turn]
    return rows[nth - 1].start, rows[nth - 1].end


@run_async
async def test_select_third_sentence_of_turn_5_and_apply_code_in_3_keys(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        await pilot.press("]", "]", "]", "]", "s", "down", "down")
        with open_project() as p:
            expected = sentence(p, "P01_W1", 5, 3)
        assert view.selection == expected
        # c, one letter, Enter: three keys after the selection.
        await pilot.press("c", "b", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
    with open_project() as p:
        coded = [(c.code, c.start, c.end) for c in p.coding.codings(transcript="P01_W1")]
    assert ("Being listened to", *expected) in coded


@run_async
async def test_digit_applies_the_numbered_code(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        await pilot.press("t")
        turn = view.selection
        second = app.screen._codable_names()[1]
        await pilot.press("c", "2")  # two keys: the second codable code
        await pilot.pause()
    with open_project() as p:
        codes = {(c.code, c.start, c.end) for c in p.coding.codings(transcript="P01_W1")}
    assert (second, *turn) in codes


@run_async
async def test_in_vivo_code_from_selection(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        await pilot.press("]", "]", "]", "]", "]", "]", "s", "down")  # turn 7, sentence 2
        assert view.selected_text == "Nobody listens like that."
        await pilot.press("c", "ctrl+v")
        await pilot.pause()
    with open_project() as p:
        code = p.codebook.code("Nobody listens like that")
        assert code.in_vivo is True
        assert [c.text for c in p.coding.codings(code="Nobody listens like that")] == ["Nobody listens like that."]


@run_async
async def test_new_code_from_typed_text(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        await pilot.press("s", "c", *"Hop2", "ctrl+n")  # digits after text are text
        await pilot.pause()
    with open_project() as p:
        assert p.codebook.code("Hop2").codings == 1


@run_async
async def test_remove_coding_then_undo_and_redo(tui_project, open_project):
    with open_project() as p:
        money = next(c for c in p.coding.codings(transcript="P01_W1") if c.code == "Money worries")
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        view.go_to(money.start + 2)
        await pilot.press("x")
        await pilot.pause()
        with open_project() as p:
            assert money.id not in {c.id for c in p.coding.codings(transcript="P01_W1")}
        await pilot.press("u")
        await pilot.pause()
        with open_project() as p:
            assert money.id in {c.id for c in p.coding.codings(transcript="P01_W1")}
        assert any(s.id == money.id for s in view.spans)  # the view follows undo
        await pilot.press("ctrl+r")
        await pilot.pause()
        with open_project() as p:
            assert money.id not in {c.id for c in p.coding.codings(transcript="P01_W1")}
        assert not any(s.id == money.id for s in view.spans)


@run_async
async def test_memo_on_selection(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        await pilot.press("]", "]", "]", "s", "m")
        await pilot.pause()
        await pilot.press(*"Yes.", "ctrl+s")
        await pilot.pause()
    with open_project() as p:
        memos = p.memos.all(type_="segment")
    assert len(memos) == 1
    assert memos[0].body.endswith("Yes.")  # typed after the quote
    assert "She was not posh." in memos[0].body
    kinds = {(l.kind, l.target) for l in memos[0].links}
    assert ("transcript", "P01_W1") in kinds
    assert any(kind == "coding" for kind, _ in kinds)  # the Trust coding on that sentence


@run_async
async def test_search_and_next_uncoded_turn(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        await pilot.press("slash", *"gas", "enter")
        await pilot.pause()
        assert view.selected_text == "gas"
        await pilot.press("home", "n")
        turn = view.turns[view.turn_index_at(view.cursor)]
        assert turn.seq == 2  # turn 1 has no coding either, but n moves forward


@run_async
async def test_merge_two_codes_in_codebook(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_codebook("Money worries")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert app.screen.current == "Money worries"
        await pilot.press("M", *"tru", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    with open_project() as p:
        names = p.codebook.code_names()
        assert "Money worries" not in names
        assert p.codebook.code("Trust").codings == 5


@run_async
async def test_codebook_add_rename_delete(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("a", *"Hop", "enter")
        await pilot.pause()
        assert app.screen.current == "Hop"
        await pilot.press("r", "end", "e", "enter")
        await pilot.pause()
        with open_project() as p:
            assert "Hope" in p.codebook.code_names()
        await pilot.press("d", "y")
        await pilot.pause()
        with open_project() as p:
            assert "Hope" not in p.codebook.code_names()
        await pilot.press("u")  # undo the delete
        await pilot.pause()
    with open_project() as p:
        assert "Hope" in p.codebook.code_names()


@run_async
async def test_comparison_jump_to_segment(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_comparison("Trust")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ComparisonScreen)
        assert list(screen.groups) == ["W1", "W2"]
        first = screen.groups["W1"][0]
        await pilot.press("space", "right", "space", "m")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        with open_project() as p:
            memo = p.memos.all(type_="comparison")[0]
        links = {(l.kind, l.target) for l in memo.links}
        assert ("code", "Trust") in links
        assert len([k for k, _ in links if k == "coding"]) == 2
        await pilot.press("left", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        view = app.screen.query_one(TranscriptView)
        assert app.screen.transcript_name == first.transcript
        assert view.selection == (first.start, first.end)


@run_async
async def test_participant_pen_portrait_and_memos_screen(tui_project, open_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")  # participant of the current row
        await pilot.pause()
        assert app.screen.pid == "P01"
        await pilot.press("p")  # P01 has a participant memo already: edit it
        await pilot.pause()
        await pilot.press("end", *" ok", "ctrl+s")
        await pilot.pause()
        with open_project() as p:
            assert p.memos.all(type_="participant")[0].body.endswith(" ok")
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("enter", *"Hi ", "ctrl+s")
        await pilot.pause()
    with open_project() as p:
        assert p.memos.all(type_="participant")[0].body.startswith("Hi ")


@run_async
async def test_help_and_palette_open(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        from textual.widgets import DataTable

        keys = {str(row[1]) for row in
                (app.screen.query_one(DataTable).get_row_at(i)
                 for i in range(app.screen.query_one(DataTable).row_count))}
        assert {"c", "x", "m", "s", "t", "v", "u", "ctrl+r"} <= keys
        await pilot.press("escape", "ctrl+p", *"1_W2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.transcript_name == "P01_W2"


def test_rank_puts_prefix_matches_first():
    names = ["Trust", "Money worries", "Being listened to", "Time to talk"]
    assert rank("b", names)[0] == "Being listened to"
    assert rank("mo", names)[0] == "Money worries"
    assert rank("", names) == names


def test_cli_does_not_import_textual():
    code = "import sys, qualcode.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_plain_qualcode_opens_the_tui(tui_project, monkeypatch, run_cli):
    from qualcode.cli import tui as tui_cli

    seen = {}
    monkeypatch.setattr(tui_cli, "run_tui",
                        lambda path, coder, ctx=None: seen.update(path=path, coder=coder))
    result = run_cli("-p", str(tui_project), "--coder", "zoe")
    assert result.exit_code == 0
    assert seen == {"path": str(tui_project), "coder": "zoe"}
    result = run_cli("tui", str(tui_project))
    assert seen["path"] == str(tui_project)


@run_async
async def test_mouse_drag_selects_text(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        row = view.row_of(view.turns[1].start) - int(view.scroll_y)  # Anna's first row
        await pilot.mouse_down(view, offset=(view.prefix, row))
        await pilot.hover(view, offset=(view.prefix + 11, row))
        await pilot.mouse_up(view, offset=(view.prefix + 11, row))
        await pilot.pause()
        assert view.selected_text == "It was the "


@run_async
async def test_selection_moves_by_unit_and_extends(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = await open_first_transcript(pilot)
        await pilot.press("]", "s", "shift+down")  # turn 2: sentence 1, extended by one
        assert view.selected_text == "It was the food bank. A woman had leaflets."
        # Escape leaves the cursor where it was when the selection began (the turn's start).
        await pilot.press("escape", "e")
        assert view.selected_text == "It"
        await pilot.press("down")  # a word selected moves word by word
        assert view.selected_text == "was"
        await pilot.press("t", "down")  # a turn selected moves turn by turn
        assert view.selected_text == "What made you go back? Was it her?"
        # Where it began is no longer selected: Escape puts the cursor at the start.
        await pilot.press("escape", "v", "right", "right", "right", "right")
        assert view.selected_text == "What"
        await pilot.press("ctrl+shift+right")
        assert view.selected_text == "What made"


def test_plain_qualcode_without_a_project_shows_help(tmp_path, monkeypatch, run_cli):
    monkeypatch.chdir(tmp_path)
    result = run_cli()
    assert result.exit_code == 0
    assert "Usage:" in result.output and "no terminal UI" in result.output
