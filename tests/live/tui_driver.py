"""The real terminal UI, driven by key presses through Textual's Pilot, in its own process.

Usage: tui_driver.py PROJECT TRANSCRIPT CODER [SKIP]

It opens the transcript as Enter on the home grid does, prints ``ready``, then obeys
lines on standard input:

- ``code N``: N times, move to the next sentence and apply the first code of the picker
  (``down``, ``c``, ``1``; the first ``s`` selects the first sentence, and SKIP ``down``
  more pass over sentences coded by an earlier session). After each coding
  the status line says it is saved, the driver prints ``ack START END CODE`` (what the
  screen said it coded); when the screen refused or failed, ``nack REASON``.
- ``undo``: ``u``, as a user undoes; undo reaches only this coder's own actions, so it
  takes back this driver's latest coding not yet undone: prints ``undone START END CODE``
  when the status line says it undid it, else ``nack REASON``.
- ``show``: prints ``shown ID ID ...``, the ids of the codings drawn on the screen now.
- ``wait``: prints ``idle`` once the app has no work pending.
- ``quit``: ctrl+q, as a user leaves; prints ``bye`` once the app has closed.

Everything a test needs to know, it learns from these lines: what the TUI reported as
done is exactly what the user was told was saved.
"""

from __future__ import annotations

import asyncio
import re
import sys

CODED = re.compile(r"^coded (\d+):(\d+) with (.+)$")


async def main(path: str, transcript: str, coder: str, skip: str = "0") -> None:
    from qualcode.tui.app import make_app
    from qualcode.tui.screens.coding import CodingScreen
    from qualcode.tui.widgets.status_line import StatusLine

    app = make_app(path, coder=coder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_transcript(transcript)
        for _ in range(400):  # the codings arrive from a worker
            await pilot.pause(0.05)
            if isinstance(app.screen, CodingScreen) and app.screen.loaded:
                break
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.loaded, "the transcript did not open"
        selected = False
        coded: list[tuple[str, str, str]] = []  # acknowledged and not undone, oldest first
        print("ready", flush=True)
        while True:
            line = (await asyncio.to_thread(sys.stdin.readline)).split()
            if not line or line[0] == "quit":
                break
            if line[0] == "undo":
                before = app.saves
                await pilot.press("u")
                await pilot.pause()
                if app.saves == before + 1 and app.last_action.startswith("undid:") and coded:
                    start, end, code = coded.pop()
                    print(f"undone {start} {end} {code}", flush=True)
                else:
                    print(f"nack {app.last_error or app.last_action or 'not undone'}", flush=True)
                continue
            if line[0] == "show":
                drawn = screen.query_one("#transcript").spans
                print("shown " + " ".join(str(span.id) for span in drawn), flush=True)
                continue
            if line[0] == "wait":
                await app.workers.wait_for_complete()
                await pilot.pause()
                print("idle", flush=True)
                continue
            for _ in range(int(line[1]) if len(line) > 1 else 1):
                before = app.saves
                if not selected:
                    await pilot.press("s", *["down"] * int(skip))
                    selected = True
                else:
                    await pilot.press("down")
                await pilot.press("c", "1")
                status = str(screen.query_one(StatusLine).render())
                match = CODED.match(app.last_action)
                if app.saves == before + 1 and match and "all changes saved" in status:
                    print(f"ack {match[1]} {match[2]} {match[3]}", flush=True)
                    coded.append((match[1], match[2], match[3]))
                else:
                    print(f"nack {app.last_error or 'not coded'}", flush=True)
        await pilot.press("ctrl+q")
        await pilot.pause()
    print("bye", flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
