"""Counting coded passages, not codings: every figure worked out by hand on tiny
projects (see qualcode.analysis.passages for the rule)."""

from __future__ import annotations

import pytest

from qualcode import Project
from qualcode.analysis.passages import count_packed, merge, pack
from qualcode.records.analysis import PassageCounts

BODY = "abcdefghij" * 7  # 70 characters, one respondent turn


@pytest.fixture
def coded(tmp_path) -> Project:
    """P1's one interview at W1; codes A and B under category Cat.

        anna A [0,10)   ben A [5,15)    -> one passage of A, 15 characters
        anna A [20,30)  anna B [25,35)  -> a passage of A, one of B; one of Cat [20,35)
        anna A [40,50)  anna A [50,60)  -> touching, not overlapping: two passages
    A: 5 codings, 4 passages, 15 + 10 + 10 + 10 = 45 characters (codings sum to 50).
    B: 1 passage. Cat (A and B merged): [0,15) [20,35) [40,50) [50,60): 4 passages, 50.
    """
    (tmp_path / "P1_W1.txt").write_text(f"Interviewer: Hello.\nR: {BODY}\n", encoding="utf-8")
    with Project.create(tmp_path / "p.qualcode") as p:
        p.study.add_wave("W1")
        p.study.add_participant("P1", role="client")
        p.transcripts.import_transcript(tmp_path / "P1_W1.txt", participant="P1", wave="W1")
        o = p.transcripts.get("P1_W1").text.index(BODY)
        p.codebook.add_code("Cat", category=True)
        p.codebook.add_code("A", parent="Cat")
        p.codebook.add_code("B", parent="Cat")
        p.coder = "anna"
        p.coding.apply_spans([("P1_W1", "A", o + s, o + e) for s, e in ((0, 10), (20, 30), (40, 50), (50, 60))]
                      + [("P1_W1", "B", o + 25, o + 35)], summary="anna")
        p.coder = "ben"
        p.coding.apply_spans([("P1_W1", "A", o + 5, o + 15)], summary="ben")
        yield p


def cell(matrix, column):
    return matrix.rows[0].values[matrix.columns.index(column)]


def test_cube_counts_passages_and_their_characters(coded):
    assert cell(coded.analysis.matrix(measure="count"), "A") == 4
    assert cell(coded.analysis.matrix(measure="chars"), "A") == 45
    assert cell(coded.analysis.matrix(measure="count"), "B") == 1
    # a chosen coder's own passages
    assert cell(coded.analysis.matrix(measure="count", coders=["anna"]), "A") == 4
    assert cell(coded.analysis.matrix(measure="chars", coders=["anna"]), "A") == 40
    assert cell(coded.analysis.matrix(measure="count", coders=["ben"]), "A") == 1
    # a category column merges its codes' passages where they overlap
    assert cell(coded.analysis.matrix(measure="count", level="category"), "Cat") == 4
    assert cell(coded.analysis.matrix(measure="chars", level="category"), "Cat") == 50


def test_codebook_counts(coded):
    counts = coded.analysis.passage_counts()
    assert counts["A"] == PassageCounts(own={"W1": 4}, inclusive={"W1": 4})
    assert counts["B"].own == {"W1": 1}
    assert counts["Cat"] == PassageCounts(own={}, inclusive={"W1": 4})
    assert coded.analysis.passage_counts(coders=["ben"])["Cat"].inclusive == {"W1": 1}


def test_change_and_cooccurrence_see_passages(coded):
    report = coded.analysis.change_report()
    assert {s.code: s.evidence["W1"].codings for s in report.sample} == {"A": 4, "B": 1}
    result = coded.analysis.cooccurrence(scope="overlap")
    a, b = coded.codebook.code("A").id, coded.codebook.code("B").id
    assert result.freq == {a: 4, b: 1}
    assert result.edge(a, b).count == 1          # [20,30) meets [25,35) once


def test_focus_group_passage_belongs_to_who_speaks_where_it_starts(tmp_path):
    """anna codes Lee's turn; ben's coding of the same code starts in Dee's turn and
    reaches back into Lee's: one passage, Lee's."""
    (tmp_path / "FG.txt").write_text("Moderator: Go on.\nLee: one two three four\nDee: five six seven\n"
                                     "Moderator: Thanks.\nLee: Yes.\nDee: Bye.\n",
                                     encoding="utf-8")
    with Project.create(tmp_path / "fg.qualcode") as p:
        p.study.add_wave("W1")
        p.study.add_participant("L1")
        p.study.add_participant("D1")
        p.transcripts.import_transcript(tmp_path / "FG.txt", wave="W1", kind="focus-group",
                            speaker_map={"Lee": "L1", "Dee": "D1"})
        text = p.transcripts.get("FG").text
        p.codebook.add_code("X")
        p.coder = "anna"
        p.coding.apply_spans([("FG", "X", text.index("one"), text.index("four") + 4)], summary="a")
        p.coder = "ben"
        p.coding.apply_spans([("FG", "X", text.index("three"), text.index("six") + 3)], summary="b")
        m = p.analysis.matrix(measure="count")
        values = {r.labels[0]: r.values[0] for r in m.rows}
        assert values == {"D1": 0, "L1": 1}


def test_pure_functions_agree():
    rows = [(7, 0, 10), (7, 5, 15), (7, 20, 30), (7, 30, 31), (9, 0, 4), (9, 1, 2)]
    assert count_packed(pack(rows, 8), 8) == {7: (3, 26), 9: (1, 4)}
    # rows of several coders within a group need not be in start order
    shuffled = [rows[2], rows[0], rows[3], rows[1], rows[5], rows[4]]
    shuffled.sort(key=lambda r: r[0])
    assert count_packed(pack(shuffled, 8), 8) == {7: (3, 26), 9: (1, 4)}
    passages = merge([{"transcript": t, "start": s, "end": e} for t, s, e in rows])
    assert [len(p) for p in passages] == [2, 1, 1, 2]
