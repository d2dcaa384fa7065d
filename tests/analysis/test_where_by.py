"""--where and --by ATTR on matrix, change, saturation, co-occurrence and segments, on the
hand-built longitudinal project (tests/analysis/conftest.py) with typed attributes:

    P1  age 9   sex F   employment W1 unemployed, W2 part-time, W3 part-time
    P2  age 10  sex M   employment W1 unemployed,               W3 full-time
    P3  age 50          employment W1 part-time
    T1  (no attributes; a trainer in the W2 focus group)

Ages are chosen so that text order (10, 50, 9) and number order (9, 10, 50) differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import QualcodeError
from qualcode.records.analysis import WaveShare

from .conftest import AnalysisProject, build_longitudinal

AGES = {"P1": "9", "P2": "10", "P3": "50"}
EMPLOYMENT = {("P1", "W1"): "unemployed", ("P1", "W2"): "part-time", ("P1", "W3"): "part-time",
              ("P2", "W1"): "unemployed", ("P2", "W3"): "full-time", ("P3", "W1"): "part-time"}


@pytest.fixture(scope="module")
def typed_path(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("typed")
    path = tmp / "typed.qualcode"
    with build_longitudinal(path, tmp) as project:
        for pid, age in AGES.items():
            project.study.set_participant(pid, {"age": age})
        for (pid, wave), value in EMPLOYMENT.items():
            project.study.set_participant(pid, {"employment": value}, wave=wave)
        project.study.declare_attribute("age", "number")
        project.study.declare_attribute("sex", "category", ["F", "M"])
        project.study.declare_attribute("employment", "category", ["unemployed", "part-time", "full-time"])
    return path


@pytest.fixture
def typed(typed_path) -> AnalysisProject:
    with AnalysisProject.open(typed_path) as project:
        yield project


def rows_of(matrix, code: str) -> list[tuple]:
    col = matrix.columns.index(code)
    return [(*r.labels, r.n, r.values[col]) for r in matrix.rows]


def test_matrix_by_age_sorts_numerically(typed):
    m = typed.analysis.matrix(by="age", codes=["Constant"])
    assert m.row_keys == ("age", "wave")
    # Constant: P1 2/2/2, P2 1/-/1 (missed W2), P3 1/-/- (withdrawn); T1 has no age and
    # was seen only in the W2 focus group, where Constant was the moderator's (nobody's).
    assert rows_of(m, "Constant") == [
        ("9", "W1", 1, 2), ("9", "W2", 1, 2), ("9", "W3", 1, 2),
        ("10", "W1", 1, 1), ("10", "W2", 0, None), ("10", "W3", 1, 1),
        ("50", "W1", 1, 1), ("50", "W2", 0, None), ("50", "W3", 0, None),
        ("(missing)", "W1", 0, None), ("(missing)", "W2", 1, 0), ("(missing)", "W3", 0, None)]


def test_matrix_by_a_per_wave_attribute_puts_people_where_they_were_at_each_wave(typed):
    m = typed.analysis.matrix(by="employment", codes=["Constant"], measure="presence")
    # W1: P1, P2 unemployed, P3 part-time. W2: P1 part-time; P2 (missed), P3 (withdrawn)
    # and T1 (focus group) have no value at W2. W3: P1 part-time, P2 full-time.
    # Categories come in their declared order; a value nobody has at a wave has no row.
    assert rows_of(m, "Constant") == [
        ("unemployed", "W1", 2, 2),
        ("part-time", "W1", 1, 1), ("part-time", "W2", 1, 1), ("part-time", "W3", 1, 1),
        ("full-time", "W3", 1, 1),
        ("(missing)", "W1", 0, None), ("(missing)", "W2", 1, 0), ("(missing)", "W3", 0, None)]
    at_w2 = typed.analysis.matrix(by="W2.employment", codes=["Constant"])
    # Everyone grouped by what they did at W2, at every wave: only P1 has a W2 value.
    assert [r[:3] for r in rows_of(at_w2, "Constant")][:3] == [
        ("part-time", "W1", 1), ("part-time", "W2", 1), ("part-time", "W3", 1)]


def test_matrix_where_keeps_people_and_waves(typed):
    women = typed.analysis.matrix(codes=["Increase"], where=["sex=F"])
    assert rows_of(women, "Increase") == [("P1", "W1", 1, 1), ("P1", "W2", 1, 1), ("P1", "W3", 1, 2)]
    older = typed.analysis.matrix(by="wave", codes=["Constant"], where=["age>=10"])
    # P2 and P3: W1 both observed (1 + 1), W2 neither, W3 P2 only (1).
    assert rows_of(older, "Constant") == [("W1", 2, 2), ("W2", 0, None), ("W3", 1, 1)]
    w3 = typed.analysis.matrix(codes=["Constant"], where=["wave:W3"])
    assert [r.labels for r in w3.rows] == [("P1", "W3"), ("P2", "W3"), ("P3", "W3")]
    jobless_at_w1 = typed.analysis.matrix(codes=["Cease"], where=["employment@W1=unemployed"])
    assert rows_of(jobless_at_w1, "Cease") == [
        ("P1", "W1", 1, 1), ("P1", "W2", 1, 1), ("P1", "W3", 1, 0),
        ("P2", "W1", 1, 1), ("P2", "W2", 0, None), ("P2", "W3", 1, 0)]


def test_participant_level_analyses_refuse_coding_filters(typed):
    with pytest.raises(QualcodeError, match=r"matrix counts participants, not codings: it cannot filter by coder"):
        typed.analysis.matrix(where=["coder:tester"])
    with pytest.raises(QualcodeError, match="change counts participants, not codings: it cannot filter by speaker"):
        typed.analysis.change_report(where=["speaker:P1"])
    with pytest.raises(QualcodeError, match="is not one of participant, wave, role, site nor an attribute"):
        typed.analysis.matrix(by="shoe_size")


def test_change_where_takes_the_sample_among_those_kept(typed):
    everyone = typed.analysis.change_report(codes=["Cease"])
    assert everyone.sample[0].evidence["W1"] == WaveShare(observed=3, with_code=2, codings=2,
                                                          share=round(2 / 3, 4))
    younger = typed.analysis.change_report(codes=["Cease"], where=["age<50"])
    # P1 and P2 at W1: both have Cease; at W2 only P1 observed (has it); W3 neither has it.
    sample = younger.sample[0]
    assert [sample.evidence[w].with_code for w in ("W1", "W2", "W3")] == [2, 1, 0]
    assert [sample.evidence[w].observed for w in ("W1", "W2", "W3")] == [2, 1, 2]
    assert {p.participant for p in younger.participants} == {"P1", "P2"}


def test_saturation_where_and_by_attribute(typed):
    everyone = typed.analysis.saturation()
    assert everyone.curve.transcripts == 7
    women = typed.analysis.saturation(where=["sex=F"])
    assert [p.transcript for p in women.curve.points] == ["P1_W1", "P1_W2", "P1_W3"]
    assert women.curve.distinct_codes == 6
    by_age = typed.analysis.saturation(by="age")
    assert list(by_age.curves) == ["9", "10", "50", "(missing)"]
    assert by_age.curves["10"].transcripts == 2      # P2_W1, P2_W3
    assert by_age.curves["(missing)"].transcripts == 1  # the focus group


def test_cooccurrence_where_in_the_shared_language(typed):
    all_transcripts = typed.analysis.cooccurrence(scope="transcript")
    women = typed.analysis.cooccurrence(scope="transcript", where=["sex=F"])
    # P1's codings only (frequencies count passages): Constant 2 + 2 + 2, Emerge 0 + 1 + 2,
    # Cease 1 + 1 + 0; over everyone Constant has 6 + 2 (P2) + 1 (P3) + 1 (focus group).
    ids = {typed.codebook.code(c).id: c for c in ("Constant", "Emerge", "Cease")}
    assert {ids[k]: v for k, v in women.freq.items() if k in ids} == {"Constant": 6, "Emerge": 3, "Cease": 2}
    assert all_transcripts.freq[typed.codebook.code("Constant").id] == 10
    by_coder = typed.analysis.cooccurrence(scope="transcript", where=["coder:tester", "sex=F"])
    assert {ids[k]: v for k, v in by_coder.freq.items() if k in ids} == {"Constant": 6, "Emerge": 3, "Cease": 2}
    with pytest.raises(QualcodeError, match="no coder 'nobody'"):
        typed.analysis.cooccurrence(where=["coder:nobody"])
    with pytest.raises(QualcodeError, match="speaker"):
        typed.analysis.cooccurrence(where=["speaker:P1"])


def test_segments_where_and_group_by_attribute(typed):
    rows = typed.coding.segments("Cease", where=["age<=10"])
    assert [(r.participant, r.wave) for r in rows] == [("P1", "W1"), ("P2", "W1"), ("P1", "W2")]
    groups = typed.coding.group_segments(typed.coding.segments("Constant"), "age")
    assert [(k, len(v)) for k, v in groups.items()] == [("9", 6), ("10", 2), ("50", 1), ("-", 1)]
    by_job = typed.coding.group_segments(typed.coding.segments("Constant"), "employment")
    assert list(by_job) == ["unemployed", "part-time", "full-time", "-"]
    assert len(typed.coding.segments("Constant", where=["coder:tester", "wave:W2"])) == 3


def test_describe_lists_values_in_type_order(typed):
    rows = typed.analysis.describe_sample().rows
    assert [r.value for r in rows if r.attribute == "age"] == ["9", "10", "50", "(missing)"]
    by_age = typed.analysis.describe_sample(by="age").rows
    assert list(dict.fromkeys(r.group for r in by_age)) == ["9", "10", "50", "(missing)"]
    by_wave = typed.analysis.describe_sample(by="wave").rows
    w1 = [r.value for r in by_wave if r.group == "W1" and r.attribute == "employment"]
    assert w1 == ["unemployed", "part-time"]
