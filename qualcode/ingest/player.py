"""Playing a stretch of a recording through a media player found on the machine.

qualcode plays nothing itself: it starts mpv, ffplay or vlc (looked for on PATH in that
order, or the one named by ``$QUALCODE_PLAYER`` or the project's ``media_player``
setting) as a child process, at the turn's start time and, where the player can, stopping
at its end. mpv is driven through its JSON IPC socket, which also reports the exact
position and pauses; for the others the position is the time elapsed since starting
(said to be an estimate), and pausing stops and continues the process (POSIX signals).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import QualcodeError
from ..model import MEDIA_PLAYERS

PLAYER_VARIABLE = "QUALCODE_PLAYER"
INSTALL_HINT = ("install mpv (recommended: it reports the exact position), ffplay (part of ffmpeg) or vlc, "
                f"or name a player with ${PLAYER_VARIABLE} or `qualcode transcript player NAME`")
# Executable names of each player (vlc's terminal-only build is cvlc).
_NAMES = {"mpv": ("mpv",), "ffplay": ("ffplay",), "vlc": ("vlc", "cvlc")}


@dataclass(frozen=True, slots=True)
class Player:
    kind: str  # one of MEDIA_PLAYERS
    executable: str


def _kind_of(executable: str) -> str | None:
    stem = Path(executable).name.lower().removesuffix(".exe")
    return next((kind for kind, names in _NAMES.items() if stem in names), None)


def find_player(configured: str | None = None) -> Player:
    """The player to use: ``configured`` (a name or a path; the environment variable
    overrides it), else the first of mpv, ffplay, vlc on PATH."""
    wanted = os.environ.get(PLAYER_VARIABLE) or configured
    if wanted:
        executable = shutil.which(wanted)
        kind = _kind_of(wanted)
        if kind is None:
            raise QualcodeError(f"media player {wanted!r} is not one qualcode can drive "
                                f"({', '.join(MEDIA_PLAYERS)})")
        if executable is None:
            raise QualcodeError(f"media player {wanted!r} was not found; {INSTALL_HINT}")
        return Player(kind, executable)
    for kind in MEDIA_PLAYERS:
        for name in _NAMES[kind]:
            executable = shutil.which(name)
            if executable:
                return Player(kind, executable)
    raise QualcodeError(f"no media player found on PATH; {INSTALL_HINT}")


def _seconds(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def command_line(player: Player, media: str | Path, start: float, end: float | None, *,
                 video: bool = False, ipc_path: str | None = None) -> list[str]:
    """The player's command line to play ``media`` from ``start`` (seconds), stopping at
    ``end`` where the player supports it (all three do)."""
    media = str(media)
    if player.kind == "mpv":
        args = [player.executable, f"--start={_seconds(start)}", "--really-quiet", "--no-terminal"]
        if end is not None:
            args.append(f"--end={_seconds(end)}")
        if ipc_path:
            args.append(f"--input-ipc-server={ipc_path}")
        args.append("--force-window=yes" if video else "--no-video")
        return [*args, "--", media]
    if player.kind == "ffplay":
        args = [player.executable, "-hide_banner", "-loglevel", "error", "-autoexit", "-ss", _seconds(start)]
        if end is not None:
            args += ["-t", _seconds(max(end - start, 0.0))]
        if not video:
            args.append("-nodisp")
        return [*args, media]
    args = [player.executable, "--intf", "dummy", "--play-and-exit", f"--start-time={_seconds(start)}"]
    if end is not None:
        args.append(f"--stop-time={_seconds(end)}")
    if not video:
        args.append("--no-video")
    return [*args, media]


class Playback:
    """One running player: its position, pause and stop."""

    def __init__(self, player: Player, media: str | Path, start: float, end: float | None, *,
                 video: bool = False) -> None:
        self.player = player
        self.start = start
        self.end = end
        self._ipc_dir = tempfile.mkdtemp(prefix="qualcode-player-") if player.kind == "mpv" else None
        self._ipc_path = os.path.join(self._ipc_dir, "mpv.sock") if self._ipc_dir else None
        self.command = command_line(player, media, start, end, video=video, ipc_path=self._ipc_path)
        try:
            self._process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            self._cleanup()
            raise QualcodeError(f"could not start {player.executable}: {exc.strerror or exc}") from None
        self._started = time.monotonic()
        self._paused_at: float | None = None
        self._paused_for = 0.0

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def position(self) -> tuple[float, bool]:
        """(seconds into the recording, exact?). mpv says where it is; for the other
        players it is the start plus the time played since (an estimate)."""
        if self._ipc_path and self.running:
            reply = self._ask(["get_property", "time-pos"])
            if isinstance(reply, int | float):
                return float(reply), True
        now = self._paused_at if self._paused_at is not None else time.monotonic()
        position = self.start + max(now - self._started - self._paused_for, 0.0)
        if self.end is not None:
            position = min(position, self.end)
        return position, False

    def toggle_pause(self) -> bool:
        """Pause or continue; returns whether it is now paused."""
        if not self.running:
            return False
        if self._ipc_path and self._ask(["cycle", "pause"], want_reply=False) is not None:
            pass
        elif hasattr(signal, "SIGSTOP"):
            os.kill(self._process.pid, signal.SIGCONT if self.paused else signal.SIGSTOP)
        if self._paused_at is None:
            self._paused_at = time.monotonic()
        else:
            self._paused_for += time.monotonic() - self._paused_at
            self._paused_at = None
        return self.paused

    def wait(self) -> int:
        return self._process.wait()

    def stop(self) -> None:
        """End the player (and remove its socket); nothing happens if it has ended."""
        if self.running:
            if self.paused and hasattr(signal, "SIGCONT"):
                with contextlib.suppress(OSError):
                    os.kill(self._process.pid, signal.SIGCONT)
            self._process.terminate()
            try:
                self._process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._ipc_dir:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)

    def _ask(self, command: list, *, want_reply: bool = True) -> object:
        """Send one command over mpv's IPC socket; its "data", or None if it cannot be had."""
        if not self._ipc_path or not os.path.exists(self._ipc_path):
            return None
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(0.5)
                sock.connect(self._ipc_path)
                sock.sendall(json.dumps({"command": command, "request_id": 1}).encode() + b"\n")
                buffer = b""
                while True:
                    chunk = sock.recv(4096)
                    if not chunk:
                        return None
                    buffer += chunk
                    while b"\n" in buffer:
                        line, buffer = buffer.split(b"\n", 1)
                        message = json.loads(line or b"{}")
                        if message.get("request_id") == 1:
                            ok = message.get("error") == "success"
                            return message.get("data") if ok and want_reply else (True if ok else None)
        except (OSError, ValueError):
            return None
