"""The worker processes of `import --manifest` die with the import: killed (SIGKILL), it
used to leave them alive for good; interrupted (Ctrl-C), it stops and reaps them and
prints one line, no traceback from any process."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.ingest.manifest import PARALLEL_MIN_BYTES, _available_cpus

from .conftest import ctrl_c_as_in_a_terminal

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc"),
    pytest.mark.skipif(_available_cpus() < 2, reason="the import uses workers only with two CPUs or more"),
]

WORDS = ["the", "money", "bank", "week", "trainer", "walking", "doctor", "council", "friend", "time"]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def study(tmp_path) -> Path:
    rng = random.Random(5)
    rows = ["file,participant,wave"]
    per_file = PARALLEL_MIN_BYTES // 8
    for n in range(24):
        lines, size = [], 0
        while size < per_file:
            speaker = "Interviewer" if len(lines) % 2 == 0 else f"P{n:02d}"
            line = f"{speaker}: " + " ".join(rng.choice(WORDS) for _ in range(30)) + ".\n\n"
            lines.append(line)
            size += len(line)
        (tmp_path / f"t{n:02d}.txt").write_text("".join(lines), encoding="utf-8")
        rows.append(f"t{n:02d}.txt,P{n:02d},W1")
    (tmp_path / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    Project.create(tmp_path / "study.qualcode").close()
    return tmp_path


def _start_import(folder: Path) -> subprocess.Popen:
    env = {**os.environ, "QUALCODE_CODER": "tester", "QUALCODE_SPACY_MODEL": "blank"}
    return subprocess.Popen([sys.executable, "-m", "qualcode", "-p", "study.qualcode", "import", "--manifest",
                             "manifest.csv"], cwd=folder, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=ctrl_c_as_in_a_terminal)


def _workers_of(proc: subprocess.Popen, timeout: float = 30) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = _children(proc.pid)
        if len(workers) >= 2:
            return workers
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the import started no worker processes")


def _gone(pids: set[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def test_workers_die_with_a_killed_import(study):
    proc = _start_import(study)
    workers = _workers_of(proc)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()  # not read: the workers, were they alive, would hold them open
    proc.stderr.close()
    try:
        assert _gone(workers), f"workers {workers} outlived the killed import"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    with Project.open(study / "study.qualcode") as project:
        assert project.transcripts.all() == []  # one transaction: nothing half-imported


def test_ctrl_c_stops_and_reaps_the_workers_with_one_line(study):
    proc = _start_import(study)
    workers = _workers_of(proc)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    _out, err = proc.communicate(timeout=60)
    err = err.decode("utf-8", "replace")
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "interrupted; nothing half-done was saved"
    assert _gone(workers, timeout=5), f"workers {workers} were left behind"
    with Project.open(study / "study.qualcode") as project:
        assert project.transcripts.all() == []


def test_a_worker_killed_under_the_import_is_one_line(study):
    # As the kernel does when memory runs out: the import reports it and stores nothing.
    proc = _start_import(study)
    workers = _workers_of(proc)
    os.kill(min(workers), signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    err = err.decode("utf-8", "replace")
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "the process reading it stopped (out of memory?); nothing was imported" in err
    assert _gone(workers, timeout=5)
    with Project.open(study / "study.qualcode") as project:
        assert project.transcripts.all() == []
