"""The scripted check in a real terminal: the TUI in tmux on the example study, a
transcript open, codings from the command line and from the TUI's keys in turns, then
SIGKILL: every coding either side acknowledged is in the project and it is intact.

Runs where tmux is installed and skips (saying why) where it is not, unless
QUALCODE_REQUIRE_TMUX is set (as .ci/run does): then a missing tmux fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qualcode import Project

from ..conftest import REPO

ROUNDS = 8
WIDTH, HEIGHT = 240, 40  # wide enough for the whole status line
# The saved state, the last action, then (room allowing) the coder and the project.
STATUS = re.compile(r"✓ all changes saved\s+·\s+coded (\d+):(\d+) with (.+?)(?:\s+·\s+coder .*)?\s*$")
HEADER = re.compile(r"(\d+) codings")
CLI_CODED = re.compile(r"^#\d+ (.+?) C01_W1 (\d+):(\d+) ")


class Terminal:
    """A tmux server of its own (its own socket) running one command in one pane."""

    def __init__(self, socket: str, command: str, env: dict) -> None:
        self.base = ["tmux", "-L", socket, "-f", os.devnull]
        subprocess.run([*self.base, "new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), command],
                       check=True, env=env)
        self.pid = int(self.tmux("display-message", "-p", "#{pane_pid}").strip())
        self.socket = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())

    def tmux(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> list[str]:
        return self.tmux("capture-pane", "-p").splitlines()

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", key)
            time.sleep(0.15)

    def wait_for(self, found, what: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = found(self.screen())
            if result:
                return result
            time.sleep(0.1)
        raise AssertionError(f"{what} not on screen within {timeout} s:\n" + "\n".join(self.screen()))

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)
        self.socket.unlink(missing_ok=True)


def status_coding(lines: list[str]):
    for line in lines:
        match = STATUS.search(line)
        if match:
            return int(match[1]), int(match[2]), match[3]
    return None


def header_count(lines: list[str]) -> int | None:
    match = HEADER.search(lines[0]) if lines else None
    return int(match[1]) if match and "C01_W1" in lines[0] else None


def test_tui_in_tmux_and_cli_in_turns_then_sigkill(example_project, tmp_path):
    if shutil.which("tmux") is None:
        if os.environ.get("QUALCODE_REQUIRE_TMUX"):
            pytest.fail("tmux is required here (QUALCODE_REQUIRE_TMUX is set) but not installed")
        pytest.skip("tmux is not installed: the real-terminal check needs it (apt-get install tmux)")
    project = tmp_path / "example.qualcode"
    shutil.copy(example_project, project)
    env = dict(os.environ, PYTHONPATH=str(REPO), TERM="xterm-256color")
    for name in ("TMUX", "COLUMNS", "LINES"):  # the pane's size is the terminal's, not these
        env.pop(name, None)
    terminal = Terminal(f"qualcode-test-{os.getpid()}",
                        f"exec {sys.executable} -m qualcode tui {project} --coder tui", env)
    tui_acks: list[tuple[int, int, str]] = []
    cli_acks: list[tuple[int, int, str]] = []
    try:
        terminal.wait_for(lambda s: any("Participants across waves" in line for line in s), "home")
        terminal.keys("Enter")  # C01_W1, under the cursor of the home grid
        count = terminal.wait_for(header_count, "the transcript's codings")
        for round_ in range(ROUNDS):
            done = subprocess.run([sys.executable, "-m", "qualcode", "-p", str(project), "--coder", "cli",
                                   "tag", "C01_W1", "--turn", str(3 + 2 * round_), "--code", "Time to talk"],
                                  capture_output=True, text=True, env=env, timeout=120)
            assert done.returncode == 0, done.stderr
            coded = CLI_CODED.match(done.stdout.strip())
            cli_acks.append((int(coded[2]), int(coded[3]), coded[1]))
            count += 1
            # No key pressed: the TUI notices the other program's coding by itself.
            terminal.wait_for(lambda s, n=count: header_count(s) == n, f"{count} codings")
            before = status_coding(terminal.screen())
            terminal.keys("s" if round_ == 0 else "Down", "c", "1")
            acked = terminal.wait_for(lambda s, b=before: (c := status_coding(s)) and c != b and c,
                                      "the TUI saying it saved")
            tui_acks.append(acked)
            count += 1
            terminal.wait_for(lambda s, n=count: header_count(s) == n, f"{count} codings")
        os.kill(terminal.pid, signal.SIGKILL)
        time.sleep(0.5)
    finally:
        terminal.close()
    with Project.open(project) as p:
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = {(c.start, c.end, c.code, c.coder) for c in p.coding.codings(transcript="C01_W1")}
    assert len(tui_acks) == len(cli_acks) == ROUNDS
    assert [a for a in cli_acks if (*a, "cli") not in saved] == []
    assert [a for a in tui_acks if (*a, "tui") not in saved] == []
