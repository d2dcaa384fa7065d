"""The comparison view shows each passage once with its coders and filters by coder; the
change pane filters by role."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from qualcode import Project
from qualcode.coding.tagging import Target
from qualcode.tui.app import make_app
from qualcode.tui.dialogs import MemoEditor
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.matrix import MatrixScreen

from .test_analysis_screens import cells
from .test_flows import SIZE, run_async, settle


def _second_coder(path) -> None:
    """ben codes P01's W1 "Money worries" sentence too (anna's passage, as tester coded
    it), and a sentence of his own at W2."""
    with Project.open(path) as p:
        p.coder = "ben"
        p.coding.tag("P01_W1", "Money worries", Target(sentence="5.1"))
        p.coding.tag("P01_W2", "Money worries", Target(sentence="5.3"))


def _cards(screen: ComparisonScreen) -> list[tuple[str, list[str]]]:
    return [(s.transcript, list(s.coders or ())) for group in screen.groups.values() for s in group]


@run_async
async def test_comparison_shows_a_passage_once_with_its_coders_and_filters_by_coder(tui_project):
    _second_coder(tui_project)
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_comparison("Money worries")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComparisonScreen)
        # Four codings, three passages: W1 5.1 by tester and ben is one.
        assert _cards(screen) == [("P01_W1", ["ben", "tester"]), ("P01_W2", ["tester"]),
                                  ("P01_W2", ["ben"])]
        first = screen.query("#columns OptionList").first(OptionList)
        assert "ben, tester" in str(first.get_option_at_index(0).prompt)
        assert "3 passages" in str(screen.query_one("#compare-title").render())

        await pilot.press("c")  # ben's passages only
        await settle(pilot)
        assert screen.coder == "ben"
        assert _cards(screen) == [("P01_W1", ["ben"]), ("P01_W2", ["ben"])]
        assert "coded by ben" in str(screen.query_one("#compare-title").render())
        await pilot.press("c")  # tester's
        await settle(pilot)
        assert _cards(screen) == [("P01_W1", ["tester"]), ("P01_W2", ["tester"])]
        await pilot.press("c")  # every coder again
        await settle(pilot)
        assert screen.coder is None and len(_cards(screen)) == 3

        # A memo on the shared passage links both coders' codings.
        screen.query("#columns OptionList").first(OptionList).focus()
        await pilot.press("space", "m")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MemoEditor)
        shared = screen.groups["W1"][0]
        assert len(shared.ids) == 2
        assert {link.target for link in editor.draft.links if link.kind == "coding"} == {
            str(i) for i in shared.ids}


@run_async
async def test_change_pane_filters_by_role(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        change = screen.query_one("#change", DataTable)
        everyone = {r[0]: r for r in cells(change)}
        assert everyone["Trust"][3].startswith("2/2")  # W1: P01 and P02 both have it

        await pilot.press("r")  # clients only: P01
        await settle(pilot)
        assert screen.change_role == "client"
        clients = {r[0]: r for r in cells(change)}
        assert clients["Trust"][2] == "1"                  # one person holds it
        assert clients["Trust"][3].startswith("1/1")       # W1
        assert clients["Money worries"][4].startswith("1/1")  # W2
        assert "(role client)" in str(screen.query_one("#change-title").render())

        await pilot.press("r")  # managers: P02, interviewed at W1, missed W2
        await settle(pilot)
        managers = {r[0]: r for r in cells(change)}
        assert set(managers) == {"Trust"}                  # no manager has Money worries
        assert managers["Trust"][3].startswith("1/1")
        assert managers["Trust"][4] == "no one observed"

        await pilot.press("r")  # everyone again
        await settle(pilot)
        assert screen.change_role is None
        assert {r[0]: r for r in cells(change)}["Trust"][3].startswith("2/2")
