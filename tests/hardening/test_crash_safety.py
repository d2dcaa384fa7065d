"""Crash safety: SIGKILL a coding session at random moments; nothing reported done is
lost, nothing half-done is visible, and the file is never damaged.

The default run kills 20 times; the full run (marker ``slow``, included in ``make test``)
kills 200 times. Set QUALCODE_CRASH_KILLS to choose another number.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from qualcode import Project

from . import crash_worker

TEXT = "Interviewer: Tell me about it.\n\nP01: " + " ".join(
    f"This is sentence number {i} of a long answer about walking, food and money." for i in range(300)) + "\n"


def make_project(tmp_path) -> Path:
    path = tmp_path / "crash.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        source = tmp_path / "P01_W1.txt"
        source.write_text(TEXT, encoding="utf-8")
        project.transcripts.import_transcript(source, participant="P01", wave="W1")
        project.codebook.add_code("Alpha")
        project.codebook.add_code("Beta")
    return path


def run_and_kill(path: Path, seed: int, rng: random.Random) -> list[str]:
    """Fork a worker (no interpreter start-up: the kill lands in real work), let it
    code for a random moment, SIGKILL it, and return the lines it had reported."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a coding session writing its reports to the pipe
        try:
            os.close(read_fd)
            sys.stdout = os.fdopen(write_fd, "w", buffering=1)
            crash_worker.main(str(path), seed)
        except BaseException as exc:  # report why the session stopped on its own
            print(f"worker failed: {exc!r}", flush=True)
        finally:
            os._exit(1)
    os.close(write_fd)
    reader = os.fdopen(read_fd)
    assert reader.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.25))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    out = reader.read()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, out[-300:]
    reader.close()
    lines = out.splitlines()
    # A line cut off by the kill may be partial: only whole lines count as reported.
    if out and not out.endswith("\n"):
        lines = lines[:-1]
    return lines


def check(path: Path, reported: list[str]) -> None:
    with Project.open(path) as project:
        db = project.db
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        codings = {r[0] for r in db.execute("SELECT guid FROM codings")}
        memos = {r[0] for r in db.execute("SELECT guid FROM memos")}
        merged = {r[0] for r in db.execute("SELECT guid FROM codes WHERE merged_into_id IS NOT NULL")}
        for line in reported:
            kind, guid = line.split(" ", 1)
            target = {"coding": codings, "memo": memos, "merge": merged}[kind]
            assert guid in target, f"reported {line} is missing after the kill"
        # No half-done merge: a merged code keeps no codings.
        assert db.execute(
            "SELECT count(*) FROM codings c JOIN codes k ON k.id = c.code_id "
            "WHERE k.merged_into_id IS NOT NULL").fetchone()[0] == 0
        # No half-done action: every done event that captured changes still has them,
        # and no capture is left switched on.
        assert db.execute("SELECT event_id FROM recorder").fetchone()[0] is None
        orphans = db.execute(
            "SELECT count(*) FROM event_changes WHERE event_id NOT IN (SELECT id FROM events)").fetchone()[0]
        assert orphans == 0
        # Every memo has its two links (written in the same action as the memo).
        assert db.execute(
            "SELECT count(*) FROM memos m WHERE (SELECT count(*) FROM memo_links WHERE memo_id = m.id) != 2"
        ).fetchone()[0] == 0


def kills(default: int) -> int:
    return int(os.environ.get("QUALCODE_CRASH_KILLS", default))


def _campaign(tmp_path, n: int, seed: int) -> int:
    path = make_project(tmp_path)
    rng = random.Random(seed)
    reported: list[str] = []
    for i in range(n):
        reported += run_and_kill(path, seed * 1000 + i, rng)
        check(path, reported)
    assert reported, "the worker never finished an action: the kill times are too short"
    return len(reported)


def test_kills_lose_nothing_reported(tmp_path):
    _campaign(tmp_path, kills(20), seed=1)


@pytest.mark.slow
def test_two_hundred_kills(tmp_path):
    done = _campaign(tmp_path, kills(200), seed=2)
    print(f"200 kills survived, {done} reported actions, 0 lost")
