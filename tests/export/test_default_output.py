"""Where outputs go without -o: an exports/ folder beside the project file, else the
current folder; never the package's folder."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

import qualcode
from qualcode.errors import QualcodeError
from qualcode.output_folder import default_output_folder, make_output_folder

from ..conftest import file_digest

PACKAGE_PARENT = Path(qualcode.__file__).resolve().parents[1]  # site-packages, or a checkout

# Every export command that has a default file, with the name it writes.
DEFAULT_EXPORTS = [
    (["export", "docx"], "study-themes.docx"),
    (["export", "codebook"], "study-codebook.docx"),
    (["export", "matrix"], "study-matrix.docx"),
    (["export", "portraits"], "study-portraits.docx"),
    (["export", "methods"], "study-methods.docx"),
    (["export", "segments"], "study-segments.csv"),
    (["export", "refi"], "study.qdpx"),
]


def test_the_rule_names_a_folder_without_making_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_output_folder(tmp_path / "a" / "study.qualcode") == tmp_path / "a" / "exports"
    assert default_output_folder("study.qualcode") == Path("exports")
    assert default_output_folder(None) == Path(".")
    assert not any(tmp_path.iterdir())


def test_the_folder_is_made_for_its_owner_only(tmp_path):
    folder = make_output_folder(tmp_path / "exports")
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert make_output_folder(folder) == folder  # there already: nothing to do
    (tmp_path / "file").write_text("x")
    with pytest.raises(QualcodeError, match="is not a folder"):
        make_output_folder(tmp_path / "file")


@pytest.fixture
def study(small_file, tmp_path, monkeypatch):
    """The small project in a study folder, and the command run from another folder."""
    folder = tmp_path / "study"
    folder.mkdir()
    path = folder / "study.qualcode"
    shutil.copy(small_file, path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return path


@pytest.mark.parametrize("args, name", DEFAULT_EXPORTS, ids=[" ".join(a) for a, _ in DEFAULT_EXPORTS])
def test_exports_without_o_land_beside_the_project(study, run_cli, args, name):
    result = run_cli("-p", study, *args)
    assert result.exit_code == 0, result.output
    written = study.parent / "exports" / name
    assert written.is_file() and written.stat().st_size > 0
    assert str(written) in result.output
    assert not any(Path.cwd().iterdir())  # nothing in the current folder
    assert not (PACKAGE_PARENT / "exports" / name).exists()  # nor beside the package


def test_an_exports_file_in_the_way_is_a_clear_error(study, run_cli):
    (study.parent / "exports").write_text("not a folder")
    before = file_digest(study)
    result = run_cli("-p", study, "export", "codebook")
    assert result.exit_code == 1
    assert "exports is not a folder" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert file_digest(study) == before


def test_an_explicit_output_makes_no_exports_folder(study, run_cli, tmp_path):
    result = run_cli("-p", study, "export", "codebook", "-o", tmp_path / "cb.docx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cb.docx").is_file()
    assert not (study.parent / "exports").exists()
