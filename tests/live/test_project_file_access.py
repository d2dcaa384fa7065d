"""While a connection is open, the project file, its -wal and -shm are reached through
SQLite only: a second connection in the same process does not unlock the first, so
another program can never delete the write-ahead log from under it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qualcode import Project, QualcodeError, open_files

from ..conftest import file_digest

REPO = Path(__file__).resolve().parents[2]

OTHER_PROGRAM = textwrap.dedent("""
    import sys
    from qualcode import Project
    path, title = sys.argv[1], sys.argv[2]
    with Project.open(path) as project:
        project.coder = "other"
        if title != "-":
            project.memos.add("project", title)
        print("|".join(sorted(m.title for m in project.memos.all())))
""")


def other_program(path: Path, title: str = "-") -> list[str]:
    """Run a separate process that opens the project (writing a memo unless title is
    "-"), closes it, and returns the memo titles it saw."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", OTHER_PROGRAM, str(path), title], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().split("|")


@pytest.mark.parametrize("second", ["open", "open_reader"])
def test_nested_open_then_a_write_from_another_process(project_path, second):
    first = Project.open(project_path)
    try:
        first.coder = "here"
        first.memos.add("project", "one")
        # A second connection in this process, opened and closed the way a TUI worker does.
        getattr(Project, second)(project_path).close()
        assert other_program(project_path, "two") == ["one", "two"]
        # The other program closed its connection; ours is still open, so the log stays.
        assert Path(f"{project_path}-wal").exists()
        assert sorted(m.title for m in first.memos.all()) == ["one", "two"]
        first.memos.add("project", "three")
        assert other_program(project_path) == ["one", "three", "two"]
    finally:
        first.close()
    with Project.open(project_path) as again:
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_open_connections_are_registered_until_closed(project_path):
    assert open_files.open_project_files() == []
    project = Project.open(project_path)
    reader = Project.open_reader(project_path)
    assert open_files.open_project_files() == [project_path.resolve()]
    assert open_files.is_open_project_file(project_path)
    assert open_files.is_open_project_file(f"{project_path}-wal")
    link = project_path.with_name("another-name.qualcode")
    os.link(project_path, link)
    assert open_files.is_open_project_file(link)  # a hard link is the same file
    reader.close()
    assert open_files.is_open_project_file(project_path)
    project.close()
    assert open_files.open_project_files() == []
    assert not open_files.is_open_project_file(project_path)


def test_a_reader_connection_refuses_writes(project_path):
    with Project.open_reader(project_path) as reader:
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            reader.memos.add("project", "not allowed")
    with Project.open(project_path) as project:
        assert project.memos.all() == []


def test_data_version_moves_with_other_connections_only(project_path):
    with Project.open(project_path) as here:
        start = here.data_version()
        here.memos.add("project", "mine")
        assert here.data_version() == start  # our own commit
        other_program(project_path, "theirs")
        assert here.data_version() != start


@pytest.mark.parametrize("command", [
    ("import", "{link}", "--participant", "P01", "--wave", "W1"),
    ("import", "--manifest", "{project}"),
    ("import", "--manifest", "{project}-wal"),
    ("codebook", "load", "{project}"),
    ("namekey", "import", "{project}"),
    ("study", "load", "{project}"),
])
def test_the_open_project_is_never_read_as_an_input_file(project_path, run_cli, command):
    with Project.open(project_path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        project.memos.add("project", "keeps the log busy")  # a -wal with content beside the file
    link = project_path.with_name("interview.txt")  # a transcript's name, the project's bytes
    link.symlink_to(project_path.name)
    before = file_digest(project_path)
    args = [a.format(project=project_path, link=link) for a in command]
    result = run_cli("-p", str(project_path), *args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is the open project file" in lines[0], result.stderr
    assert file_digest(project_path) == before


def test_a_project_with_a_damaged_first_page_gives_one_line(tmp_path, run_cli):
    path = tmp_path / "damaged.qualcode"
    with Project.create(path) as project:
        project.study.add_participant("P01")
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the header survives, the schema page does not
    path.write_bytes(bytes(data))
    before = file_digest(path)
    result = run_cli("-p", str(path), "status")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: damaged.qualcode: is damaged"), result.stderr
    assert file_digest(path) == before
    with pytest.raises(QualcodeError, match="damaged.qualcode: is damaged"):
        Project.open(path)


def test_example_force_refuses_a_project_open_elsewhere(tmp_path, run_cli):
    dest = tmp_path / "ex.qualcode"
    Project.create(dest, title="stands in for the example").close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, sqlite3; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM meta').fetchone(); print('open', flush=True); sys.stdin.read()",
         str(dest)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = file_digest(dest)
        result = run_cli("example", str(dest), "--force")
        assert result.exit_code == 1
        assert "is open in another program" in result.stderr
        assert file_digest(dest) == before
    finally:
        holder.communicate("", timeout=60)
    assert not Project.in_use_elsewhere(dest)


def test_the_guard_sees_qualcode_opening_an_open_project(project_path, monkeypatch,
                                                         project_files_only_through_sqlite):
    """The suite-wide watch (tests/conftest.py) is live: with the input check switched
    off, reading the open project as a transcript is caught."""
    from qualcode import input_files
    from qualcode.ingest import encoding

    monkeypatch.setattr(input_files, "refuse_open_project_file", lambda *a, **k: None)
    with Project.open(project_path):
        with pytest.raises(AssertionError, match="outside SQLite"):
            encoding.read_source(project_path)
    project_files_only_through_sqlite.clear()  # caught on purpose: not a failure here
