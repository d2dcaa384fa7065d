"""The coding service hands out frozen records (codings, segments, suggestions), and the
``--json`` of the commands that print them keeps the keys, and their order, it always had."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qualcode.model import Target
from qualcode.project import Project
from qualcode.records import json_data
from qualcode.records.codings import Coding, Segment, Suggestion

CODING_KEYS = ["id", "guid", "transcript", "code", "coder", "start", "end", "memo", "exemplar",
               "created", "text"]
SEGMENT_KEYS = ["id", "start", "end", "memo", "exemplar", "code", "coder", "transcript", "kind", "wave",
                "wave_order", "turn", "turn_start", "turn_end", "speaker", "interviewer", "participant",
                "pseudonym", "role", "site", "turn_time", "turn_time_estimated", "text", "time"]
SUGGESTION_KEYS = ["transcript", "code", "start", "end", "reason", "text"]


@pytest.fixture
def two_coders(study_path):
    """Support on sentence 4.2 of p01_w1 by tester and by second (one passage), and on
    turn 2 of p02_w2 by tester."""
    with Project.open(study_path) as study:
        study.codebook.add_code("Support")
        study.coding.tag("p01_w1", "Support", Target(sentence="4.2"))  # A trainer called Sam came round.
        study.coding.tag("p02_w2", "Support", Target(turn=2))
        study.coder = "second"
        study.coding.tag("p01_w1", "Support", Target(sentence="4.2"))
    return study_path


def test_codings_are_frozen_slotted_records(two_coders):
    with Project.open(two_coders) as study:
        codings = study.coding.codings(code="Support")
        assert [type(c) for c in codings] == [Coding] * 3
        first = codings[0]
        assert (first.transcript, first.code, first.text) == ("p01_w1", "Support",
                                                              "A trainer called Sam came round.")
        assert sorted(c.coder for c in codings) == ["second", "tester", "tester"]
        with pytest.raises(dataclasses.FrozenInstanceError):
            first.code = "Other"  # type: ignore[misc]
        assert not hasattr(first, "__dict__")
        [made] = study.coding.tag("p02_w2", "Support", Target(sentence="1"))
        assert isinstance(made, Coding) and study.coding.codings_by_ids([made.id]) == [made]
        assert study.coding.remove_coding(made.id) == made


def test_segments_are_records_and_a_merged_passage_lists_its_codings(two_coders):
    with Project.open(two_coders) as study:
        rows = study.coding.segments("Support")
        assert [type(r) for r in rows] == [Segment] * 3
        with pytest.raises(AttributeError):  # immutable (a named tuple: built fast by the thousand)
            rows[0].code = "Other"  # type: ignore[misc]
        assert all(r.coders is None and r.ids is None and r.before is None for r in rows)
        assert [r.coding_ids for r in rows] == [(r.id,) for r in rows]
        merged = study.coding.segments("Support", merge_coders=True)
        # tester's and second's codings of the same sentence are one passage; p02_w2 the other
        assert [(r.transcript, r.coders, len(r.coding_ids)) for r in merged] == [
            ("p01_w1", ("second", "tester"), 2), ("p02_w2", ("tester",), 1)]
        assert set(merged[0].coding_ids) == {r.id for r in rows if r.transcript == "p01_w1"}
        groups = study.coding.group_segments(rows, "coder")
        assert {key: len(items) for key, items in groups.items()} == {"tester": 2, "second": 1}
        assert all(isinstance(r, Segment) for items in groups.values() for r in items)


def test_segment_json_leaves_out_what_was_not_asked_for(two_coders):
    with Project.open(two_coders) as study:
        plain = json_data(study.coding.segments("Support")[0])
        assert list(plain) == SEGMENT_KEYS
        with_context = json_data(study.coding.segments("Support", context=8)[0])
        assert list(with_context) == [*SEGMENT_KEYS, "before", "after"]
        merged = json_data(study.coding.segments("Support", merge_coders=True)[0])
        at = SEGMENT_KEYS.index("text")
        assert list(merged) == [*SEGMENT_KEYS[:at], "coders", "ids", *SEGMENT_KEYS[at:]]
        assert merged["coders"] == ["second", "tester"] and isinstance(merged["ids"], list)


def test_json_of_the_commands_keeps_its_keys(two_coders, run_cli):
    def json_of(*args):
        result = run_cli("-p", two_coders, *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    listed = json_of("codings", "--json")
    assert len(listed) == 3 and all(list(row) == CODING_KEYS for row in listed)
    assert listed[0]["text"] == "A trainer called Sam came round." and listed[0]["exemplar"] is False
    [tagged] = json_of("tag", "p02_w2", "--code", "Support", "--range", "0:5", "--json")
    assert list(tagged) == CODING_KEYS and (tagged["start"], tagged["end"]) == (0, 5)
    segments = json_of("segments", "--code", "Support", "--json")
    assert [list(row) for row in segments] == [SEGMENT_KEYS] * 4
    around = json_of("segments", "--code", "Support", "--context", "10", "--json")
    assert all(list(row) == [*SEGMENT_KEYS, "before", "after"] for row in around)
    suggested = json_of("autocode", "pattern", "trainer", "--code", "Support", "--json")
    assert suggested and all(list(row) == SUGGESTION_KEYS for row in suggested)


def test_suggestions_are_records(two_coders):
    with Project.open(two_coders) as study:
        found = study.coding.suggest_by_pattern("Support", "trainer")
        assert found and all(type(s) is Suggestion for s in found)
        with pytest.raises(dataclasses.FrozenInstanceError):
            found[0].code = "Other"  # type: ignore[misc]
        applied = study.coding.apply_suggestions(found[:1])
        assert [type(c) for c in applied] == [Coding]
        assert (applied[0].start, applied[0].end) == (found[0].start, found[0].end)
