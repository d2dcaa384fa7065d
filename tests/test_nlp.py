"""Which spaCy pipeline is used, and the trained-pipeline paths when one is installed."""

from __future__ import annotations

import pytest

from qualcode import nlp


def test_model_choice_follows_the_environment(monkeypatch):
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "blank")
    assert nlp.trained_pipeline_name() is None
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "no_such_pipeline_package")
    assert nlp.trained_pipeline_name() is None
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "json")  # any importable package name is taken
    assert nlp.trained_pipeline_name() == "json"


def test_blank_pipeline_splits_sentences(monkeypatch):
    monkeypatch.setenv("QUALCODE_SPACY_MODEL", "blank")
    nlp.pipeline.cache_clear()
    try:
        text = "  I walk now. Every day!  Not far, mind."
        spans = next(nlp.sentence_spans([text]))
        assert [text[a:b] for a, b in spans] == ["I walk now.", "Every day!", "Not far, mind."]
    finally:
        nlp.pipeline.cache_clear()


def test_named_entities_with_a_trained_pipeline(project, tmp_path):
    if nlp.trained_pipeline_name() is None:
        pytest.skip("no trained spaCy pipeline installed (set QUALCODE_SPACY_MODEL to one to run this)")
    project.add_participant("C01")
    source = tmp_path / "C01.txt"
    source.write_text("Interviewer: Who helped?\n\nC01: My sister Linda Morris drove me to Leeds "
                      "every Tuesday, and the Salvation Army gave us a food parcel.\n", encoding="utf-8")
    project.import_transcript(source, participant="C01")
    found = {h["text"]: h for h in project.suggest_names(use_entities=True)}
    assert any("Linda" in name for name in found)
    assert all(h["source"] == "named entity" for h in found.values())
