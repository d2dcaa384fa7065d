"""Several coders on one file: presence, serialised codebook edits, undo of one's own
actions, access keys and the online backup."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from qualcode import Project
from qualcode.errors import ConflictError, QualcodeError
from qualcode.team.live import EXPIRE_SECONDS, presence_line
from tests.coding.conftest import build_small_project
from tests.conftest import file_digest


@pytest.fixture
def shared(tmp_path):
    """The small coding study, open twice: as anna and as ben (two programs)."""
    path = tmp_path / "team.qualcode"
    build_small_project(path, tmp_path / "src").close()
    with Project.open(path) as anna, Project.open(path) as ben:
        anna.coder, ben.coder = "anna", "ben"
        yield anna, ben


def test_presence_names_the_others_and_where_they_are(shared):
    anna, ben = shared
    anna.presence.join(place=None, clock=1000.0)
    ben.presence.join(program="web", place="p01_w1", clock=1000.0)
    assert [(s["coder"], s["place"]) for s in anna.presence.others(clock=1001.0)] == [("ben", "p01_w1")]
    assert presence_line(anna.presence.others(clock=1001.0)) == "also here: ben (browser) on p01_w1"
    anna.presence.beat(place="p02_w2", clock=1010.0)
    assert [s["place"] for s in ben.presence.others(clock=1011.0)] == ["p02_w2"]
    assert presence_line([]) == "no one else has this project open"


def test_a_silent_session_expires_and_comes_back_with_its_next_heartbeat(shared):
    anna, ben = shared
    anna.presence.join(clock=1000.0)
    ben.presence.join(clock=1000.0)
    later = 1000.0 + EXPIRE_SECONDS + 1
    anna.presence.beat(clock=later)  # ben was killed: his row is old, and removed
    assert anna.presence.others(clock=later) == []
    assert anna.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
    ben.presence.beat(place="p01_w1", clock=later + 1)  # ben's laptop woke up
    assert [s["coder"] for s in anna.presence.others(clock=later + 2)] == ["ben"]
    ben.presence.leave()
    assert anna.presence.others(clock=later + 2) == []


def test_a_codebook_edit_on_a_stale_view_is_refused_and_changes_nothing(shared):
    anna, ben = shared
    anna.codebook.add_code("Walking", definition="Any walking")
    seen_by_ben = ben.codebook.code("Walking").revision
    anna.codebook.edit_code("Walking", definition="Walking for health", expected_revision=anna.codebook.code("Walking").revision)
    events = ben.db.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(ConflictError) as refused:
        ben.codebook.edit_code("Walking", definition="Walks", expected_revision=seen_by_ben)
    assert "changed by anna" in str(refused.value) and "edited code Walking" in str(refused.value)
    assert ben.codebook.code("Walking").definition == "Walking for health"
    assert ben.db.execute("SELECT count(*) FROM events").fetchone()[0] == events
    for edit in (lambda: ben.codebook.rename_code("Walking", "Walks", expected_revision=seen_by_ben),
                 lambda: ben.codebook.move_code("Walking", None, expected_revision=seen_by_ben),
                 lambda: ben.codebook.delete_code("Walking", expected_revision=seen_by_ben)):
        with pytest.raises(ConflictError):
            edit()
    # Looked at again, ben's change goes through.
    ben.codebook.rename_code("Walking", "Walks", expected_revision=ben.codebook.code("Walking").revision)
    assert [c.name for c in anna.codebook.codes()] == ["Walks"]


def test_an_undone_edit_gives_the_old_revision_back_and_a_new_edit_a_new_one(shared):
    anna, ben = shared
    anna.codebook.add_code("Walking")
    first = anna.codebook.code("Walking").revision
    anna.codebook.edit_code("Walking", definition="one")
    seen = ben.codebook.code("Walking").revision
    assert seen != first
    anna.undo()
    assert anna.codebook.code("Walking").revision == first  # same state, same revision
    anna.codebook.edit_code("Walking", definition="two")  # a new state: never `seen` again
    with pytest.raises(ConflictError):
        ben.codebook.edit_code("Walking", definition="three", expected_revision=seen)


def test_undo_undoes_only_ones_own_actions(shared):
    anna, ben = shared
    anna.codebook.add_code("Walking")
    text = anna.transcripts.get("p01_w1").text
    start = text.index("My doctor")
    anna.coding.apply_spans([("p01_w1", "Walking", start, start + 9)], summary="anna codes")
    ben.coding.apply_spans([("p01_w1", "Walking", start, start + 20)], summary="ben codes")
    assert anna.undo().summary == "anna codes"
    assert [(c.coder, c.end - c.start) for c in anna.coding.codings()] == [("ben", 20)]
    # ben's new action leaves anna's redo alone; anna's own would discard it.
    ben.coding.apply_spans([("p01_w1", "Walking", start, start + 30)], summary="ben again")
    assert anna.redo().summary == "anna codes"
    assert sorted(c.coder for c in anna.coding.codings()) == ["anna", "ben", "ben"]


def test_undo_is_refused_when_another_coder_changed_the_same_thing_since(shared):
    anna, ben = shared
    anna.codebook.add_code("Walking")
    anna.codebook.edit_code("Walking", definition="anna's")
    ben.codebook.edit_code("Walking", definition="ben's")
    with pytest.raises(QualcodeError, match=r"ben has changed the same thing since .*edited code Walking"):
        anna.undo()
    assert ben.codebook.code("Walking").definition == "ben's"


def test_an_access_key_names_its_coder_and_only_its_hash_is_stored(shared):
    anna, _ = shared
    key = anna.access.create("ben")
    assert anna.access.coder_for(key) == "ben"
    secret = key.split("_", 2)[2]
    stored = anna.db.execute("SELECT id, coder, salt, hash FROM access_keys").fetchall()
    assert len(stored) == 1 and secret.encode() not in b"".join(
        v if isinstance(v, bytes) else str(v).encode() for v in stored[0])
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    for bad in (None, "", "ben", wrong, key + "x", "qk_000000000000_" + secret):
        assert anna.access.coder_for(bad) is None
    assert anna.access.revoke("ben") == 1
    assert anna.access.coder_for(key) is None and not anna.access.any_active()
    # The log says a key was made, never what it is.
    assert key not in str(anna.db.execute("SELECT * FROM events").fetchall())


def test_backup_is_a_checked_owner_only_copy_made_while_another_program_writes(shared, tmp_path):
    anna, ben = shared
    anna.codebook.add_code("Walking")
    ben.db.execute("BEGIN IMMEDIATE")
    ben.db.execute("UPDATE codes SET definition = 'not committed'")
    try:
        result = anna.backup(tmp_path / "copy.qualcode")
    finally:
        ben.db.execute("ROLLBACK")
    copy = tmp_path / "copy.qualcode"
    assert result["path"] == str(copy)
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    with Project.open(copy) as restored:
        assert [(c.name, c.definition) for c in restored.codebook.codes()] == [("Walking", None)]
        assert restored.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_refuses_the_project_and_any_database_and_leaves_them_alone(shared, tmp_path):
    anna, _ = shared
    codes = anna.codebook.codes()
    for target, why in ((anna.path, "is the open project"), (f"{anna.path}-wal", "-wal")):
        with pytest.raises(QualcodeError, match=why):
            anna.backup(target)
    assert anna.codebook.codes() == codes and anna.path.exists() and os.path.exists(f"{anna.path}-wal")
    other = tmp_path / "other.qualcode"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    other_before = file_digest(other)
    with pytest.raises(QualcodeError, match="is an SQLite database"):
        anna.backup(other)
    assert file_digest(other) == other_before
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_who_backup_and_access_keys(shared, run_cli, tmp_path):
    anna, _ = shared
    anna.presence.join(place="p01_w1")
    who = run_cli("-p", anna.path, "who")
    assert who.exit_code == 0 and "anna" in who.output and "p01_w1" in who.output
    added = run_cli("-p", anna.path, "access-key", "add", "carol")
    key = added.stdout.strip()
    assert added.exit_code == 0 and anna.access.coder_for(key) == "carol"
    listed = run_cli("-p", anna.path, "access-key", "list", "--json")
    assert '"carol"' in listed.output and key not in listed.output
    assert run_cli("-p", anna.path, "access-key", "revoke", "carol").exit_code == 0
    refused = run_cli("-p", anna.path, "access-key", "revoke", "carol")
    assert refused.exit_code == 1 and "carol has no key to revoke" in refused.stderr
    done = run_cli("-p", anna.path, "backup", tmp_path / "nightly.qualcode")
    assert done.exit_code == 0 and (tmp_path / "nightly.qualcode").exists()
    again = run_cli("-p", anna.path, "backup", tmp_path / "nightly.qualcode")
    assert again.exit_code == 1 and again.stderr.count("\n") == 1
