"""Bulk loading of codings (store.bulk): the rows, once each, with valid GUIDs, the
indexes and the capture trigger rebuilt, every row captured inside an action, and
nothing changed when a row is refused."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from qualcode import Project
from qualcode.store import bulk
from qualcode.store import codes as store_codes
from qualcode.store import db as store_db
from qualcode.store import events as store_events
from qualcode.store import study as store_study

from ..conftest import file_digest
from .test_unit_counts import add_transcript


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "p.qualcode"
    with Project.create(path) as project, store_db.write(project.db):
        db = project.db
        coder = store_study.coder_id(db, "ann")
        a, b = (store_codes.insert_code(db, name, None, {}) for name in "AB")
        t1 = add_transcript(db, 1, 100, [0])
        t2 = add_transcript(db, 2, 100, [0])
    return path, coder, a, b, t1, t2


def test_rows_are_inserted_once_in_identity_order(setup):
    path, coder, a, b, t1, t2 = setup
    rows = [(t2, a, coder, 5, 9), (t1, b, coder, 0, 3), (t1, a, coder, 7, 8), (t2, a, coder, 5, 9),
            (t1, a, coder, 2, 4)]
    with Project.open(path) as project:
        assert bulk.bulk_load_codings(project.db, iter(rows)) == 4
        stored = project.db.execute(
            "SELECT guid, transcript_id, code_id, coder_id, start, end FROM codings ORDER BY id").fetchall()
        indexes = {name for (name,) in project.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'codings'")}
    assert [r[1:] for r in stored] == sorted(set(rows))
    guids = [r[0] for r in stored]
    assert guids == sorted(guids) and len(set(guids)) == 4
    assert all(uuid.UUID(g).version == 4 and str(uuid.UUID(g)) == g for g in guids)
    assert set(bulk._PLAIN_INDEXES) <= indexes


def test_nothing_to_load(setup):
    path, *_ = setup
    with Project.open(path) as project:
        assert bulk.bulk_load_codings(project.db, iter([])) == 0


def test_a_refused_row_leaves_the_file_as_it_was(setup):
    path, coder, a, _b, t1, _t2 = setup
    before = file_digest(path)
    with Project.open(path) as project:
        with pytest.raises(sqlite3.IntegrityError):
            bulk.bulk_load_codings(project.db, [(t1, a, coder, 0, 5), (t1, 999, coder, 0, 5)])
        assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0
    assert file_digest(path) == before


def test_guids_are_sorted_random_version_4():
    guids = list(bulk.sorted_guids(2000))
    assert guids == sorted(guids) and len(set(guids)) == 2000
    assert {uuid.UUID(g).version for g in guids} == {4}
    assert {uuid.UUID(g).variant for g in guids} == {uuid.RFC_4122}


def _schema(db):
    return sorted(db.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'codings'").fetchall())


def test_the_indexes_and_the_capture_trigger_come_back_as_they_were(setup):
    path, coder, a, _b, t1, _t2 = setup
    with Project.open(path) as project:
        before = _schema(project.db)
        assert bulk.bulk_load_codings(project.db, iter([(t1, a, coder, 0, 5)])) == 1
        assert _schema(project.db) == before
        # Outside an action the load records nothing for undo, as before.
        assert project.db.execute("SELECT count(*) FROM event_changes").fetchone()[0] == 0
        # The trigger is back: the next action's coding is captured.
        with store_db.recording(project.db, "tag", "one coding"):
            project.db.execute("INSERT INTO codings (guid, transcript_id, code_id, coder_id, start, end, created) "
                               "VALUES ('g', ?, ?, ?, 1, 2, 'now')", [t1, a, coder])
        assert project.db.execute("SELECT count(*) FROM event_changes WHERE tbl = 'codings'").fetchone()[0] == 1


def test_inside_an_action_every_row_is_captured_and_undone_together(setup):
    path, coder, a, b, t1, t2 = setup
    with Project.open(path) as project:
        db = project.db
        with store_db.recording(db, "load", "three codings"):
            bulk.bulk_load_codings(db, iter([(t1, a, coder, 0, 5), (t2, b, coder, 1, 4), (t1, b, coder, 3, 9)]))
        assert db.execute("SELECT count(*) FROM event_changes WHERE tbl = 'codings' AND op = 'I'").fetchone()[0] == 3
        store_events.undo(db)
        assert db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0


def test_a_row_already_stored_is_refused_and_the_file_is_left_as_it_was(setup):
    path, coder, a, _b, t1, _t2 = setup
    with Project.open(path) as project:
        bulk.bulk_load_codings(project.db, iter([(t1, a, coder, 0, 5)]))
    before = file_digest(path)
    with Project.open(path) as project:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            bulk.bulk_load_codings(project.db, [(t1, a, coder, 7, 9), (t1, a, coder, 0, 5)])
        assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 1
    assert file_digest(path) == before
