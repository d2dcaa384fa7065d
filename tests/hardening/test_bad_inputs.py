"""The bad-input corpus: every malformed file gets one clear line naming it, a
non-zero exit, no traceback, and leaves the project byte-identical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli import cli

from ..conftest import file_digest

CORPUS = Path(__file__).parents[1] / "bad_inputs"
BAD = sorted(p for p in CORPUS.iterdir()
             if p.suffix != ".py" and p.name != "ok.txt" and not p.name.startswith("."))


def command_for(path: Path, project: Path, tmp: Path) -> list[str]:
    name, suffix = path.name, path.suffix
    if suffix in (".txt", ".docx", ".vtt", ".srt"):
        return ["-p", str(project), "import", str(path), "--participant", "P01", "--wave", "W1"]
    if suffix == ".csv":
        return ["-p", str(project), "import", "--manifest", str(path)]
    if name.startswith("plan_"):
        return ["-p", str(project), "codebook", "merge", "--apply", str(path)]
    if suffix in (".yaml", ".qdc"):
        return ["-p", str(project), "codebook", "load", str(path)]
    if suffix in (".qdpx", ".qde"):
        return ["import-refi", str(path), "-o", str(tmp / "imported.qualcode")]
    if suffix == ".qualcode":
        return ["-p", str(path), "status"]
    raise AssertionError(f"no command for {name}")


def test_the_corpus_is_large_and_varied():
    assert len(BAD) >= 40
    assert {p.suffix for p in BAD} >= {".txt", ".docx", ".vtt", ".srt", ".csv", ".yaml", ".qdc",
                                      ".qdpx", ".qualcode"}


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "study.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        project.codebook.add_code("Existing code")
    return path


@pytest.mark.parametrize("bad", BAD, ids=lambda p: p.name)
def test_bad_input(bad, base_project, tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCODE_CODER", "tester")
    project = tmp_path / "study.qualcode"
    shutil.copy(base_project, project)
    target = bad
    if bad.suffix == ".qualcode":  # never touch the committed corpus itself
        target = tmp_path / bad.name
        shutil.copy(bad, target)
    watched = target if bad.suffix == ".qualcode" else project
    before = file_digest(watched)
    result = CliRunner().invoke(cli, command_for(target, project, tmp_path))
    assert isinstance(result.exception, SystemExit), f"crashed: {result.exception!r}"
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert bad.name in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert file_digest(watched) == before
    assert not (tmp_path / "imported.qualcode").exists()
