"""The analysis services return typed, frozen records, and ``--json`` keeps its keys."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qualcode.records import json_data
from qualcode.records.analysis import Matrix, MatrixRow


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
