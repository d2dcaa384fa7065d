"""The exports' working records: a coded passage (Passage) and a listed segment
(ListedSegment) are made in one step, cannot be changed, and give their JSON keys in
their declared order. Counts by hand on the small project (conftest.CODINGS)."""

from __future__ import annotations

import dataclasses

import pytest

from qualcode.export.quotes import Texts, passages
from qualcode.export.text_exports import SEGMENT_COLUMNS, collect_segments, segment_cells
from qualcode.records import json_data
from qualcode.records.codings import ListedSegment, Passage

PASSAGE_KEYS = ["id", "code", "transcript", "start", "end", "text", "codes", "coders",
                "coding_ids", "memos", "exemplar", "interviewer", "wave", "wave_order", "turn",
                "time", "participant", "pseudonym", "role", "site", "attribution", "quote", "cut"]


def test_walking_passages_by_hand(small):
    # Walking: anna's and ben's codings in p01_w1 overlap ("we went walking together"):
    # one passage of two codings; p01_w2 and p03_w2 one coding each. 4 codings, 3 passages.
    segments = small.coding.segments("Walking")
    assert len(segments) == 4
    waves = {w.label: w for w in small.study.waves()}
    found = passages(segments, Texts(small), waves)
    assert all(type(p) is Passage for p in found)
    assert [(p.transcript, len(p.coding_ids), p.coders) for p in found] == [
        ("p01_w1", 2, ("anna", "ben")), ("p01_w2", 1, ("anna",)), ("p03_w2", 1, ("anna",))]
    first = found[0]
    # the union of the two codings, quoted as its whole sentence, cited as its earliest coding
    assert first.text == ("A trainer came round and we went walking together every Tuesday "
                          "morning by the canal")
    assert (first.quote, first.cut) == (first.text + ".", False)
    assert first.attribution == "Client P01 (Jan), Baseline, p01_w1, turn 4"
    assert first.codes == ("Walking",) and first.id == first.coding_ids[0]  # earliest in the text
    assert (first.participant, first.pseudonym, first.role, first.wave) == ("P01", "Jan", "client", "W1")


def test_passages_cannot_be_changed_and_keep_their_json_keys(small):
    waves = {w.label: w for w in small.study.waves()}
    [passage, *_] = passages(small.coding.segments("Journeys", include_subcodes=True),
                             Texts(small), waves, by_code=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        passage.quote = "something else"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(Passage)] == PASSAGE_KEYS
    data = json_data(passage)
    assert list(data) == PASSAGE_KEYS and data["codes"] == list(passage.codes)


def test_listed_segments_number_their_passages(small):
    rows = collect_segments(small, codes=["Walking"])
    assert all(type(r) is ListedSegment for r in rows)
    # 4 codings, the two overlapping ones in p01_w1 share passage 1
    assert [(r.segment.transcript, r.passage) for r in rows] == [
        ("p01_w1", 1), ("p01_w1", 1), ("p01_w2", 2), ("p03_w2", 3)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rows[0].passage = 9  # type: ignore[misc]
    assert list(json_data(rows[0])) == ["segment", "passage", "time_point", "attribution"]
    cells = dict(zip(SEGMENT_COLUMNS, segment_cells(rows[0]), strict=True))
    assert cells["coding_id"] == rows[0].segment.id and cells["exemplar"] == 0
    assert (cells["time_point"], cells["attribution"]) == (
        "Baseline", "Client P01 (Jan), Baseline, p01_w1, turn 4")
