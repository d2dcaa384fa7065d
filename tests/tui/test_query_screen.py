"""The query and search screen: F8 from home or a transcript, a code query, text in
every transcript and memo text typed in one bar; Enter on a result opens it in place."""

from __future__ import annotations

from textual.widgets import Input, Label, OptionList

from qualcode import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.screens.query import QueryScreen
from qualcode.tui.widgets.transcript_view import TranscriptView

from .test_flows import SIZE, open_first_transcript, run_async, settle


async def _back_to_query(pilot) -> None:
    """F8 again: back to the query screen already open, its results kept."""
    await pilot.press("f8")
    await settle(pilot)


async def _search(pilot, text: str) -> tuple[OptionList, str]:
    screen = pilot.app.screen
    bar = screen.query_one("#query-text", Input)
    bar.value = text
    bar.focus()
    await pilot.press("enter")
    await settle(pilot)
    results = screen.query_one("#query-results", OptionList)
    return results, str(screen.query_one("#query-summary", Label).render())


@run_async
async def test_code_query_lists_passages_and_enter_opens_the_passage(tui_project):
    with Project.open(tui_project) as project:
        # Money worries is coded once at W1 and once at W2 (P01): two passages.
        expected = [(p.transcript, p.start, p.end) for p in project.query.run('"Money worries"').passages]
    assert [t for t, _, _ in expected] == ["P01_W1", "P01_W2"]
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, QueryScreen)
        results, summary = await _search(pilot, '"Money worries"')
        assert results.option_count == 2 and summary.startswith("2 passage(s), 1 participant(s)")
        assert "P01" in str(results.get_option_at_index(1).prompt)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.transcript_name == "P01_W2"
        assert app.screen.query_one(TranscriptView).selection == expected[1][1:]
        # F8 comes back to the results, as they were.
        await _back_to_query(pilot)
        assert isinstance(app.screen, QueryScreen)
        assert app.screen.query_one("#query-results", OptionList).option_count == 2
        # A filter: Trust at W1 is P01's and P02's passage; at W2 only P01's.
        results, summary = await _search(pilot, "Trust wave:W1")
        assert results.option_count == 2 and summary.startswith("2 passage(s), 2 participant(s)")


@run_async
async def test_a_bad_query_shows_where_and_lists_nothing(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        results, summary = await _search(pilot, "Trust AND")
        assert results.option_count == 0
        lines = summary.splitlines()
        assert "expected a code name" in lines[0]
        assert lines[1:] == ["Trust AND", " " * 9 + "^"]
        results, summary = await _search(pilot, "Trusst")
        assert "did you mean 'Trust'" in summary


@run_async
async def test_text_in_every_transcript_and_in_memos(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # From a transcript too: F8 is on the coding screen's footer.
        await open_first_transcript(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, QueryScreen)
        await pilot.press("ctrl+t")           # codes -> transcript text
        await settle(pilot)
        # "food bank" is in P01_W1 and P02_W1 (P01_W2 says "GP surgery" instead).
        results, summary = await _search(pilot, '"food bank"')
        assert summary.startswith("2 turn(s)")
        shown = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert sorted(line.split()[0] for line in shown) == ["P01", "P02"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CodingScreen)
        view = app.screen.query_one(TranscriptView)
        assert view.selection is not None
        assert view.text[slice(*view.selection)] == "food bank"
        await _back_to_query(pilot)
        await pilot.press("ctrl+t")           # -> memo text
        await settle(pilot)
        results, summary = await _search(pilot, "FOOD bank")
        assert summary.startswith("1 memo(s)") and "Anna (P01)" in str(results.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MemosScreen) and app.screen.current.title == "Anna (P01)"


@run_async
async def test_a_query_saved_as_a_set_is_listed_again_and_used_by_the_matrix(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+s")  # nothing to save yet: a warning, no dialog
        await settle(pilot)
        assert app.screen is screen
        results, _ = await _search(pilot, '"Money worries"')
        assert results.option_count == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*"money", "enter")
        await settle(pilot)
        assert app.screen is screen
        # The saved set, listed in the "saved set" mode by its name.
        screen.query_one("#query-mode").value = "sets"
        await settle(pilot)
        assert "saved sets: money" in str(screen.query_one("#query-summary", Label).render())
        results, summary = await _search(pilot, "money")
        assert results.option_count == 2 and summary.startswith('set money: "Money worries"')
        results, summary = await _search(pilot, "monye")
        assert results.option_count == 0 and "no set named 'monye'" in summary
    # Saved in the project, for matrix, cooccur and exports (--set money).
    with Project.open(tui_project) as project:
        assert [s.name for s in project.query.list_sets()] == ["money"]
        assert project.query.get_set("money").passages == 2
