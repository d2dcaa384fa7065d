"""Helpers for tests that run the real TUI and command-line writers as separate processes
on one project, and check afterwards that everything any of them acknowledged is there."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from qualcode import Project

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TRANSCRIPT = "P01_W1"
TEXT = "Interviewer: Tell me about the last year.\n\nP01: " + " ".join(
    f"This is sentence number {i} of a long answer about walking, food and money." for i in range(600)) + "\n"


def make_project(folder: Path) -> Path:
    """One transcript of 600 sentences; codes Alpha (the TUI's first) and Beta."""
    path = folder / "live.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        source = folder / f"{TRANSCRIPT}.txt"
        source.write_text(TEXT, encoding="utf-8")
        project.transcripts.import_transcript(source, participant="P01", wave="W1")
        project.codebook.add_code("Alpha")
        project.codebook.add_code("Beta")
    return path


class Program:
    """A child process whose output lines are collected by a thread as they come."""

    def __init__(self, name: str, args: list[str]) -> None:
        self.name = name
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env, cwd=REPO)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.acks: list[tuple[int, int, str]] = []
        self.nacks: list[str] = []
        self.undone: list[tuple[int, int, str]] = []
        self.shown: list[set[int]] = []
        self.asked = 0  # codings asked for with "code N"
        self.errors: list[str] = []
        self.done = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        self.errors_read = threading.Event()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def _read_errors(self) -> None:
        self.errors.extend(self.proc.stderr)
        self.errors_read.set()

    def _read(self) -> None:
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith("ack "):
                _, start, end, code = line.split(" ", 3)
                self.acks.append((int(start), int(end), code))
            elif line.startswith("undone "):
                _, start, end, code = line.split(" ", 3)
                self.undone.append((int(start), int(end), code))
            elif line.startswith("shown"):
                self.shown.append({int(i) for i in line.split()[1:]})
            elif line.startswith("nack"):
                self.nacks.append(line)
            self.lines.put(line)
        self.lines.put(None)
        self.done.set()

    def expect(self, wanted: str, timeout: float = 120) -> None:
        """Wait for a line equal to ``wanted`` (skipping others)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"{self.name}: no {wanted!r} within {timeout} s") from None
            if line is None:
                raise AssertionError(f"{self.name} ended before {wanted!r}: {self.stderr()}")
            if line == wanted:
                return

    def answered(self, timeout: float = 120) -> None:
        """Wait until every coding asked for (``code N``) has its ack or nack."""
        deadline = time.monotonic() + timeout
        while len(self.acks) + len(self.undone) + len(self.nacks) < self.asked:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {self.asked} codings not answered within {timeout} s "
                                     f"({len(self.acks)} acks, nacks {self.nacks[-3:]}); {self.stderr()}")
            if self.proc.poll() is not None and self.done.is_set():
                raise AssertionError(f"{self.name} ended: {self.stderr()}")
            time.sleep(0.01)

    def send(self, line: str) -> None:
        if line.startswith("code"):
            self.asked += int(line.split()[1])
        elif line == "undo":
            self.asked += 1
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.wait(timeout=60)

    def wait(self, timeout: float = 300) -> int:
        code = self.proc.wait(timeout=timeout)
        self.done.wait(timeout=30)  # every line it wrote has been read
        self.errors_read.wait(timeout=30)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            # (stdin of a killed program may fail to flush: nobody reads it any more)
            with contextlib.suppress(OSError):
                pipe.close()
        return code

    def stderr(self) -> str:
        return "".join(self.errors)[-3000:]


def tui(path: Path, coder: str, skip: int = 0) -> Program:
    program = Program(f"TUI {coder}", [str(HERE / "tui_driver.py"), str(path), TRANSCRIPT, coder, str(skip)])
    program.expect("ready", timeout=180)
    return program


def cli_writer(path: Path, coder: str, first: int, count: int, every: int = 0) -> Program:
    return Program(f"CLI {coder}", [str(HERE / "cli_writer.py"), str(path), TRANSCRIPT, coder, "Beta",
                                    str(first), str(count), str(every)])


def saved_codings(path: Path) -> set[tuple[int, int, str, str]]:
    """(start, end, code, coder) of every coding in the project, read by a fresh process's
    way: a new connection after every writer has gone."""
    with Project.open(path) as project:
        assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {(c.start, c.end, c.code, c.coder) for c in project.coding.codings()}


def lost(program: Program, coder: str, saved: set) -> list[tuple]:
    return [a for a in program.acks if (a[0], a[1], a[2], coder) not in saved]
