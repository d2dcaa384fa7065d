"""Playing a turn: the player found, its command line, the time used, and the messages."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli import cli
from qualcode.errors import QualcodeError
from qualcode.ingest.player import Player, command_line, find_player

from .recordings import calls, make_wav, stand_in_player, wait_for_calls


def test_players_are_looked_for_in_order_mpv_ffplay_vlc(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    monkeypatch.delenv("QUALCODE_PLAYER", raising=False)
    monkeypatch.setenv("PATH", str(folder))
    stand_in_player(folder, "vlc")
    assert find_player().kind == "vlc"
    stand_in_player(folder, "ffplay")
    assert find_player().kind == "ffplay"
    stand_in_player(folder, "mpv")
    assert find_player().kind == "mpv"
    assert find_player("vlc").kind == "vlc"  # the project's choice
    monkeypatch.setenv("QUALCODE_PLAYER", "ffplay")  # the environment overrides it
    assert find_player("vlc").kind == "ffplay"


def test_without_a_player_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.delenv("QUALCODE_PLAYER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(QualcodeError, match=r"no media player found on PATH; install mpv .*ffplay .*vlc"):
        find_player()
    with pytest.raises(QualcodeError, match="'totem' is not one qualcode can drive"):
        find_player("totem")


def test_command_lines_start_at_the_time_and_stop_at_the_end():
    assert command_line(Player("mpv", "/bin/mpv"), "a.wav", 12.5, 20.25, ipc_path="/s") == [
        "/bin/mpv", "--start=12.5", "--really-quiet", "--no-terminal", "--end=20.25",
        "--input-ipc-server=/s", "--no-video", "--", "a.wav"]
    assert command_line(Player("ffplay", "ffplay"), "v.mp4", 60, 75.5, video=True) == [
        "ffplay", "-hide_banner", "-loglevel", "error", "-autoexit", "-ss", "60", "-t", "15.5", "v.mp4"]
    assert command_line(Player("vlc", "cvlc"), "a.wav", 3, None) == [
        "cvlc", "--intf", "dummy", "--play-and-exit", "--start-time=3", "--no-video", "a.wav"]


def _linked(project_path):
    wav = make_wav(project_path.parent / "rec.wav", seconds=20)
    with Project.open(project_path) as p:
        p.media.link("C05_W2", wav)
    return wav


def test_cli_play_starts_the_player_at_the_turns_time(project_path, tmp_path, monkeypatch):
    wav = _linked(project_path)
    folder = tmp_path / "quick-bin"
    stand_in_player(folder, "mpv")  # ends at once: the command waits for it
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    monkeypatch.delenv("QUALCODE_PLAYER", raising=False)
    result = CliRunner().invoke(cli, ["-p", str(project_path), "transcript", "play", "C05_W2", "--turn", "2"])
    assert result.exit_code == 0, result.output
    assert "turn 2 from 00:00:05 to 00:00:07 with mpv" in result.output
    (args,) = calls(folder)
    # Turn 2 starts at 5 s; turn 3 (estimated) starts at 7.621 s, where playing stops.
    assert args[0] == "--start=5" and "--end=7.621" in args and args[-1] == str(wav.resolve())

    # Turn 3 has only an estimated time: used, and said to be estimated.
    result = CliRunner().invoke(cli, ["-p", str(project_path), "transcript", "play", "C05_W2", "--turn", "3"])
    assert "from ~00:00:07 (estimated)" in result.output
    assert calls(folder)[1][0] == "--start=7.621"


def test_a_turn_without_a_time_plays_from_the_nearest_earlier_one(project_path, player_on_path):
    _linked(project_path)
    with Project.open(project_path) as p:
        # Splitting turn 2 ("It was hard.", from 5 s) leaves its second half without a time.
        text = p.transcripts.get("C05_W2").text
        p.transcripts.split_turn("C05_W2", 2, at=text.index("hard."))
        assert p.transcripts.get("C05_W2").turns[2].start_time is None
        when = p.media.turn_time("C05_W2", 3)
        assert (when.start, when.from_turn, when.estimated) == (5.0, 2, False)
        playback, _ = p.media.play("C05_W2", 3)
        started = wait_for_calls(player_on_path)
        playback.stop()
    assert started[0][0] == "--start=5"
    with Project.open(project_path) as p, pytest.raises(QualcodeError, match="has no turn 9"):
        p.media.turn_time("C05_W2", 9)


def test_playback_reports_an_estimated_position_and_stops(project_path, player_on_path):
    _linked(project_path)
    with Project.open(project_path) as p:
        playback, when = p.media.play("C05_W2", 5)
        try:
            assert when.start == 15.0 and when.end is None
            assert playback.running
            time.sleep(0.3)
            position, exact = playback.position()
            assert not exact and 15.2 <= position < 17  # the stand-in has no IPC socket
            assert playback.toggle_pause() is True
            paused_at = playback.position()[0]
            time.sleep(0.3)
            assert playback.position()[0] == paused_at
            assert playback.toggle_pause() is False
        finally:
            playback.stop()
        assert not playback.running


def test_a_missing_recording_is_a_clear_refusal(project_path, player_on_path):
    wav = _linked(project_path)
    wav.unlink()
    with Project.open(project_path) as p:
        with pytest.raises(QualcodeError, match="the recording of C05_W2 is missing: rec.wav"):
            p.media.play("C05_W2", 1)
