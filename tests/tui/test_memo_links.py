"""The memo screen's link filter: what is typed is parsed into a memo link, and text
that is not KIND:TARGET says so where the count is shown."""

from __future__ import annotations

from textual.widgets import Input, Label, OptionList

from qualcode.tui.app import make_app
from qualcode.tui.screens.memos import MemosScreen

from .test_flows import SIZE, run_async, settle


@run_async
async def test_memo_link_filter(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemosScreen)
        listing = screen.query_one("#memo-list", OptionList)
        count = screen.query_one("#memo-count", Label)
        assert listing.option_count == 1  # the one memo of the test project, on P01
        link = screen.query_one("#f-link", Input)

        async def filter_by(text: str) -> None:
            link.value = text
            link.focus()
            await pilot.press("enter")
            await settle(pilot)

        await filter_by("participant:P02")
        assert listing.option_count == 0 and str(count.render()) == "Memos (0)"
        await filter_by(" participant : P01 ")
        assert listing.option_count == 1 and str(count.render()) == "Memos (1)"
        await filter_by("P01")
        assert "not KIND:TARGET" in str(count.render())
