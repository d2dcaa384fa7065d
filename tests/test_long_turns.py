"""A turn longer than spaCy takes at once (5,000,000 characters; a 20 MB file without
speaker labels is one turn) is split into sentences piece by piece, not refused and
never a traceback, in a direct import and in the manifest's worker processes. The real
command imports a turn of 5.4 million characters under 1 GB and a minute in
tests/hardening/test_corpus_under_limits.py."""

from __future__ import annotations

import random

import pytest

from qualcode import Project, nlp

from ._stored import assert_offsets_sound

WORDS = ["the", "a", "and", "I", "you", "it", "was", "that", "to", "of", "in", "we", "but", "so", "just", "like", "know", "money", "food", "bank", "week"]


def _speech(characters: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < characters:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))).capitalize()
        sentence += rng.choice([". ", "? ", "! ", ".\n"])  # no blank line: one turn
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts).rstrip()


@pytest.fixture
def blank_pipeline(monkeypatch):
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "blank")
    nlp.pipeline.cache_clear()
    yield
    nlp.pipeline.cache_clear()


def test_pieces_are_cut_at_line_breaks_then_sentence_ends_then_spaces():
    text = "a" * 60 + "\n" + "b" * 60
    assert nlp.pieces_of_long_text(text, 100) == [(0, "a" * 60 + "\n"), (61, "b" * 60)]
    text = "a" * 60 + ". " + "b" * 60
    assert nlp.pieces_of_long_text(text, 100) == [(0, "a" * 60 + "."), (61, " " + "b" * 60)]
    text = "a" * 60 + " " + "b" * 60
    assert nlp.pieces_of_long_text(text, 100) == [(0, "a" * 60 + " "), (61, "b" * 60)]
    text = "x" * 250
    assert nlp.pieces_of_long_text(text, 100) == [(0, "x" * 100), (100, "x" * 100), (200, "x" * 50)]
    assert nlp.pieces_of_long_text("short", 100) == [(0, "short")]
    for longest in (50, 97, 1000):
        text = _speech(5000)
        pieces = nlp.pieces_of_long_text(text, longest)
        assert "".join(p for _, p in pieces) == text
        assert all(len(p) <= longest and text[o:o + len(p)] == p for o, p in pieces)


def test_pieces_give_the_sentences_the_whole_text_gives(blank_pipeline, monkeypatch):
    texts = [_speech(20_000, seed) for seed in range(3)] + ["Short one. Two.", ""]
    whole = list(nlp.sentence_spans(texts))
    monkeypatch.setattr(nlp, "LONGEST_PIECE", 1000)
    assert list(nlp.sentence_spans_of_any_length(texts)) == whole
    assert list(nlp.sentence_spans_of_any_length(iter(texts))) == whole


def test_a_long_turn_through_the_manifest_workers(tmp_path, blank_pipeline):
    speech = _speech(nlp.LONGEST_PIECE * 3)
    (tmp_path / "long.txt").write_text("P01: " + speech + "\n", encoding="utf-8")
    (tmp_path / "m.csv").write_text("file,participant,wave\nlong.txt,P01,W1\n", encoding="utf-8")
    counts = []
    for workers in (0, 1):
        with Project.create(tmp_path / f"w{workers}.qualcode") as project:
            report = project.transcripts.import_manifest(tmp_path / "m.csv", workers=workers)
            assert len(report.imported) == 1
            info = project.transcripts.get("long")
            assert_offsets_sound(info)
            counts.append(len(info.sentences))
    assert counts[0] == counts[1] > 1000
