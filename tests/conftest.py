"""Shared fixtures: fresh projects, the CLI runner, and where ../shared lives."""

from __future__ import annotations

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
