"""Recordings made for the tests, and a stand-in media player.

A recording is spoken by espeak-ng when it is installed (a WAV of a short transcript),
else made of tones with the wave module; a video is made by ffmpeg when it is installed
(the tests that need one skip, saying so, without it). The stand-in player is a script
named like a real player, put first on PATH: it writes its command line to a file and
then waits (``linger``) or ends at once, so a test can read what qualcode asked for.
"""

from __future__ import annotations

import math
import os
import shutil
import stat
import struct
import subprocess
import wave
from pathlib import Path

import pytest

SPOKEN = "How did the move go? It was hard. I missed the garden."


def make_wav(path: Path, seconds: float = 20.0) -> Path:
    """A WAV of ``seconds``: espeak-ng's speech padded with silence when it is installed,
    else a quiet tone. Either way the wave module can read its duration."""
    espeak = shutil.which("espeak-ng")
    if espeak:
        subprocess.run([espeak, "-w", str(path), SPOKEN], check=True, capture_output=True, timeout=60)
        with wave.open(str(path), "rb") as spoken:
            params, frames = spoken.getparams(), spoken.readframes(spoken.getnframes())
        missing = int(seconds * params.framerate) - len(frames) // (params.sampwidth * params.nchannels)
        with wave.open(str(path), "wb") as out:
            out.setparams(params)
            out.writeframes(frames + b"\0" * max(missing, 0) * params.sampwidth * params.nchannels)
        return path
    rate = 8000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * i / rate)))
                                 for i in range(int(seconds * rate))))
    return path


def make_video(path: Path, seconds: float = 5.0) -> Path:
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        pytest.skip("ffmpeg is not installed: no video can be made for the test (.ci/run can apt-install it)")
    subprocess.run([ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=160x120",
                    "-f", "lavfi", "-i", f"sine=duration={seconds}", "-shortest", str(path)],
                   check=True, timeout=120)
    return path


def stand_in_player(folder: Path, name: str = "mpv", *, linger: bool = False) -> Path:
    """A script called ``name`` in ``folder`` that appends its arguments, one per line and
    then a blank line, to ``folder/args.log``."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "args.log"
    script = folder / name
    script.write_text("#!/bin/sh\n"
                      f"for a in \"$@\"; do printf '%s\\n' \"$a\" >> '{log}'; done\n"
                      f"echo >> '{log}'\n"
                      + ("exec sleep 60\n" if linger else ""), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def calls(folder: Path) -> list[list[str]]:
    """The command lines the stand-in was started with, in order (without its own name)."""
    log = folder / "args.log"
    if not log.exists():
        return []
    return [block.split("\n") for block in log.read_text(encoding="utf-8").split("\n\n") if block.strip()]


@pytest.fixture
def player_on_path(tmp_path, monkeypatch):
    """A stand-in mpv first on PATH (and no player chosen by the environment); returns
    its folder, whose args.log holds what it was started with."""
    folder = tmp_path / "player-bin"
    stand_in_player(folder, "mpv", linger=True)
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    monkeypatch.delenv("QUALCODE_PLAYER", raising=False)
    return folder


def wait_for_calls(folder: Path, count: int = 1, timeout: float = 10.0) -> list[list[str]]:
    """The stand-in's command lines once it has written ``count`` of them: a player just
    started may not have run its first line yet on a busy machine."""
    import time

    deadline = time.monotonic() + timeout
    while len(found := calls(folder)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return found
