"""Constant comparison listings and auto-coding suggestions."""

from __future__ import annotations

import pytest

from qualcode import QualcodeError
from qualcode.coding.autocode import Suggestion
from qualcode.coding.tagging import Target

from .conftest import snapshot


@pytest.fixture
def compared(study):
    study.codebook.add_code("Support")
    study.codebook.add_code("Family", parent="Support")
    study.codebook.add_code("Let down")
    study.coding.tag("p01_w1", "Support", Target(sentence="4.2"))   # A trainer called Sam came round.
    study.coding.tag("p02_w2", "Support", Target(turn=2))
    study.coding.tag("p01_w1", "Family", Target(sentence="6.3"))    # My daughter says...
    study.coder = "second"
    study.coding.tag("p02_w2", "Support", Target(sentence="4.2"))
    study.coding.tag("p01_w1", "Let down", Target(sentence="1"))    # an interviewer sentence
    study.coder = None
    return study


def test_segments_carry_who_when_and_where(compared):
    rows = compared.coding.segments("Support")
    assert [(r.wave, r.participant, r.turn) for r in rows] == [
        ("W1", "P01", 4), ("W2", "P02", 2), ("W2", "P02", 4)]
    first = rows[0]
    assert first.text == "A trainer called Sam came round."
    assert first.speaker == "P01" and first.role == "client" and first.site == "Northgate"
    assert first.transcript == "p01_w1" and first.kind == "interview"
    assert first.coder == "tester" and first.code == "Support"
    assert first.before is None and first.after is None  # no context asked for
    assert rows[2].coder == "second"


def test_segments_context(compared):
    [row] = compared.coding.segments("Support", context=16, participant="P01")
    assert row.before == "I rang them up. " and row.after == " We went walking"
    # Context is cut at the ends of the text.
    [start] = compared.coding.segments("Let down", context=100)
    assert start.before == "Interviewer: " and start.text == "Thanks for coming in today."
    with pytest.raises(QualcodeError, match="negative"):
        compared.coding.segments("Support", context=-1)


def test_segments_filters(compared):
    texts = lambda **kw: [r.text[:12] for r in compared.coding.segments("Support", **kw)]
    assert texts(participant="P02") == ["I stopped wa", "I felt let d"]
    assert texts(wave="W1") == ["A trainer ca"]
    assert texts(role="trainer") == ["I stopped wa", "I felt let d"]
    assert texts(role="client") == ["A trainer ca"]
    assert texts(site="Riverside", coder="second") == ["I felt let d"]
    assert texts(participant="P99") == []
    assert texts(transcript="p01_w1") == ["A trainer ca"]


def test_segments_with_subcodes_and_grouping(compared):
    assert len(compared.coding.segments("Support")) == 3
    rows = compared.coding.segments("Support", include_subcodes=True)
    assert len(rows) == 4
    assert sorted({r.code for r in rows}) == ["Family", "Support"]
    by_wave = compared.coding.group_segments(rows, "wave")
    assert list(by_wave) == ["W1", "W2"] and [len(v) for v in by_wave.values()] == [2, 2]
    by_person = compared.coding.group_segments(rows, "participant")
    assert {k: len(v) for k, v in by_person.items()} == {"P01": 2, "P02": 2}
    assert {k: len(v) for k, v in compared.coding.group_segments(rows, "coder").items()} == {
        "tester": 3, "second": 1}
    with pytest.raises(QualcodeError, match="cannot group by"):
        compared.coding.group_segments(rows, "colour")


def test_suggest_by_speaker_and_apply_is_one_event(study):
    study.codebook.add_code("Client talk")
    study.coding.tag("p01_w1", "Client talk", Target(turn=2))
    before = snapshot(study)
    suggestions = study.coding.suggest_by_speaker("Client talk", "P01")
    assert snapshot(study) == before  # suggestions only
    assert [s.start for s in suggestions] == [241, 384]  # turn 2 is already coded
    assert all(isinstance(s, Suggestion) and s.code == "Client talk" for s in suggestions)
    assert suggestions[0].reason == "turn 4 by P01"
    events = len(study.log())
    created = study.coding.apply_suggestions(suggestions)
    assert len(created) == 2 and len(study.log()) == events + 1
    assert study.log()[-1].action == "coding.batch"
    assert study.coding.suggest_by_speaker("Client talk", "P01") == []
    study.undo()
    assert len(study.coding.codings(code="Client talk")) == 1
    with pytest.raises(QualcodeError, match="no suggestions"):
        study.coding.apply_suggestions([])


def test_suggest_by_regex(study):
    study.codebook.add_code("Walking")
    found = study.coding.suggest_by_pattern("Walking", r"walk(ing)?")
    assert [(s.transcript, s.text) for s in found] == [
        ("p01_w1", "We went walking together every Tuesday."),
        ("p02_w2", "I stopped walking when the weather turned.")]
    with_interviewer = study.coding.suggest_by_pattern("Walking", "walking", include_interviewer=True)
    assert len(with_interviewer) == 3
    matches = study.coding.suggest_by_pattern("Walking", "walk", scope="match")
    assert [s.text for s in matches] == ["walk", "walk"]
    turns = study.coding.suggest_by_pattern("Walking", "walk", scope="turn")
    assert turns[0].text.startswith("I rang them up.")
    study.coding.apply_suggestions(found[:1])
    assert [s.transcript for s in study.coding.suggest_by_pattern("Walking", "walk")] == ["p02_w2"]
    before = snapshot(study)
    with pytest.raises(QualcodeError, match="not a valid regular expression"):
        study.coding.suggest_by_pattern("Walking", "walk(")
    with pytest.raises(QualcodeError, match="scope"):
        study.coding.suggest_by_pattern("Walking", "walk", scope="page")
    with pytest.raises(QualcodeError, match="no code named"):
        study.coding.suggest_by_pattern("Nope", "walk")
    with pytest.raises(QualcodeError, match="no transcript named"):
        study.coding.suggest_by_pattern("Walking", "walk", transcripts=["nope"])
    assert snapshot(study) == before


def test_suggest_by_fts_query(study):
    study.codebook.add_code("Let down")
    found = study.coding.suggest_by_pattern("Let down", "service", fts=True)
    assert [s.text for s in found] == ["I felt let down by the service, to be honest."]
    assert study.coding.suggest_by_pattern("Let down", '"let down"', fts=True)[0].transcript == "p02_w2"
    with pytest.raises(QualcodeError, match="not valid"):
        study.coding.suggest_by_pattern("Let down", '"unclosed', fts=True)


def test_keywords_in_chinese_are_found_inside_the_text(study, tmp_path):
    # Chinese has no spaces: "食物银行" is never a token of its own, so it is found as text,
    # beside the English keywords the PhraseMatcher finds.
    source = tmp_path / "p09_w1.txt"
    source.write_text("访谈者：你好。\n\n李华：我每个星期都去食物银行。因为钱不够。\n\n访谈者：然后呢？\n\n"
                      "李华：健康教练帮我 walking。\n", encoding="utf-8")
    study.study.add_participant("P09")
    study.transcripts.import_transcript(source, participant="P09", wave="W1", speaker_map={"访谈者": "interviewer"})
    study.codebook.add_code("Food", keywords=["食物银行", "walking"])
    found = study.coding.suggest_by_keywords(["Food"], transcripts=["p09_w1"])
    assert sorted(s.text for s in found) == ["健康教练帮我 walking。", "我每个星期都去食物银行。"]
    assert {s.reason for s in found} == {"keyword '食物银行'", "keyword 'walking'"}
    matches = study.coding.suggest_by_keywords(["Food"], scope="match", transcripts=["p09_w1"])
    assert sorted(s.text for s in matches) == ["walking", "食物银行"]


def test_suggest_by_keywords(study):
    study.codebook.add_code("Health", keywords=["blood pressure", "Stone"])
    study.codebook.add_code("Staff", keywords=["trainer"])
    study.codebook.add_code("Cat", category=True, keywords=["walking"])
    study.codebook.add_code("Nothing")
    found = study.coding.suggest_by_keywords()
    assert sorted((s.code, s.text) for s in found) == [
        ("Health", "I lost two stone."),
        ("Health", "She said my blood pressure was high."),
        ("Staff", "A trainer called Sam came round."),
        ("Staff", "The trainer left and nobody rang me."),
    ]
    assert all(s.reason.startswith("keyword ") for s in found)
    only = study.coding.suggest_by_keywords(["Health"], scope="match")
    assert sorted(s.text for s in only) == ["blood pressure", "stone"]
    created = study.coding.apply_suggestions(found)
    assert len(created) == 4
    assert study.coding.suggest_by_keywords() == []
    with pytest.raises(QualcodeError, match="category"):
        study.coding.suggest_by_keywords(["Cat"])
    with pytest.raises(QualcodeError, match="no keywords"):
        study.coding.suggest_by_keywords(["Nothing"])


def test_segments_one_per_passage_with_its_coders(compared):
    compared.coder = "second"
    compared.coding.tag("p01_w1", "Support", Target(sentence="4.2"))   # tester's sentence too
    compared.coding.tag("p01_w1", "Support", Target(sentence="4.3"))   # touches it: its own passage
    compared.coder = None
    assert len(compared.coding.segments("Support")) == 5
    rows = compared.coding.segments("Support", merge_coders=True, context=5)
    assert [(r.participant, r.turn, r.coders, len(r.ids)) for r in rows] == [
        ("P01", 4, ("second", "tester"), 2), ("P01", 4, ("second",), 1),
        ("P02", 2, ("tester",), 1), ("P02", 4, ("second",), 1)]
    assert rows[0].text == "A trainer called Sam came round."
    assert rows[0].after == compared.transcripts.get("p01_w1").text[rows[0].end:rows[0].end + 5]
    only = compared.coding.segments("Support", merge_coders=True, coder="tester")
    assert [(r.participant, r.coders) for r in only] == [("P01", ("tester",)), ("P02", ("tester",))]
