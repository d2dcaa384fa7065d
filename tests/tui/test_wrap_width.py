"""The coding screen wraps its transcript before the screen is laid out, to the width
the layout then gives the text column: the first paint does not wait for the layout."""

from __future__ import annotations

import asyncio

import pytest

from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen, expected_wrap_width
from qualcode.tui.widgets.transcript_view import TranscriptView


@pytest.mark.parametrize("size", [(80, 24), (109, 30), (110, 30), (120, 40), (159, 40), (160, 48), (200, 60)])
def test_the_width_known_at_the_start_is_the_width_laid_out(tui_project, size):
    async def run() -> None:
        app = make_app(tui_project)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            app.open_transcript("P01_W1")
            screen = app.screen
            assert isinstance(screen, CodingScreen)
            # Known as the screen is pushed, before any layout.
            assert screen.wrap_width == expected_wrap_width(size[0], app.HORIZONTAL_BREAKPOINTS)
            while not screen.loaded:
                await asyncio.sleep(0.01)
            await pilot.pause()
            view = screen.query_one(TranscriptView)
            assert view.text_width == screen.wrap_width
            assert max(end - start for start, end, _turn, _first in view._rows) <= view.text_width + 1

    asyncio.run(run())
