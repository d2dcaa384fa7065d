"""A key the transcript view binds runs its action in the view: it does not bubble
through the containers to the screen and the app first (which cost more than the move
itself); every other key still reaches the screen's bindings."""

from __future__ import annotations

import asyncio

from textual import events

from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.widgets.transcript_view import TranscriptView


def test_view_keys_stop_in_the_view_and_screen_keys_reach_the_screen(tui_project, monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(CodingScreen, "on_key", lambda self, event: seen.append(event.key), raising=False)

    async def run() -> None:
        app = make_app(tui_project)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.open_transcript("P01_W1")
            screen = app.screen
            assert isinstance(screen, CodingScreen)
            while not screen.loaded:
                await asyncio.sleep(0.01)
            await pilot.pause()
            view = screen.query_one(TranscriptView)
            turn_starts = [t.start for t in view.turns]
            assert view.cursor == turn_starts[0]
            await pilot.press("right_square_bracket", "right_square_bracket")  # "]": next turn, twice
            assert view.cursor == turn_starts[2]
            await pilot.press("left_square_bracket")
            assert view.cursor == turn_starts[1]
            sentence = next(s for s in view.sentences if s[0] > view.cursor)
            await pilot.press("down")
            assert view.cursor == sentence[0]
            await pilot.press("s")
            assert view.selection == (sentence[0], sentence[1])
            assert seen == []  # none of them bubbled to the screen
            shown = screen.codebook_shown
            await pilot.press("o")  # the screen's own key: fold the codebook pane
            assert seen == ["o"] and screen.codebook_shown is not shown
            # The picker's key hook still sees keys first while it is open.
            await pilot.press("c")
            assert screen.picking
            screen.query_one(TranscriptView).post_message(events.Key("escape", None))
            await pilot.pause()
            assert not screen.picking and view.selection == (sentence[0], sentence[1])

    asyncio.run(run())
