"""Change labels, per participant and for the sample, and wave-vs-wave comparison.
Expected labels are worked out by hand from the table in conftest.py and the rules in
qualcode.analysis.change."""

from __future__ import annotations

import pytest

from qualcode import QualcodeError
from qualcode.analysis.change import LABELS, classify
from qualcode.records.analysis import MissingWave, WaveShare

from .conftest import AnalysisProject


def by_participant(report):
    return {(r.participant, r.code): r for r in report.participants}


def test_every_participant_label(longitudinal):
    report = longitudinal.analysis.change_report()
    got = {key: r.label for key, r in by_participant(report).items()}
    assert got == {
        # P1, observed at W1, W2, W3
        ("P1", "Emerge"): "emerges",      # 0, 1, 2
        ("P1", "Increase"): "increases",  # 1, 1, 2: 2 >= 1.5 * 1 and 2 - 1 >= 1
        ("P1", "Surge"): "surges",        # 1, 3, 1: interior peak >= 2x the others
        ("P1", "Decrease"): "decreases",  # 2, 2, 1: 2 >= 1.5 * 1
        ("P1", "Cease"): "ceases",        # 1, 1, 0
        ("P1", "Constant"): "constant",   # 2, 2, 2
        # P2 missed W2: observed W1, W3
        ("P2", "Cease"): "ceases",        # 1, -, 0
        ("P2", "Constant"): "constant",   # 1, -, 1
        # P3 withdrew after W1; T1 was only in the W2 focus group: no trajectory
        ("P3", "Constant"): "missing",
        ("T1", "Surge"): "missing",
    }


def test_evidence_shows_missing_waves(longitudinal):
    report = longitudinal.analysis.change_report(participants=["P2"])
    rows = by_participant(report)
    cease = rows[("P2", "Cease")].evidence
    assert cease.values == {"W1": 1, "W2": None, "W3": 0}
    assert cease.observed_waves == ("W1", "W3")
    assert cease.missing_waves == (MissingWave("W2", "missed"),)
    assert cease.present_waves == ("W1",)
    assert report.sample == ()          # a participant filter leaves out the sample view


def test_sample_labels(longitudinal):
    report = longitudinal.analysis.change_report()
    sample = {s.code: s for s in report.sample}
    # Constant: P1, P2, P3 have it. Shares of observed: W1 3/3, W2 1/2 (P1 of P1, T1),
    # W3 2/2 -> ends equal -> constant.
    assert sample["Constant"].label == "constant"
    assert sample["Constant"].participants == 3
    assert sample["Constant"].evidence["W2"] == WaveShare(observed=2, with_code=1, codings=2,
                                                          share=0.5)
    # Every other code is seen in one or two participants only.
    for code, holders in (("Emerge", 1), ("Increase", 1), ("Surge", 2), ("Decrease", 1),
                          ("Cease", 2)):
        assert sample[code].label == "idiosyncratic"
        assert sample[code].participants == holders


def test_sample_missing_when_one_wave_only(tmp_path):
    """Three participants seen at W1 only: no trajectory for the sample."""
    project = AnalysisProject.create(tmp_path / "one.qualcode")
    project.coder = "tester"
    project.study.add_wave("W1")
    project.study.add_wave("W2")
    project.codebook.add_code("Hope")
    for pid in ("A1", "A2", "A3"):
        project.study.add_participant(pid)
        (tmp_path / f"{pid}.txt").write_text(f"Interviewer: Hi.\nR: hope {pid}\n", encoding="utf-8")
        project.transcripts.import_transcript(tmp_path / f"{pid}.txt", participant=pid, wave="W1")
        text = project.transcripts.get(pid).text
        project.coding.apply_spans([(pid, "Hope", text.index("hope"), text.index("hope") + 4)], summary="x")
    report = project.analysis.change_report()
    assert [(s.code, s.label) for s in report.sample] == [("Hope", "missing")]
    assert {r.label for r in report.participants} == {"missing"}
    project.close()


@pytest.mark.parametrize("values, label", [
    ([0, 0, 0], None),
    ([3], "missing"),
    ([0, 2], "emerges"),
    ([2, 0], "ceases"),
    ([0, 1, 0], "surges"),          # present only at an interior wave
    ([1, 4, 2], "surges"),          # 4 >= 2 * 2
    ([1, 3, 2], "increases"),       # 3 < 2 * 2: no surge; 2 >= 1.5 * 1
    ([3, 3, 6], "increases"),       # peak at the last wave is growth, not a surge
    ([4, 3], "constant"),           # 4 < 1.5 * 3
    ([3, 2], "decreases"),          # 3 >= 1.5 * 2, difference 1
    ([2, 4, 4], "increases"),       # tied maximum: no surge
    ([1, 0, 1], "constant"),
    ([0, 5, 5, 0], "surges"),
])
def test_classify_rules(values, label):
    assert classify(values) == label


def test_classify_share_threshold():
    assert classify([0.2, 0.29], min_diff=0.1) == "constant"   # ratio 1.45
    assert classify([0.2, 0.3], min_diff=0.1) == "increases"   # ratio 1.5, diff 0.1
    assert classify([0.04, 0.08], min_diff=0.1) == "constant"  # doubled, but 4 points


def test_labels_documented():
    from qualcode.analysis import change

    for label in LABELS:
        assert f"``{label}``" in change.__doc__


def test_compare_waves(longitudinal):
    result = longitudinal.analysis.compare_waves("W1", "W3")
    sample = {s.code: s.label for s in result.sample}
    # Shares W1 (of 3) -> W3 (of 2): Emerge 0 -> 1/2 new; Increase, Surge, Decrease
    # 1/3 -> 1/2 grown (ratio 1.5, +0.17); Cease 2/3 -> 0 gone; Constant 3/3 -> 2/2 same.
    assert sample == {"Emerge": "new", "Increase": "grown", "Surge": "grown",
                      "Decrease": "grown", "Cease": "gone", "Constant": "same"}
    people = {p.participant: p for p in result.participants}
    assert set(people) == {"P1", "P2"}          # seen at both waves
    p1 = people["P1"]
    assert [c.code for c in p1.new] == ["Emerge"]
    assert [c.code for c in p1.grown] == ["Increase"]
    assert [(c.code, c.values["W1"], c.values["W3"]) for c in p1.shrunk] == [("Decrease", 2, 1)]
    assert [c.code for c in p1.gone] == ["Cease"]
    assert [c.code for c in people["P2"].gone] == ["Cease"]
    assert result.not_observed_at_both == ("P3",)


def test_compare_waves_errors(longitudinal):
    with pytest.raises(QualcodeError, match="no wave"):
        longitudinal.analysis.compare_waves("W1", "W9")
    with pytest.raises(QualcodeError, match="different"):
        longitudinal.analysis.compare_waves("W1", "W1")
