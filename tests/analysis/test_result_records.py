"""The analysis services return typed, frozen records, and ``--json`` keeps its keys."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qualcode.records import json_data
from qualcode.records.analysis import (
    AttendanceGrid,
    ChangeReport,
    CooccurrencePair,
    FrameworkMatrix,
    FrameworkRow,
    Matrix,
    MatrixRow,
    PassageCounts,
    SampleDescription,
    Saturation,
    SaturationPoint,
    TranscriptPerson,
    WaveComparison,
    WaveCount,
)


def frozen(record) -> None:
    name = dataclasses.fields(record)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, name, None)
    assert not hasattr(record, "__dict__")


def test_matrix_is_a_frozen_record_of_rows(longitudinal):
    m = longitudinal.analysis.matrix(by="wave", codes=["Constant", "Cease"])
    assert isinstance(m, Matrix) and all(isinstance(r, MatrixRow) for r in m.rows)
    frozen(m)
    frozen(m.rows[0])
    # At W1 (P1, P2, P3 seen): Constant 2 + 1 + 1 = 4, Cease 1 + 1 + 0 = 2 (tests/analysis/
    # conftest.py); the values of a row are one tuple.
    assert m.rows[0] == MatrixRow(("W1",), None, 3, (4, 2))


def test_matrix_json_keys_unchanged(run_cli, longitudinal_path):
    result = run_cli("matrix", "-p", longitudinal_path, "--codes", "Cease", "--format", "json")
    data = json.loads(result.output)
    assert list(data) == ["by", "measure", "row_keys", "columns", "rows"]
    assert data["row_keys"] == ["participant", "wave"] and data["columns"] == ["Cease"]
    assert list(data["rows"][0]) == ["labels", "status", "n", "values"]
    missed = [r for r in data["rows"] if r["labels"] == ["P2", "W2"]]
    assert missed == [{"labels": ["P2", "W2"], "status": "missed", "n": 0, "values": [None]}]


def test_json_data_of_a_matrix_by_hand():
    m = Matrix("wave", "count", ("wave",), ("A", "B"), (MatrixRow(("W1",), None, 2, (1, None)),))
    assert json_data(m) == {"by": "wave", "measure": "count", "row_keys": ["wave"],
                            "columns": ["A", "B"],
                            "rows": [{"labels": ["W1"], "status": None, "n": 2, "values": [1, None]}]}


def test_change_report_and_wave_comparison_are_frozen_records(longitudinal):
    report = longitudinal.analysis.change_report(codes=["Cease"])
    assert isinstance(report, ChangeReport)
    frozen(report)
    frozen(report.sample[0])
    frozen(report.participants[0].evidence)
    # Cease is had by P1 (W1, W2) and P2 (W1): 2 people, idiosyncratic (see test_change).
    assert (report.sample[0].code, report.sample[0].participants) == ("Cease", 2)
    compared = longitudinal.analysis.compare_waves("W1", "W3", codes=["Cease"])
    assert isinstance(compared, WaveComparison)
    frozen(compared)
    # Cease at W1: P1 and P2 of the 3 seen; at W3: neither of the 2 seen.
    assert compared.sample[0].at == {"W1": WaveCount(2, 3, 0.6667), "W3": WaveCount(0, 2, 0.0)}


def test_change_and_compare_json_keys_unchanged(run_cli, longitudinal_path):
    p = longitudinal_path
    data = json.loads(run_cli("change", "-p", p, "--json", "--code", "Cease").output)
    assert list(data) == ["measure", "waves", "thresholds", "participants", "sample",
                          "longitudinal_memos"]  # no "groups" without --by
    assert list(data["participants"][0]) == ["participant", "code", "label", "evidence"]
    assert list(data["participants"][0]["evidence"]) == ["values", "observed_waves",
                                                         "missing_waves", "present_waves"]
    p2 = next(r for r in data["participants"] if r["participant"] == "P2")["evidence"]
    assert p2["missing_waves"] == [{"wave": "W2", "status": "missed"}]
    assert data["sample"][0]["evidence"]["W1"] == {"observed": 3, "with_code": 2, "codings": 2,
                                                   "share": 0.6667}
    data = json.loads(run_cli("compare-waves", "W1", "W3", "-p", p, "--json", "--code", "Cease").output)
    assert list(data) == ["waves", "sample", "participants", "not_observed_at_both"]
    assert data["sample"] == [{"code": "Cease", "label": "gone",
                               "W1": {"with_code": 2, "observed": 3, "share": 0.6667},
                               "W3": {"with_code": 0, "observed": 2, "share": 0.0}}]
    p1 = next(r for r in data["participants"] if r["participant"] == "P1")
    assert p1 == {"participant": "P1", "new": [], "gone": [{"code": "Cease", "W1": 1, "W3": 0}],
                  "grown": [], "shrunk": []}


def test_cooccurrence_pairs_are_frozen_records_and_json_keys_unchanged(cooc, cooc_path, run_cli):
    tables = cooc.analysis.cooccurrence_tables(scope="overlap", coders=["tester"])
    [pairs] = tables.values()
    assert all(isinstance(p, CooccurrencePair) for p in pairs)
    frozen(pairs[0])
    # E (6 passages) and F (1) meet twice: the c-coefficient 2 / (6 + 1 - 2), flagged
    # because 6 > 5 x 1 (see test_cooccurrence).
    ef = next(p for p in pairs if {p.code_a, p.code_b} == {"E", "F"})
    assert (ef.count, ef.c, ef.freq_ratio_flag) == (2, 0.4, True)
    data = json.loads(run_cli("cooccur", "-p", str(cooc_path), "--coded-by", "tester", "--json").output)
    assert list(data) == ["scope", "measure", "min", "networks"]
    assert list(data["networks"][0]) == ["code_a", "code_b", "n1", "n2", "count", "jaccard", "c",
                                         "freq_ratio_flag", "weight"]


def test_saturation_is_a_frozen_record_and_json_keys_unchanged(longitudinal, run_cli, longitudinal_path):
    study = longitudinal.analysis.saturation(k=3)
    assert isinstance(study, Saturation) and list(study.curves) == ["all"]
    frozen(study)
    frozen(study.curve.points[0])
    # The first transcript in interview order, P1_W1, has 5 codes, all new (test_saturation_describe).
    assert study.curve.points[0] == SaturationPoint(1, "P1_W1", "W1", 5, 5, 5)
    data = json.loads(run_cli("saturation", "-p", longitudinal_path, "--format", "json").output)
    assert list(data) == ["by", "order", "points", "distinct_codes", "transcripts", "k",
                          "new_in_last_k", "new_share_last_k"]
    assert data["points"][0] == {"index": 1, "transcript": "P1_W1", "wave": "W1", "codes": 5,
                                 "new": 5, "cumulative": 5}
    for by, key in (("wave", "waves"), ("role", "roles")):
        data = json.loads(run_cli("saturation", "-p", longitudinal_path, "--by", by,
                                  "--format", "json").output)
        assert list(data) == ["by", "order", key]
        assert list(next(iter(data[key].values()))) == ["points", "distinct_codes", "transcripts",
                                                        "k", "new_in_last_k", "new_share_last_k"]


def test_attendance_and_sample_are_frozen_records_and_json_keys_unchanged(longitudinal, run_cli,
                                                                         longitudinal_path):
    grid = longitudinal.analysis.attendance_grid()
    assert isinstance(grid, AttendanceGrid)
    frozen(grid)
    frozen(grid.summary[0])
    sample = longitudinal.analysis.describe_sample(by="role")
    assert isinstance(sample, SampleDescription)
    frozen(sample.rows[0])
    data = json.loads(run_cli("attendance", "-p", longitudinal_path, "--json").output)
    assert list(data) == ["waves", "participants", "summary"]
    assert list(data["participants"][0]) == ["participant", "role", "site", "status", "took_part"]
    # W2: P1 interviewed, P2 missed, P3 withdrawn, T1 in the focus group; of the three
    # interviewed at W1 and due, only P1 is interviewed again.
    assert data["summary"][1] == {"wave": "W2", "missed": 1, "withdrawn": 1, "not_yet": 0,
                                  "interviewed": 1, "focus-group": 1, "both": 0, "observed": 2,
                                  "baseline_due": 3, "retained": 1, "retention": 0.3333}
    data = json.loads(run_cli("describe", "-p", longitudinal_path, "--by", "role", "--json").output)
    assert list(data) == ["by", "rows", "numeric"]
    assert list(data["rows"][0]) == ["group", "size", "attribute", "value", "n", "percent"]


def test_framework_matrix_is_a_frozen_record_and_json_keys_unchanged(longitudinal, run_cli,
                                                                    longitudinal_path):
    frame = longitudinal.analysis.framework_matrix(by="site", codes=["Surge"])
    assert isinstance(frame, FrameworkMatrix)
    frozen(frame)
    frozen(frame.sheets["W2"][0])
    # Site B at W2: the trainer's focus-group turn coded Surge (see test_cube).
    assert frame.sheets["W2"][1] == FrameworkRow("B", ("tfg000",))
    data = json.loads(run_cli("matrix", "-p", longitudinal_path, "--measure", "text", "--by", "site",
                              "--codes", "Surge", "--format", "json").output)
    assert list(data) == ["by", "content", "columns", "sheets", "cases"]
    assert data["sheets"]["W2"][1] == {"case": "B", "cells": ["tfg000"]}


def test_passage_counts_and_transcript_people_are_records(longitudinal):
    counts = longitudinal.analysis.passage_counts()
    assert all(isinstance(c, PassageCounts) for c in counts.values())
    frozen(counts["Cease"])
    # Cease: P1 at W1 and W2, P2 at W1 (tests/analysis/conftest.py), one passage each.
    assert counts["Cease"].own == {"W1": 2, "W2": 1}
    people = longitudinal.analysis.transcript_people()
    assert all(isinstance(p, TranscriptPerson) for p in people)
    # Six interviews with their participant, and the W2 focus group where T1 speaks.
    assert len(people) == 7
    assert [p for p in people if p.kind != "interview"] == [
        TranscriptPerson("FG_W2", "W2", "focus-group", "T1")]
