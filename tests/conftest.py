"""Shared fixtures: fresh projects, the CLI runner, where ../shared lives, and the
watch on every file qualcode opens."""

from __future__ import annotations

import builtins
import io
import os
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli import cli

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE_DIR = REPO / "transcripts_example"
CODEBOOK = REPO / "codebooks" / "health_trainers.yaml"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test (third-party data is not in the repo)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (third-party test data lives in ../shared)")
    return path


@pytest.fixture(autouse=True)
def _coder_env(monkeypatch):
    # Tests must not depend on who runs them.
    monkeypatch.setenv("QUALCODE_CODER", "tester")
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)


QUALCODE_CODE = str(Path(__file__).resolve().parents[1] / "qualcode") + os.sep


def _opened_by_qualcode() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(QUALCODE_CODE):
            return True
        frame = frame.f_back
    return False


@pytest.fixture(autouse=True)
def project_files_only_through_sqlite(monkeypatch):
    """Fail any test in which qualcode's own code opens a project file (or its -wal,
    -shm) with open() or os.open() while this process has a connection to it: closing
    that descriptor would drop the connection's locks (see qualcode/open_files.py).
    Test code itself may read the files (to compare digests)."""
    from qualcode import open_files

    seen: list[str] = []

    def watch(real):
        def opener(file, *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)) and open_files.open_project_files():
                name = os.fsdecode(file)
                if open_files.is_open_project_file(name) and _opened_by_qualcode():
                    seen.append(name)
                    raise AssertionError(f"qualcode opened the open project file {name} outside SQLite")
            return real(file, *args, **kwargs)
        return opener

    monkeypatch.setattr(builtins, "open", watch(builtins.open))
    monkeypatch.setattr(io, "open", watch(io.open))
    monkeypatch.setattr(os, "open", watch(os.open))
    yield seen
    assert seen == [], f"project files opened outside SQLite while a connection was open: {seen}"


@pytest.fixture
def project(tmp_path) -> Project:
    with Project.create(tmp_path / "study.qualcode", title="Test study") as proj:
        yield proj


@pytest.fixture
def project_path(tmp_path) -> Path:
    path = tmp_path / "study.qualcode"
    Project.create(path, title="Test study").close()
    return path


@pytest.fixture
def run_cli():
    """Run the CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, env: dict | None = None):
        return runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)

    return run


def file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def example_project(tmp_path_factory) -> Path:
    """The example study built once per test session by ``qualcode example DEST``.

    Read-only: tests that change a project must use their own copy.
    """
    dest = tmp_path_factory.mktemp("example") / "example.qualcode"
    result = CliRunner().invoke(cli, ["example", str(dest)], catch_exceptions=False,
                                env={"QUALCODE_CODER": "tester"})
    assert result.exit_code == 0, result.output
    assert dest.exists()
    return dest


def ctrl_c_as_in_a_terminal() -> None:
    """A program started in the background by a shell inherits Ctrl-C ignored, and Python
    then never turns it into KeyboardInterrupt; these tests are about a terminal's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
