"""A co-occurrence result is read-only: its counts cannot be changed, the characters
of the overlap scope are counted into a copy (the result itself never changes), and
its edges and codes are typed records. Counts by hand from conftest.build_cooccurrence
(see test_cooccurrence)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction as Fr

import pytest

from qualcode.analysis.cooccurrence import Cooccurrence
from qualcode.records import json_data
from qualcode.records.analysis import CooccurrenceEdge, NetworkCode

EDGE_KEYS = ["source", "target", "weight", "count", "jaccard", "c", "freq_ratio_flag"]


def test_overlap_counts_characters_into_a_copy(cooc):
    result = cooc.analysis.cooccurrence(scope="overlap")
    assert type(result) is Cooccurrence
    assert result.units is None                     # characters not counted yet
    full = result.with_units()
    assert full is not result and result.units is None and full.with_units() is full
    ids = {name: cooc.codebook.code(name).id for name in "ABCDEF"}
    # coded characters: A 10+7+5, B 10+4, C 8+6, D 10, E 6, F 3
    assert {k: full.units[ids[k]] for k in "ABCDEF"} == {
        "A": 22, "B": 14, "C": 14, "D": 10, "E": 6, "F": 3}
    a, b = sorted((ids["A"], ids["B"]))
    # A [0,10) meets B [5,15): one pair of passages sharing 5 characters
    assert full.pairs[(a, b)] == (1, 5) and result.pairs[(a, b)] == (1, 0)
    edge = result.edge(ids["B"], ids["A"], "jaccard")
    assert type(edge) is CooccurrenceEdge
    assert (edge.source, edge.target, edge.count) == (a, b, 1)
    assert edge.weight == edge.jaccard == pytest.approx(float(Fr(5, 22 + 14 - 5)))
    assert edge.c == pytest.approx(float(Fr(1, 3 + 2 - 1)))   # A 3 passages, B 2
    assert result.edges("jaccard") == full.edges("jaccard")


def test_results_cannot_be_changed_and_keep_their_json_keys(cooc):
    result = cooc.analysis.cooccurrence(scope="turn")
    a = cooc.codebook.code("A").id
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.units = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.freq[a] = 99  # type: ignore[index]
    with pytest.raises(TypeError):
        result.pairs[(a, a)] = (1, 1)  # type: ignore[index]
    edge = result.edges()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        edge.count = 2  # type: ignore[misc]
    assert list(json_data(edge)) == EDGE_KEYS
    code = result.codes[a]
    assert code == NetworkCode(name="A", parent=None, colour="#e69f00", category="A",
                               category_colour="#e69f00")
    assert list(json_data(code)) == ["name", "parent", "colour", "category", "category_colour"]
    assert list(json_data(result)) == ["scope", "freq", "units", "pairs", "codes", "label"]
    # turns with each code: A 2 (X1, X2), B 2 (X1, Y1): A and B together in X1 only
    b = cooc.codebook.code("B").id
    assert (result.units[a], result.units[b]) == (2, 2)
    assert result.edge(a, b) == CooccurrenceEdge(min(a, b), max(a, b), 1, 1, 1 / 3, 1 / 3, False)


def test_network_drawing_is_a_record_with_one_layout(cooc):
    from qualcode.records.analysis import NetworkDrawing

    drawing = cooc.exports.network_drawing(scope="overlap", per_wave=True)
    assert type(drawing) is NetworkDrawing
    assert list(json_data(drawing)) == ["tables", "graphs", "pos", "max_frequency", "max_weight"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        drawing.max_weight = 1  # type: ignore[misc]
    # W1 (X, Z): A-B, B-C, A-C once each, E-F three times; W2 (Y): B and C in
    # different turns, never overlapping: no pair
    assert {label: len(rows) for label, rows in drawing.tables.items()} == {"W1": 4, "W2": 0}
    assert sorted(drawing.graphs["W1"].nodes) == list("ABCDEF")
    assert sorted(drawing.graphs["W2"].nodes) == ["B", "C"]
    # one layout for both waves; the scales are the largest over them: E's 6 passages,
    # E-F's 3 pairs
    assert set(drawing.pos) == set("ABCDEF")
    assert (drawing.max_frequency, drawing.max_weight) == (6, 3.0)
