"""The project file: creation, schema, migrations, bad files, isolation from Textual."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest
from sqlite_utils import Database

from qualcode import Project, QualcodeError
from qualcode.store import db as store_db
from qualcode.store import schema

from .conftest import file_digest


def test_new_project_is_wal_with_foreign_keys_and_owner_only(tmp_path):
    path = tmp_path / "a.qualcode"
    with Project.create(path, title="A") as project:
        assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert project.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert project.schema_version == schema.current_version()
        assert project.title == "A"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_every_lookup_column_is_indexed(project):
    # Foreign keys are the lookup paths: each must lead an index (or the primary key).
    db = project.db
    missing = []
    for table in db.table_names():
        if table.startswith(("turn_fts", "_sqlite")):
            continue
        indexed_first = {idx.columns[0] for idx in db[table].indexes if idx.columns}
        pks = db[table].pks
        for fk in db[table].foreign_keys:
            if fk.column not in indexed_first and fk.column != pks[0]:
                missing.append(f"{table}.{fk.column}")
    assert missing == []


def test_create_refuses_existing_file(tmp_path):
    path = tmp_path / "a.qualcode"
    Project.create(path).close()
    with pytest.raises(QualcodeError, match="already exists"):
        Project.create(path)


def test_open_missing_file():
    with pytest.raises(QualcodeError, match="no such project file"):
        Project.open("/nonexistent/none.qualcode")


def test_open_text_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.qualcode"
    path.write_text("these are my notes\n")
    before = file_digest(path)
    with pytest.raises(QualcodeError, match="notes.qualcode: is not a qualcode project"):
        Project.open(path)
    assert file_digest(path) == before


def test_open_other_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.qualcode"
    Database(path)["things"].insert({"a": 1})
    before = file_digest(path)
    with pytest.raises(QualcodeError, match="SQLite database but not a qualcode project"):
        Project.open(path)
    assert file_digest(path) == before


def test_truncated_project_is_refused(tmp_path):
    path = tmp_path / "t.qualcode"
    with Project.create(path) as project:
        for i in range(300):
            project.study.add_participant(f"P{i:03d}", role="client", attributes={"note": "x" * 200})
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(QualcodeError, match="truncated"):
        Project.open(path)


def test_newer_schema_is_refused_and_untouched(tmp_path):
    path = tmp_path / "new.qualcode"
    with Project.create(path) as project:
        project.db["_sqlite_migrations"].insert(
            {"migration_set": "qualcode", "name": "m999_from_the_future", "applied_at": "2099"}
        )
    before = file_digest(path)
    with pytest.raises(QualcodeError, match="newer qualcode"):
        Project.open(path)
    assert file_digest(path) == before


def test_migration_from_previous_version_keeps_data_and_backs_up(tmp_path):
    # Build a file at version N-1 (every migration but the last), fill it, then open
    # it with the current code.
    path = tmp_path / "old.qualcode"
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    old = Database(path)
    last = schema.migration_names()[-1]
    schema.MIGRATIONS.apply(old, stop_before=last)
    assert len(schema.MIGRATIONS.applied(old)) == schema.current_version() - 1
    old["meta"].insert({"key": "title", "value": "Old study"})
    old.execute(
        "INSERT INTO participants (guid, pid, pseudonym, role, site, created) "
        "VALUES ('g-1', 'C01', 'Janet', 'client', 'Northgate', '2025-01-01')"
    )
    old.conn.commit()
    old.close()

    with Project.open(path) as project:
        assert project.schema_version == schema.current_version()
        assert project.title == "Old study"
        person = project.study.participant("C01")
        assert (person.guid, person.pseudonym, person.site) == ("g-1", "Janet", "Northgate")
        # The upgraded file works: an undoable action and its undo.
        project.study.set_participant("C01", {"sex": "F"})
        project.undo()
        assert project.study.participant("C01").attributes == {}
    backups = list(tmp_path.glob("old.qualcode.v*.bak"))
    assert len(backups) == 1
    backup = Database(backups[0])
    assert len(schema.MIGRATIONS.applied(backup)) == schema.current_version() - 1
    assert backup.execute("SELECT pid FROM participants").fetchall() == [("C01",)]


def test_failed_action_leaves_nothing_behind(project):
    project.study.add_participant("C01")
    before = project.db.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(QualcodeError):
        # The second attribute's empty name fails after the first was written.
        project.study.set_participant("C01", {"sex": "F", " ": "x"})
    assert project.study.participant("C01").attributes == {}
    assert project.db.execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_core_does_not_import_textual():
    code = (
        "import sys, qualcode, qualcode.cli, qualcode.project, qualcode.store.db\n"
        "import qualcode.ingest, qualcode.coding\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_concurrent_writer_waits_instead_of_failing(tmp_path):
    path = tmp_path / "c.qualcode"
    Project.create(path).close()
    a, b = Project.open(path), Project.open(path)
    try:
        with store_db.write(a.db):
            a.db.execute("INSERT INTO meta (key, value) VALUES ('x', '1')")
            # b cannot take the write lock now; with a tiny timeout it reports busy.
            b.db.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(sqlite3.OperationalError):
                with store_db.write(b.db):
                    pass
        b.db.execute("PRAGMA busy_timeout = 30000")
        b.study.add_participant("C02")
        assert a.study.participant("C02").pid == "C02"
    finally:
        a.close()
        b.close()


def test_commands_start_without_loading_spacy():
    # spaCy costs a second to import; commands that do not split or match text skip it.
    code = (
        "import sys, qualcode.cli\n"
        "from qualcode.cli import cli\n"
        "print(','.join(sorted(m for m in sys.modules if m == 'spacy' or m.startswith('spacy.'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
