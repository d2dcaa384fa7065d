"""The cube, its attendance mask, matrices and the framework matrix (answers by hand:
see the table in conftest.py)."""

from __future__ import annotations

import pytest

from qualcode import QualcodeError
from qualcode.analysis import cube as cube_mod


def ids(project):
    c = project.analysis.cube()
    people = {p["pid"]: p["id"] for p in c.participants.values()}
    waves = {w["label"]: w["id"] for w in c.waves}
    codes = {k["name"]: k["id"] for k in c.codes.values()}
    return c, people, waves, codes


def test_cube_counts_chars_presence(longitudinal):
    c, p, w, k = ids(longitudinal)
    assert c.value(p["P1"], w["W2"], k["Surge"], "count") == 3
    assert c.value(p["P1"], w["W2"], k["Surge"], "chars") == 24
    assert c.value(p["P1"], w["W2"], k["Surge"], "presence") == 1
    assert c.value(p["P1"], w["W1"], k["Emerge"], "count") == 0     # observed, absent
    assert c.value(p["P1"], w["W1"], k["Emerge"], "presence") == 0
    assert c.value(p["P1"], w["W3"], k["Constant"], "chars") == 16
    assert c.value(p["P3"], w["W1"], k["Constant"], "count") == 1
    # The focus group: Tess's coding is T1's, the moderator's is nobody's.
    assert c.value(p["T1"], w["W2"], k["Surge"], "count") == 1
    assert c.unattributed == {(w["W2"], k["Constant"]): (1, 6)}
    # P1 7 + 10 + 8, P2 2 + 1, P3 1, T1 1 = 30 attributed; + 1 unattributed = 31
    assert sum(n for n, _ in c.cells.values()) == 30
    assert len(longitudinal.coding.codings()) == 31


def test_attendance_mask_missing_is_not_absent(longitudinal):
    c, p, w, k = ids(longitudinal)
    assert c.status_of(p["P2"], w["W2"]) == "missed"
    assert c.value(p["P2"], w["W2"], k["Constant"]) is None          # missing
    assert c.value(p["P2"], w["W3"], k["Cease"]) == 0                # absent
    assert c.status_of(p["P3"], w["W3"]) == "withdrawn"
    assert c.value(p["P3"], w["W3"], k["Constant"], "presence") is None
    assert c.status_of(p["T1"], w["W2"]) == "focus-group"            # data, not an interview
    assert c.observed(p["T1"], w["W2"])
    assert c.status_of(p["T1"], w["W1"]) == "none"
    assert c.value(p["T1"], w["W1"], k["Surge"]) is None


def test_matrix_by_participant(longitudinal):
    m = longitudinal.analysis.matrix(codes=["Constant", "Cease"])
    rows = {r.labels: r for r in m.rows}
    assert m.columns == ("Constant", "Cease")
    assert rows[("P1", "W1")].values == (2, 1)
    assert rows[("P2", "W2")].values == (None, None)
    assert rows[("P2", "W2")].status == "missed"
    assert rows[("P2", "W3")].values == (1, 0)
    assert rows[("T1", "W2")].values == (0, 0)
    assert rows[("T1", "W1")].status == "none"
    assert len(m.rows) == 4 * 3


def test_matrix_by_wave_and_site(longitudinal):
    m = longitudinal.analysis.matrix(by="wave", codes=["Constant"])
    assert [(r.labels, r.n, r.values) for r in m.rows] == [
        (("W1",), 3, (4,)), (("W2",), 2, (2,)), (("W3",), 2, (3,))]
    m = longitudinal.analysis.matrix(by="wave", measure="presence", codes=["Constant"])
    assert [r.values for r in m.rows] == [(3,), (1,), (2,)]
    m = longitudinal.analysis.matrix(by="site", measure="presence", codes=["Constant", "Surge"])
    rows = {r.labels: (r.n, r.values) for r in m.rows}
    assert rows[("A", "W1")] == (2, (2, 1))
    assert rows[("A", "W2")] == (1, (1, 1))
    assert rows[("B", "W2")] == (1, (0, 1))      # T1 in the focus group
    assert rows[("B", "W3")] == (0, (None, None))  # nobody from B seen at W3


def test_matrix_category_level_sums_codes(longitudinal):
    m = longitudinal.analysis.matrix(by="wave", level="category")
    assert m.columns == ("Longitudinal",)
    # W1: P1 7 + P2 2 + P3 1; W2: P1 10 + T1 1; W3: P1 8 + P2 1
    assert [r.values for r in m.rows] == [(10,), (11,), (9,)]
    m = longitudinal.analysis.matrix(category="Longitudinal")
    assert m.columns == ("Emerge", "Increase", "Surge", "Decrease", "Cease", "Constant")


def test_matrix_errors(longitudinal):
    with pytest.raises(QualcodeError, match="no code"):
        longitudinal.analysis.matrix(codes=["Nope"])
    with pytest.raises(QualcodeError, match="measure"):
        longitudinal.analysis.matrix(measure="bogus")
    with pytest.raises(QualcodeError, match="--by"):
        longitudinal.analysis.matrix(by="planet")


def test_framework_matrix_sheets_per_wave(longitudinal):
    frame = longitudinal.analysis.framework_matrix(by="site", codes=["Surge", "Cease"])
    assert frame.columns == ("Surge", "Cease")
    assert list(frame.sheets) == ["W1", "W2", "W3"]
    w1 = {row.case: row.cells for row in frame.sheets["W1"]}
    # P1 at W1: Increase word 0, Surge word 1, Decrease 2-3, Cease 4; P2: Cease word 0.
    assert w1["A"] == ("wp1w1001", "wp1w1004 | wp2w1000")
    assert w1["B"] == ("", "")                  # P3 seen, nothing of these codes
    w2 = {row.case: row.cells for row in frame.sheets["W2"]}
    assert w2["B"] == ("tfg000", "")            # the trainer in the focus group
    w3 = {row.case for row in frame.sheets["W3"]}
    assert w3 == {"A"}                          # site B has no data at W3


def test_tree_order_and_category_of():
    codes = {
        1: {"id": 1, "name": "Top", "parent_id": None, "is_category": 1, "position": 1},
        2: {"id": 2, "name": "b", "parent_id": 1, "is_category": 0, "position": 2},
        3: {"id": 3, "name": "a", "parent_id": 1, "is_category": 0, "position": 1},
        4: {"id": 4, "name": "Other", "parent_id": None, "is_category": 0, "position": 2},
    }
    assert cube_mod.tree_order(codes) == [1, 3, 2, 4]
