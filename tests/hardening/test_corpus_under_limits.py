"""Every input of the bad-input corpus through the real command line, each in a child
process with 1 GB of address space and a minute of time: no traceback from any of them,
none over the memory or the time, none hanging. Refused inputs give one line naming
the file and leave the project byte-identical.

The corpus is the committed files of tests/bad_inputs, the inputs too large to commit
that its generator makes (make_bad_inputs.generated_files: bombs of hundreds of
megabytes, files at the limits), careless files that are read with a warning
(accepted_files), and files that are not files (a named pipe, a device).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qualcode import Project

from .._limited_cli import GB, run_qualcode
from ..bad_inputs_corpus import make_bad_inputs
from ..conftest import file_digest
from .test_bad_inputs import BAD, command_for

TIMEOUT = 60.0
GENERATED = make_bad_inputs.generated_files()
ACCEPTED = make_bad_inputs.accepted_files()
# name -> the command it is given as, for inputs that are not regular files.
SPECIAL = {"pipe.txt": "transcript", "pipe.docx": "transcript", "pipe.csv": "manifest", "pipe.yaml": "codebook file",
           "plan_pipe.yaml": "merge plan", "pipe.qdc": "codebook file", "pipe.qdpx": ".qdpx or .qde file",
           "pipe.qualcode": "project file", "zero.txt": "transcript"}

CASES = ([("committed", p.name) for p in BAD] + [("generated", n) for n in GENERATED]
         + [("accepted", n) for n in ACCEPTED] + [("special", n) for n in SPECIAL])


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "study.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        project.codebook.add_code("Existing code")
    return path


def _materialise(kind: str, name: str, folder: Path) -> tuple[Path, bool]:
    """The input as a path in ``folder``, and whether the command should accept it."""
    target = folder / name
    if kind == "committed":
        shutil.copy(make_bad_inputs.HERE / name, target)
        return target, False
    if kind == "generated":
        make, accepted = GENERATED[name]
        target.write_bytes(make())
        return target, accepted
    if kind == "accepted":
        target.write_bytes(ACCEPTED[name])
        return target, True
    if name == "zero.txt":
        target.symlink_to("/dev/zero")
    else:
        os.mkfifo(target)
    return target, False


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "name"), CASES, ids=[f"{k}:{n}" for k, n in CASES])
def test_input_under_limits(kind, name, base_project, tmp_path):
    if kind == "special" and not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are POSIX")
    folder = tmp_path / "in"
    folder.mkdir()
    path, accepted = _materialise(kind, name, folder)
    project = tmp_path / "study.qualcode"
    shutil.copy(base_project, project)
    if kind == "committed" and path.suffix == ".qualcode":
        args = ["-p", path, "status"]
        watched = path
    elif name.endswith(".qualcode"):
        args = ["-p", path, "status"]
        watched = project
    else:
        args = command_for(path, project, tmp_path)
        watched = project
    shutil.copy(make_bad_inputs.HERE / "ok.txt", folder / "ok.txt")  # the file the manifests list
    before = file_digest(watched) if watched.is_file() and not watched.is_fifo() else None

    run = run_qualcode(args, memory=GB, timeout=TIMEOUT, cwd=tmp_path)

    assert not run.timed_out, f"still running after {TIMEOUT:.0f} s (hung?)\n{run.describe()}"
    assert (run.stdout + run.stderr).count("Traceback") == 0, run.describe()
    assert "MemoryError" not in run.stderr, run.describe()
    assert run.peak_mb < 1024, run.describe()
    if accepted:
        assert run.returncode == 0, run.describe()
        return
    assert run.returncode == 1, run.describe()
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], run.describe()
    if kind == "special":
        kind_of_file = "a character device" if name == "zero.txt" else "a named pipe (FIFO)"
        assert lines[0] == f"Error: {name}: is {kind_of_file}, not a {SPECIAL[name]}; give a regular file"
    if before is not None:
        assert file_digest(watched) == before
    assert not (tmp_path / "imported.qualcode").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a hidden file was left behind"


def test_the_corpus_covers_every_finding():
    names = {n for _, n in CASES}
    for expected in ("codebook_yaml_bomb.yaml", "plan_yaml_bomb.yaml", "short_paragraphs_190mb.docx",
                     "lying_sizes_190mb.docx", "codebook_30000_codes.yaml", "pipe.txt", "pipe.qualcode",
                     "one_turn_over_spacy_limit.txt", "codes_nested_20000.qdc", "codes_nested_20000.qdpx",
                     "codebook_nested_100000.yaml", "repeated_source_guid.qdpx", "utf8_and_cp1252_in_one_line.txt",
                     "utf8_and_cp1252_lines.txt", "turns_199999.txt", "paragraphs_60000.docx", "plan_pipe.yaml", "manifest_10001_rows.csv"):
        assert expected in names
    assert len(CASES) >= 90
