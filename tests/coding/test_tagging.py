"""Applying and removing codes: ranges, turns, sentences, speakers."""

from __future__ import annotations

import datetime as dt

import pytest

from qualcode import QualcodeError
from qualcode.coding.tagging import Target
from qualcode.errors import ConflictError, NotFoundError

from .conftest import snapshot


@pytest.fixture
def coded(study):
    study.codebook.add_code("Trust")
    study.codebook.add_code("Fear")
    study.codebook.add_code("Routes", category=True)
    return study


def test_tag_range_records_coder_time_and_memo(coded):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    [coding] = coded.coding.tag("p01_w1", "Trust", Target(range=(102, 128)), memo="the doctor first")
    assert coding.text == "My doctor told me about it"
    assert (coding.transcript, coding.code, coding.start, coding.end) == (
        "p01_w1", "Trust", 102, 128)
    assert coding.coder == "tester" and coding.memo == "the doctor first"
    created = dt.datetime.fromisoformat(coding.created)
    assert before <= created <= dt.datetime.now(dt.UTC)
    coded.coder = "second coder"
    [other] = coded.coding.tag("p01_w1", "Trust", Target(range=(102, 128)))
    assert other.coder == "second coder"  # same span, another coder: allowed
    assert [e.action for e in coded.log()][-2:] == ["coding.add", "coding.add"]
    assert coded.log()[-1].coder == "second coder"


def test_tag_turn_sentence_speaker(coded):
    [turn] = coded.coding.tag("p01_w1", "Trust", Target(turn=4))
    assert turn.text.startswith("I rang them up.") and turn.text.endswith("every Tuesday.")
    [sentence] = coded.coding.tag("p01_w1", "Fear", Target(sentence="5"))
    assert sentence.text == "I was a bit scared, to be honest."
    [same] = coded.coding.tag("p01_w1", "Trust", Target(sentence="2.3"))
    assert same.text == "I was a bit scared, to be honest."
    [first_of_turn] = coded.coding.tag("p01_w1", "Fear", Target(sentence=6))
    assert first_of_turn.text == "What happened next?"
    spans = coded.coding.tag("p01_w1", "Fear", Target(speaker="P01"))
    assert [c.text[:12] for c in spans] == ["My doctor to", "I rang them ", "It changed m"]
    turns = [t for t in coded.transcripts.get("p01_w1").turns if t.speaker == "P01"]
    assert [(c.start, c.end) for c in spans] == [(t.start, t.end) for t in turns]
    # Every turn of a speaker is one action.
    assert coded.log()[-1].summary == "coded 3 span(s) of p01_w1 with Fear"


def test_overlapping_and_nested_codings(coded):
    coded.coding.tag("p01_w1", "Trust", Target(turn=2))            # 102:200
    coded.coding.tag("p01_w1", "Fear", Target(range=(167, 200)))   # nested in it
    coded.coding.tag("p01_w1", "Fear", Target(range=(150, 180)))   # overlaps both
    coded.coding.tag("p01_w1", "Trust", Target(range=(120, 250)))  # crosses into the next turn
    spans = [(c.code, c.start, c.end) for c in coded.coding.codings(transcript="p01_w1")]
    assert spans == [("Trust", 102, 200), ("Trust", 120, 250), ("Fear", 150, 180),
                     ("Fear", 167, 200)]


def test_duplicate_coding_refused(coded):
    coded.coding.tag("p01_w1", "Trust", Target(turn=2))
    coded.coding.tag("p01_w1", "Trust", Target(turn=4))
    before = snapshot(coded)
    with pytest.raises(ConflictError, match="already coded Trust by tester"):
        coded.coding.tag("p01_w1", "Trust", Target(range=(102, 200)))
    # Part of a speaker's turns already coded: only the rest is added...
    assert len(coded.coding.tag("p01_w1", "Trust", Target(speaker="P01"))) == 1
    # ...and when all are, nothing is recorded.
    before = snapshot(coded)
    with pytest.raises(ConflictError, match="all 3 spans"):
        coded.coding.tag("p01_w1", "Trust", Target(speaker="P01"))
    assert snapshot(coded) == before


BAD = [
    (lambda p: p.coding.tag("p01_w1", "Nope", Target(turn=2)), NotFoundError, "no code named 'Nope'"),
    (lambda p: p.coding.tag("nope", "Trust", Target(turn=2)), NotFoundError, "no transcript named"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(range=(400, 9999))), QualcodeError, "outside p01_w1"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(range=(-1, 5))), QualcodeError, "outside"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(range=(50, 10))), QualcodeError, "backwards"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(range=(10, 10))), QualcodeError, "empty"),
    (lambda p: p.coding.tag("p01_w1", "Routes", Target(turn=2)), QualcodeError, "category"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(turn=99)), NotFoundError, "has no turn 99"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(sentence="99")), NotFoundError, "no sentence 99"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(sentence="2.9")), NotFoundError, "no sentence 9"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(sentence="x")), QualcodeError, "not N or TURN.N"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(speaker="Bob")), NotFoundError, "speakers: Interviewer, P01"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target()), QualcodeError, "exactly one"),
    (lambda p: p.coding.tag("p01_w1", "Trust", Target(turn=2, speaker="P01")), QualcodeError, "exactly one"),
    (lambda p: Target.parse_range("5-9"), QualcodeError, "not START:END"),
    (lambda p: p.coding.untag("p01_w1", "Fear", Target(turn=2)), NotFoundError, "no coding Fear by tester"),
    (lambda p: p.coding.untag("p01_w1", "Nope", Target(turn=2)), NotFoundError, "no code named"),
    (lambda p: p.coding.remove_coding(99999), NotFoundError, "no coding with id"),
    (lambda p: p.coding.apply_spans([], summary="x"), QualcodeError, "no spans"),
    (lambda p: p.coding.apply_spans([("p01_w1", "Trust", 0, 99999)], summary="x"), QualcodeError, "outside"),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_bad_tagging_input_changes_nothing(coded, call, error, message):
    coded.coding.tag("p01_w1", "Trust", Target(turn=2))
    before = snapshot(coded)
    with pytest.raises(error, match=message):
        call(coded)
    assert snapshot(coded) == before


def test_untag_and_remove_coding(coded):
    coded.coding.tag("p01_w1", "Trust", Target(turn=2))
    coded.coding.tag("p01_w1", "Trust", Target(speaker="P01"))
    coded.coder = "other"
    coded.coding.tag("p01_w1", "Trust", Target(turn=2))
    # Only the current coder's coding goes...
    assert coded.coding.untag("p01_w1", "Trust", Target(turn=2)) == 1
    assert [c.coder for c in coded.coding.codings(code="Trust") if c.start == 102] == ["tester"]
    coded.coder = None
    # ...unless everyone's is asked for.
    coded.coder = "other"
    coded.coding.tag("p01_w1", "Trust", Target(turn=2))
    assert coded.coding.untag("p01_w1", "Trust", Target(turn=2), any_coder=True) == 2
    assert coded.coding.untag("p01_w1", "Trust", Target(speaker="P01"), any_coder=True) == 2
    assert coded.coding.codings() == []
    [c] = coded.coding.tag("p01_w1", "Fear", Target(sentence="1"))
    assert coded.coding.remove_coding(c.id).text == c.text
    assert coded.coding.codings() == []


def test_coding_memo_and_exemplar(coded):
    [c] = coded.coding.tag("p01_w1", "Trust", Target(turn=2))
    coded.coding.set_coding_memo(c.id, "a memo")
    coded.coding.set_exemplar(c.id)
    [row] = coded.coding.codings()
    assert row.memo == "a memo" and row.exemplar is True
    coded.coding.set_coding_memo(c.id, "")
    assert coded.coding.codings()[0].memo is None
    with pytest.raises(NotFoundError):
        coded.coding.set_coding_memo(9999, "x")


def test_codings_filters(coded):
    coded.coding.tag("p01_w1", "Trust", Target(turn=2))
    coded.coding.tag("p02_w2", "Fear", Target(turn=2))
    coded.coder = "b"
    coded.coding.tag("p02_w2", "Trust", Target(turn=4))
    assert [c.transcript for c in coded.coding.codings(code="Trust")] == ["p01_w1", "p02_w2"]
    assert [c.code for c in coded.coding.codings(transcript="p02_w2")] == ["Fear", "Trust"]
    assert [c.coder for c in coded.coding.codings(coder="b")] == ["b"]


def test_apply_spans_is_one_event_and_skips_duplicates(coded):
    coded.coding.tag("p01_w1", "Trust", Target(range=(0, 5)))
    events = len(coded.log())
    created = coded.coding.apply_spans([("p01_w1", "Trust", 0, 5), ("p01_w1", "Trust", 5, 9),
                                 ("p02_w2", "Fear", 1, 4)], summary="batch")
    assert [(c.code, c.start) for c in created] == [("Trust", 5), ("Fear", 1)]
    assert len(coded.log()) == events + 1
    coded.undo()
    assert len(coded.coding.codings()) == 1
