"""Every command that writes a file refuses the open project and its companions (by any
name: a link, a hard link, a linked folder), writes atomically, and leaves the output
readable by its owner only, replacing (never following) a link at the target."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qualcode import Project, outputs
from qualcode.errors import QualcodeError

from ..conftest import file_digest
from . import hostile

# Every writer of the CLI; {out} is the output file, {dir} a scratch folder.
WRITERS = {
    "codebook save": ["codebook", "save", "{out}.yaml"],
    "codebook save qdc": ["codebook", "save", "{out}.qdc"],
    "codebook export": ["codebook", "export", "{out}.qdc"],
    "codebook merge plan": ["codebook", "merge", "{dir}/codebook.yaml", "--plan", "{out}.yaml"],
    "export refi": ["export", "refi", "-o", "{out}.qdpx"],
    "export docx": ["export", "docx", "-o", "{out}.docx"],
    "export docx md": ["export", "docx", "-o", "{out}.md"],
    "export docx csv": ["export", "docx", "-o", "{out}.csv"],
    "export codebook": ["export", "codebook", "-o", "{out}.docx"],
    "export matrix": ["export", "matrix", "-o", "{out}.docx"],
    "export portraits": ["export", "portraits", "-o", "{out}.docx"],
    "export methods": ["export", "methods", "-o", "{out}.docx"],
    "export segments": ["export", "segments", "-o", "{out}.csv"],
    "export segments md": ["export", "segments", "-o", "{out}.md"],
    "export segments xlsx": ["export", "segments", "-o", "{out}.xlsx"],
    "export codebook xlsx": ["export", "codebook", "-o", "{out}.xlsx"],
    "matrix xlsx": ["matrix", "--format", "xlsx", "-o", "{out}.xlsx"],
    "attendance csv": ["attendance", "-o", "{out}.csv"],
    "attendance xlsx": ["attendance", "-o", "{out}.xlsx"],
    "describe csv": ["describe", "-o", "{out}.csv"],
    "agree csv": ["agree", "--coders", "anna", "ben", "-o", "{out}.csv"],
    "agree xlsx": ["agree", "--coders", "anna", "ben", "--disagreements", "-o", "{out}.xlsx"],
    "matrix csv": ["matrix", "--format", "csv", "-o", "{out}.csv"],
    "matrix md": ["matrix", "--format", "md", "-o", "{out}.md"],
    "matrix json": ["matrix", "--format", "json", "-o", "{out}.json"],
    "framework matrix md": ["matrix", "--measure", "text", "--format", "md", "-o", "{out}.md"],
    "saturation json": ["saturation", "--format", "json", "-o", "{out}.json"],
    "saturation png": ["saturation", "--format", "png", "-o", "{out}.png"],
    "cooccur graphml": ["cooccur", "-o", "{out}.graphml"],
    "cooccur gexf": ["cooccur", "-o", "{out}.gexf"],
    "cooccur json": ["cooccur", "-o", "{out}.json"],
    "cooccur csv": ["cooccur", "-o", "{out}.csv"],
    "cooccur png": ["cooccur", "-o", "{out}.png"],
    "namekey export": ["namekey", "export", "{out}.csv"],
    "namekey export --remove": ["namekey", "export", "{out}.csv", "--remove"],
}
# Writers that take any file name, the project's own included.
ANY_NAME = ["codebook save", "codebook merge plan", "export refi", "matrix csv", "matrix json",
            "saturation json", "namekey export", "namekey export --remove"]


@pytest.fixture
def study(tmp_path) -> Path:
    path = hostile.build(tmp_path / "study", "", name_key=True)
    with Project.open(path) as project:
        project.codebook.save(tmp_path / "study" / "codebook.yaml")
    return path


def command(name: str, study: Path, out: str) -> list[str]:
    """The writer's command line with ``out`` in place of its ``{out}.suffix``."""
    args = [out if a.startswith("{out}") else a.replace("{dir}", str(study.parent))
            for a in WRITERS[name]]
    return ["-p", str(study), *args]


def suffix_of(name: str) -> str:
    return Path(next(a for a in WRITERS[name] if a.startswith("{out}"))).suffix


def assert_refused(result, study: Path, before: str, words: str = "open project") -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0], result.output
    assert file_digest(study) == before


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_link_to_the_project_is_refused(writer, study, run_cli):
    link = study.parent / f"output{suffix_of(writer)}"
    link.symlink_to(study)
    before = file_digest(study)
    assert_refused(run_cli(*command(writer, study, str(link))), study, before)
    assert link.is_symlink()


@pytest.mark.parametrize("writer", ANY_NAME)
@pytest.mark.parametrize("target", ["project", "wal", "shm", "hard link", "linked wal",
                                    "through a linked folder"])
def test_the_project_and_its_companions_are_refused_by_any_name(writer, target, study, run_cli, tmp_path):
    if target == "project":
        out = str(study)
    elif target in ("wal", "shm"):
        out = f"{study}-{target}"
    elif target == "hard link":
        out = str(tmp_path / "hard.csv")
        os.link(study, out)
    elif target == "linked wal":
        out = str(tmp_path / "wal-link.csv")
        os.symlink(f"{study}-wal", out)  # dangling until the project is open
    else:
        (tmp_path / "folder-link").symlink_to(study.parent)
        out = str(tmp_path / "folder-link" / study.name)
    before = file_digest(study)
    assert_refused(run_cli(*command(writer, study, out)), study, before)
    with Project.open(study) as project:  # still a whole project, key and all
        assert project.privacy.name_key()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_outputs_are_owner_only_and_replace_a_link(writer, study, run_cli, tmp_path):
    out = tmp_path / f"out{suffix_of(writer)}"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    if writer == "namekey export --remove":
        writer = "namekey export"  # the key must stay for the second run
    result = run_cli(*command(writer, study, str(out)))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes() != b"old"
    # A link at the target (to a file the user can read, or somewhere worse) is
    # replaced by the new file; what it pointed to is untouched.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    victim.chmod(0o644)
    out.unlink()
    out.symlink_to(victim)
    result = run_cli(*command(writer, study, str(out)))
    assert result.exit_code == 0, result.output
    assert not out.is_symlink() and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_for_coder_refuses_a_dangling_link_and_the_project(study, run_cli, tmp_path):
    dangling = tmp_path / "blind.qualcode"
    dangling.symlink_to(tmp_path / "nowhere" / "x.qualcode")
    before = file_digest(study)
    assert_refused(run_cli("-p", study, "export-for-coder", "ben", "-o", dangling), study, before,
                   "already exists")
    assert_refused(run_cli("-p", study, "export-for-coder", "ben", "-o", study), study, before,
                   "already exists")
    result = run_cli("-p", study, "export-for-coder", "ben", "-o", tmp_path / "ok.qualcode")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "ok.qualcode").stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_another_database_a_folder_and_a_fifo_are_refused(study, run_cli, tmp_path):
    other = tmp_path / "other.qualcode"
    Project.create(other).close()
    other_before = file_digest(other)
    before = file_digest(study)
    for out, words in ((other, "is an SQLite database"), (tmp_path, "is a folder"),
                       (tmp_path / "missing" / "x.csv", "does not exist")):
        assert_refused(run_cli("-p", study, "matrix", "--format", "csv", "-o", out), study, before, words)
    assert file_digest(other) == other_before
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert_refused(run_cli("-p", study, "matrix", "--format", "csv", "-o", fifo), study, before,
                   "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_the_core_writers_refuse_the_open_project(study, tmp_path):
    """The TUI and scripts write through the same functions: the check needs no argument,
    the open project is known."""
    from qualcode.analysis import cooccurrence as cooc
    from qualcode.export import graph as graph_export

    link = tmp_path / "network.graphml"
    link.symlink_to(study)
    before = file_digest(study)
    with Project.open(study) as project:
        graph = cooc.to_graph(project.analysis.cooccurrence(scope="overlap"), measure="count")
        with pytest.raises(QualcodeError, match="open project"):
            graph_export.write_graph(graph, link)
        for target in (study, Path(f"{study}-wal"), Path(f"{study}-shm")):
            with pytest.raises(QualcodeError, match="open project"):
                outputs.write_text(target, "x")
    assert file_digest(study) == before
    # Closed, it is no longer protected as open (it is still refused: a database).
    with pytest.raises(QualcodeError, match="is an SQLite database"):
        outputs.write_text(study, "x")


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, error):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(error), outputs.output_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise error
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
