"""Bulk loading of codings (store.bulk): the rows, once each, with valid GUIDs, the
indexes rebuilt, and nothing changed when a row is refused."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from qualcode import Project
from qualcode.store import bulk
from qualcode.store import codes as store_codes
from qualcode.store import db as store_db
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
