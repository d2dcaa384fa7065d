"""The play key of the coding screen starts the player at the turn's time: checked through
a stand-in player first on PATH, driven through the real terminal UI."""

from __future__ import annotations

import time

from qualcode import Project
from qualcode.tui.app import make_app
from qualcode.tui.widgets.coding_bar import CodingBar

from ..media.recordings import make_wav, stand_in_player, wait_for_calls
from .test_flows import SIZE, open_first_transcript, run_async, settle


def _position_line(app) -> str:
    return str(app.screen.query_one(CodingBar).position)


@run_async
async def test_the_play_key_starts_the_player_at_the_turns_time(tui_project, tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    stand_in_player(folder, "mpv", linger=True)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    monkeypatch.delenv("QUALCODE_PLAYER", raising=False)
    wav = make_wav(tui_project.parent / "P01_W1.wav", seconds=120)
    with Project.open(tui_project) as p:
        p.media.link("P01_W1", wav)
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        await pilot.press("p")  # the cursor is in turn 1: [00:00:05], the next turn at 12 s
        await settle(pilot)
        screen = app.screen
        assert screen.playback is not None and screen.playback.running
        (first,) = wait_for_calls(folder, 1)
        assert first[0] == "--start=5" and "--end=12" in first and first[-1] == str(wav.resolve())
        assert "▶ ~00:00:0" in _position_line(app)  # the stand-in has no IPC: the position is estimated

        await pilot.press("]", "]")  # turn 3, from 30 s to 41 s
        await pilot.press("p")
        await settle(pilot)
        second = wait_for_calls(folder, 2)[1]
        assert second[0] == "--start=30" and "--end=41" in second

        await pilot.press("P")
        await pilot.pause()
        assert screen.playback.paused and "⏸" in _position_line(app)
        await pilot.press("K")
        await pilot.pause()
        assert screen.playback is None and "▶" not in _position_line(app)
        assert app.last_action.startswith("stopped playing at ~00:00:")


@run_async
async def test_without_a_player_the_play_key_says_what_to_install(tui_project, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("QUALCODE_PLAYER", raising=False)
    with Project.open(tui_project) as p:
        p.media.link("P01_W1", make_wav(tui_project.parent / "P01_W1.wav", seconds=5))
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        await pilot.press("p")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("no media player found on PATH; install mpv" in m for m in messages), messages
        assert app.screen.playback is None


@run_async
async def test_leaving_the_screen_stops_the_player(tui_project, tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    stand_in_player(folder, "mpv", linger=True)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    with Project.open(tui_project) as p:
        p.media.link("P01_W1", make_wav(tui_project.parent / "P01_W1.wav", seconds=5))
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        await pilot.press("p")
        await settle(pilot)
        playback = app.screen.playback
        assert playback.running
        await pilot.press("f2")  # home: the coding screen goes
        await settle(pilot)
        deadline = time.monotonic() + 5
        while playback.running and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert not playback.running


@run_async
async def test_a_missing_recording_is_said_when_the_transcript_opens(tui_project, tmp_path, monkeypatch):
    wav = make_wav(tui_project.parent / "P01_W1.wav", seconds=5)
    with Project.open(tui_project) as p:
        p.media.link("P01_W1", wav)
    wav.unlink()
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_first_transcript(pilot)
        messages = [n.message for n in app._notifications]
        assert any("The recording of P01_W1 is missing: P01_W1.wav" in m for m in messages), messages
        await pilot.press("p")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("the recording of P01_W1 is missing" in m for m in messages), messages
