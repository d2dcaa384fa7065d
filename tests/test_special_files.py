"""A named pipe, a device or a socket given where a file is expected is refused at
once with one line, in the real command (a pipe used to block it forever)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.errors import InputError
from qualcode.input_files import read_regular_file

from ._limited_cli import run_qualcode
from .conftest import file_digest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture
def study(tmp_path) -> Path:
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project:
        project.add_wave("W1")
        project.add_participant("P01")
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(("name", "command"), [
    ("interview.txt", ["import", "{file}", "--participant", "P01", "--wave", "W1"]),
    ("interview.docx", ["import", "{file}", "--participant", "P01", "--wave", "W1"]),
    ("manifest.csv", ["import", "--manifest", "{file}"]),
    ("codebook.yaml", ["codebook", "load", "{file}"]),
    ("codebook.qdc", ["codebook", "load", "{file}"]),
    ("plan.yaml", ["codebook", "merge", "--apply", "{file}"]),
])
def test_a_named_pipe_as_input_is_refused_at_once(study, tmp_path, name, command):
    pipe = _fifo(tmp_path / name)
    before = file_digest(study)
    run = run_qualcode(["-p", study, *[a.replace("{file}", str(pipe)) for a in command]], timeout=30)
    assert not run.timed_out, run.describe()
    assert run.returncode == 1, run.describe()
    assert run.stderr.strip() == f"Error: {name}: is a named pipe (FIFO), not a " + {
        ".txt": "transcript", ".docx": "transcript", ".csv": "manifest", ".yaml": (
            "merge plan" if name.startswith("plan") else "codebook file"),
        ".qdc": "codebook file"}[Path(name).suffix] + "; give a regular file"
    assert file_digest(study) == before


def test_a_named_pipe_as_the_project_or_a_refi_file_is_refused(tmp_path):
    pipe = _fifo(tmp_path / "study.qualcode")
    run = run_qualcode(["-p", pipe, "status"], timeout=30)
    assert (run.returncode, run.stderr.strip()) == (
        1, "Error: study.qualcode: is a named pipe (FIFO), not a project file; give a regular file"), run.describe()
    qdpx = _fifo(tmp_path / "other.qdpx")
    run = run_qualcode(["import-refi", qdpx, "-o", tmp_path / "new.qualcode"], timeout=30)
    assert run.returncode == 1 and "other.qdpx: is a named pipe (FIFO)" in run.stderr, run.describe()
    assert not (tmp_path / "new.qualcode").exists()


def test_a_device_behind_a_transcript_name_is_refused(study, tmp_path):
    link = tmp_path / "endless.txt"
    link.symlink_to("/dev/zero")
    run = run_qualcode(["-p", study, "import", link, "--participant", "P01", "--wave", "W1"], timeout=30)
    assert run.returncode == 1, run.describe()
    assert run.stderr.strip() == "Error: endless.txt: is a character device, not a transcript; give a regular file"


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(InputError, match="s.yaml: is a socket, not a codebook file"):
            read_regular_file(path, 100, "codebook file")


def test_a_pipe_swapped_in_after_the_check_does_not_block(tmp_path, monkeypatch):
    # The file passes the first look, then is a pipe when opened: opened without
    # blocking, it is refused by the second look through the descriptor.
    import qualcode.input_files as input_files

    pipe = _fifo(tmp_path / "late.txt")
    monkeypatch.setattr(input_files, "refuse_special", lambda path, what="file": None)
    with pytest.raises(InputError, match="late.txt: is a named pipe"):
        read_regular_file(pipe, 100, "transcript")
