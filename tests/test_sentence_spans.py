"""Sentences packed per transcript: the blob format and what the project reads back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.store.sentence_spans import pack, unpack

offsets = st.integers(min_value=0, max_value=2**32 - 1)


@given(st.lists(st.tuples(offsets, offsets, offsets), max_size=200))
def test_round_trip(sentences):
    blob = pack(sentences)
    assert len(blob) == 12 * len(sentences)
    assert unpack(blob) == sentences


def test_layout_is_little_endian_32_bit():
    # The bytes, not just the round trip: a file written on one machine is read on another.
    assert pack([(1, 2, 70000)]) == bytes([1, 0, 0, 0, 2, 0, 0, 0, 0x70, 0x11, 1, 0])


def test_empty_and_damaged_blobs():
    assert unpack(None) == [] and unpack(b"") == []
    with pytest.raises(ValueError, match="not a multiple of 12"):
        unpack(b"\x00" * 13)


def test_stored_sentences_follow_turns(project, tmp_path):
    source = tmp_path / "C01_W1.txt"
    source.write_text("Interviewer: Hello. How are you?\n\nC01: Fine. Busy!\n", encoding="utf-8")
    project.study.add_participant("C01")
    project.study.add_wave("W1")
    result = project.transcripts.import_transcript(source, participant="C01", wave="W1")
    info = project.transcripts.get("C01_W1")
    got = [(s.seq, s.turn, info.text[s.start:s.end]) for s in info.sentences]
    assert got == [(1, 1, "Hello."), (2, 1, "How are you?"), (3, 2, "Fine."), (4, 2, "Busy!")]
    assert result.sentences == 4 == project.status()["counts"]["sentences"]
