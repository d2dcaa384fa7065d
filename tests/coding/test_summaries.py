"""The summary grid: summaries per participant (or case) x wave x theme, their citations,
undo, the grid's layout, and refusals that leave the project as it was."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode import Project, QualcodeError
from qualcode.errors import NotFoundError
from qualcode.model import Target
from qualcode.records import MemoLink
from qualcode.store.schema import MIGRATIONS

from ..conftest import file_digest
from .conftest import fk_problems


@pytest.fixture
def charted(study):
    study.codebook.add_code("Trust")
    study.codebook.add_code("Loss")
    [first] = study.coding.tag("p01_w1", "Trust", Target(turn=2))
    [second] = study.coding.tag("p02_w2", "Loss", Target(turn=2))
    study.first, study.second = first.id, second.id
    return study


def test_set_and_read_a_participant_summary_with_citations(charted):
    summary = charted.summaries.set("P01", "W1", "Trust", "  Trusts Sam from the start.\n", cite=[charted.first])
    assert (summary.row, summary.row_kind, summary.wave, summary.theme, summary.theme_kind) == \
        ("P01", "participant", "W1", "Trust", "code")
    assert summary.body == "Trusts Sam from the start." and summary.author == "tester"
    [citation] = summary.citations
    assert citation.present and citation.transcript == "p01_w1" and citation.code == "Trust"
    assert citation.quote == "My doctor told me about it. She said my blood pressure was high. I was a bit scared, to be honest."
    assert charted.summaries.get("P01", "W1", "Trust") == summary


def test_rewriting_keeps_one_summary_per_cell_and_its_citations_unless_given(charted):
    charted.summaries.set("P01", "W1", "Trust", "First.", cite=[charted.first])
    again = charted.summaries.set("P01", "W1", "Trust", "Second.")
    assert again.body == "Second." and len(again.citations) == 1
    cleared = charted.summaries.set("P01", "W1", "Trust", "Third.", cite=[])
    assert cleared.citations == ()
    assert [s.body for s in charted.summaries.all()] == ["Third."]
    assert charted.db.execute("SELECT count(*) FROM summaries").fetchone()[0] == 1


def test_case_rows_are_sites_and_dimensions_are_free_names(charted):
    summary = charted.summaries.set("Northgate", "W1", "Funding", "Public health.", case=True, dimension=True)
    assert (summary.row, summary.row_kind, summary.theme_kind) == ("Northgate", "case", "dimension")
    # the same words as a participant row or as a code are other cells
    with pytest.raises(NotFoundError, match="no participant 'Northgate'"):
        charted.summaries.get("Northgate", "W1", "Funding", dimension=True)
    with pytest.raises(NotFoundError, match="no case 'Southgate': cases are the participants' sites "
                                            r"\(Northgate, Riverside\)"):
        charted.summaries.set("Southgate", "W1", "Funding", "x", case=True, dimension=True)


def test_a_dimension_may_not_take_a_code_name(charted):
    with pytest.raises(QualcodeError, match="'Trust' is a code of the codebook"):
        charted.summaries.set("Northgate", "W1", "Trust", "x", case=True, dimension=True)


def test_editing_a_coding_keeps_the_citation_and_deleting_it_leaves_it_dangling(charted):
    charted.summaries.set("P02", "W2", "Loss", "Let down.", cite=[charted.second])
    charted.coding.set_coding_memo(charted.second, "edited")
    [kept] = charted.summaries.get("P02", "W2", "Loss").citations
    assert kept.present and kept.coding_id == charted.second
    charted.coding.remove_coding(charted.second)
    [dangling] = charted.summaries.get("P02", "W2", "Loss").citations
    assert not dangling.present and dangling.transcript is None
    assert dangling.quote == "I stopped walking when the weather turned. The trainer left and nobody rang me."
    charted.undo()  # the coding comes back, and the citation is whole again
    assert charted.summaries.get("P02", "W2", "Loss").citations[0].present


def test_set_rewrite_and_delete_are_each_one_undoable_logged_action(charted):
    charted.summaries.set("P01", "W1", "Trust", "First.", cite=[charted.first])
    charted.summaries.set("P01", "W1", "Trust", "Second.")
    charted.summaries.delete("P01", "W1", "Trust")
    actions = [e.action for e in charted.log(limit=3)]
    assert sorted(actions) == ["summary.delete", "summary.set", "summary.set"]
    assert charted.summaries.all() == []
    charted.undo()
    assert charted.summaries.get("P01", "W1", "Trust").body == "Second."
    charted.undo()
    restored = charted.summaries.get("P01", "W1", "Trust")
    assert restored.body == "First." and len(restored.citations) == 1
    charted.undo()
    assert charted.summaries.all() == []
    charted.redo()
    assert charted.summaries.get("P01", "W1", "Trust").body == "First."
    assert fk_problems(charted) == []


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("P09", "W1", "Trust", "x"), {}, "no participant 'P09'"),
    (("P01", "W9", "Trust", "x"), {}, "no wave 'W9'"),
    (("P01", "W1", "Nothing", "x"), {}, "no code 'Nothing'"),
    (("P01", "W1", "Trust", "  \n"), {}, "is empty"),
    (("P01", "W1", "  ", "x"), {}, "theme is empty"),
    (("P01", "W1", "Trust", "x"), {"cite": [999]}, "no coding with id 999 to cite"),
])
def test_refusals_leave_the_file_as_it_was(charted, args, kwargs, message):
    path = charted.path
    charted.summaries.set("P01", "W1", "Trust", "Before.")
    charted.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(path)
    with pytest.raises(QualcodeError, match=message):
        charted.summaries.set(*args, **kwargs)
    charted.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_digest(path) == before


def test_grid_rows_waves_and_themes_in_study_order(charted):
    charted.codebook.add_code("Hope")
    charted.summaries.set("P02", "W2", "Loss", "Let down.")
    charted.summaries.set("P01", "W1", "Trust", "Trusts Sam.")
    charted.summaries.set("P01", "W2", "Loss", "Nothing lost yet.")
    grid = charted.summaries.grid()
    assert grid.rows == ("P01", "P02") and grid.waves == ("W1", "W2")
    assert grid.themes == ("Trust", "Loss")  # codebook order; 'Hope' has no summary
    cells = grid.by_cell()
    assert cells["P01", "W1", "Trust"].body == "Trusts Sam." and ("P02", "W1", "Loss") not in cells
    only = charted.summaries.grid(themes=["Loss"], waves=["W2"])
    assert only.themes == ("Loss",) and {s.row for s in only.summaries} == {"P01", "P02"}
    assert charted.summaries.grid(rows=["P02"]).rows == ("P02",)
    assert charted.summaries.grid(cases=True).summaries == ()
    assert charted.summaries.grid(all_rows=True, cases=True).rows == ("Northgate", "Riverside")


def test_all_filters(charted):
    charted.summaries.set("P01", "W1", "Trust", "a")
    charted.summaries.set("P01", "W2", "Loss", "b")
    charted.summaries.set("Northgate", "W1", "Funding", "c", case=True, dimension=True)
    assert [s.body for s in charted.summaries.all(participant="P01")] == ["a", "b"]
    assert [s.body for s in charted.summaries.all(wave="W1")] == ["c", "a"]
    assert [s.body for s in charted.summaries.all(theme="Loss")] == ["b"]
    assert [s.body for s in charted.summaries.all(row_kind="case")] == ["c"]
    assert [s.body for s in charted.summaries.all(case="Northgate", dimension="Funding")] == ["c"]


def test_the_database_refuses_a_cell_twice_and_a_row_of_both_kinds(charted):
    charted.summaries.set("P01", "W1", "Trust", "x")
    db = charted.db.conn
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO summaries (guid, participant_id, wave_id, code_id, body, created, updated) "
                   "SELECT 'g2', participant_id, wave_id, code_id, 'y', created, updated FROM summaries")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO summaries (guid, participant_id, site, wave_id, dimension, body, created, updated) "
                   "VALUES ('g3', 1, 'Northgate', 1, 'Funding', 'y', '', '')")
    db.rollback()


def test_migration_keeps_memos_and_links_and_admits_the_new_types(tmp_path):
    path = tmp_path / "old.qualcode"
    Project.create(path).close()
    # Take the file back to the schema before the summary grid, with a memo and a link.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    # Only m009 is undone: the migrations after it touch other tables and stay applied.
    conn.execute("DROP TABLE summary_citations")
    conn.execute("DROP TABLE summaries")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_summary_grid'")
    conn.execute("INSERT INTO waves (guid, label, ordinal) VALUES ('w', 'W1', 1)")
    conn.execute("INSERT INTO memos (id, guid, type, title, body, created, updated) "
                 "VALUES (7, 'm', 'project', 'Kept', 'body', '', '')")
    conn.execute("INSERT INTO memo_links (memo_id, wave_id) VALUES (7, 1)")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project.schema_version == len(MIGRATIONS.names())
        [memo] = project.memos.all()
        assert (memo.id, memo.title, [str(link) for link in memo.links]) == (7, "Kept", ["wave:W1"])
        project.study.add_participant("P01")
        thread = project.memos.add("through-line", "A thread", "x", links=[MemoLink("participant", "P01")])
        assert thread.type == "through-line"
        project.memos.delete(7)  # the links still cascade from the rebuilt table
        assert project.db.execute("SELECT count(*) FROM memo_links WHERE memo_id = 7").fetchone()[0] == 0
        assert project.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_blind_copy_keeps_only_the_coders_own_summaries(charted, tmp_path):
    charted.summaries.set("P01", "W1", "Trust", "Mine.")
    charted.summaries.set("P02", "W2", "Loss", "Anna's.", author="anna")
    charted.agreement.export_for_coder("tester", tmp_path / "blind.qualcode")
    with Project.open(tmp_path / "blind.qualcode") as blind:
        assert [s.body for s in blind.summaries.all()] == ["Mine."]
