"""The agreement service returns frozen records; ``agree --json`` keeps its keys and
their order for each unit (fields only some units have stay left out of the others)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qualcode.records.analysis import AgreementReport, BlindCopy, CodeAgreement, Disagreement

from ._build import AgreementProject
from .test_service_cli import TEXT1, study  # noqa: F401  (the fixture)

SUMMARY = ["units", "agreed", "percent_agreement", "kappa", "alpha", "table"]


def test_report_disagreements_and_blind_copy_are_frozen_records(study, tmp_path):  # noqa: F811
    with AgreementProject.open(study) as project:
        report = project.agreement.report(["anna", "ben"], code="Diet")
        rows = project.agreement.disagreements(["anna", "ben"], code="Diet")
        copy = project.agreement.export_for_coder("ben", tmp_path / "ben.qualcode")
    assert isinstance(report, AgreementReport) and isinstance(report.overall, CodeAgreement)
    assert all(isinstance(r, Disagreement) for r in rows) and isinstance(copy, BlindCopy)
    for record in (report, report.overall, rows[0], copy):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, dataclasses.fields(record)[0].name, None)
        assert not hasattr(record, "__dict__")
    # Diet: transcript one 80-90 by both; two 0-20 by anna only, of 100 + 90 characters.
    assert report.overall.table == {"both": 10, "only_first": 20, "only_second": 0, "neither": 160}
    assert [(r.transcript, r.start, r.end, r.coded_by, r.not_coded_by) for r in rows] == [
        ("two", 0, 20, ("anna",), ("ben",))]
    assert (copy.coder, copy.codings_kept, copy.path) == ("ben", 3, str(tmp_path / "ben.qualcode"))


def test_agree_json_keys_unchanged_for_each_unit(study, run_cli):  # noqa: F811
    def agree(*args):
        result = run_cli("agree", "-p", study, "--coders", "anna", "ben", "--json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    char = agree()
    assert list(char) == ["unit", "coders", "transcripts", "codes", "overall"]
    assert list(char["codes"][0]) == ["code", *SUMMARY]
    assert list(char["overall"]) == SUMMARY
    turn = agree("--unit", "turn", "--disagreements")
    assert list(turn) == ["unit", "coders", "transcripts", "codes", "overall", "disagreements"]
    assert list(turn["disagreements"][0]) == ["transcript", "code", "start", "end", "turn",
                                              "coded_by", "not_coded_by", "text"]
    segment = agree("--unit", "segment", "--disagreements")
    assert list(segment) == ["unit", "coders", "transcripts", "codes", "overall", "min_overlap",
                             "note", "disagreements"]
    assert segment["min_overlap"] == 0.8
    assert list(segment["overall"]["table"]) == ["matched", "only_first", "only_second"]
    first = segment["disagreements"][0]
    assert list(first) == ["transcript", "code", "start", "end", "coded_by", "not_coded_by",
                           "best_overlap", "text"]
    # anna's Care 0-50 of "one" against ben's 25-75: they share 25 of 50 characters.
    assert (first["transcript"], first["code"], first["start"], first["end"]) == ("one", "Care", 0, 50)
    assert first["best_overlap"] == 0.5 and first["text"] == TEXT1[0:50]
    three = run_cli("agree", "-p", study, "--coders", "anna", "ben", "carl", "--json")
    assert "table" not in json.loads(three.output)["overall"]  # no 2 x 2 table for three coders
