"""Full-text search of turns (SQLite FTS5) with keyword-in-context."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qualcode import Project
from qualcode.errors import QualcodeError
from qualcode.records.transcripts import KwicMatch, SearchHit

W1_JANET = """Interview with Janet, wave 1.

Interviewer: How do you manage the money side of things?

Janet: Money is tight. The food bank helps, and Leanne showed me batch cooking with lentils.

Interviewer: And the walking group?

Janet: I went to the walking group twice. Walking with other people is easier than walking alone.
"""

W2_JANET = """Interviewer: Has the money situation changed?

Janet: Not really, money is still tight. But I cook every Sunday now, a big pan of soup.

Interviewer: Any walking?

Janet: The group stopped in winter, so no walking, no.
"""

W1_RAY = """Interviewer: Tell me about the smoking.

Ray: I smoked since I was fourteen. The money I spent on cigarettes, honestly.

Interviewer: What helped you stop?

Ray: Dave. Dave told me about the patches and the food bank café.
"""


W2_KEN = """Interviewer: Are you working now?

Ken: Full-time since June. I don't start till 10:30 on Mondays, mind. Bread and butter stuff.
"""


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    proj = Project.create(folder / "search.qualcode")
    proj.coder = "tester"
    for pid in ("C01", "C02", "C03"):
        proj.study.add_participant(pid)
    for wave in ("W1", "W2"):
        proj.study.add_wave(wave)
    for name, text, pid, wave in (("janet_w1", W1_JANET, "C01", "W1"), ("janet_w2", W2_JANET, "C01", "W2"),
                                  ("ray_w1", W1_RAY, "C02", "W1"), ("ken_w2", W2_KEN, "C03", "W2")):
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        proj.transcripts.import_transcript(path, participant=pid, wave=wave)
    yield proj
    proj.close()


def hits_of(proj, query, **filters):
    return [(h.transcript, h.turn) for h in proj.search.turns(query, **filters)]


def turn_text(proj, name, seq):
    info = proj.transcripts.get(name)
    turn = info.turns[seq - 1]
    return info.text[turn.start:turn.end]


def test_word_search_is_case_insensitive_and_ordered(searchable):
    assert hits_of(searchable, "money") == [
        ("janet_w1", 2), ("janet_w1", 3), ("ray_w1", 2), ("janet_w2", 1), ("janet_w2", 2)]
    assert hits_of(searchable, "MONEY") == hits_of(searchable, "money")
    assert hits_of(searchable, "lentils") == [("janet_w1", 3)]
    assert hits_of(searchable, "nonexistentword") == []


def test_phrase_prefix_and_boolean(searchable):
    assert hits_of(searchable, '"food bank"') == [("janet_w1", 3), ("ray_w1", 4)]
    assert hits_of(searchable, '"bank food"') == []
    assert hits_of(searchable, "smok*") == [("ray_w1", 1), ("ray_w1", 2)]
    assert hits_of(searchable, "walk*") == [("janet_w1", 4), ("janet_w1", 5), ("janet_w2", 3), ("janet_w2", 4)]
    assert hits_of(searchable, "money AND tight") == [("janet_w1", 3), ("janet_w2", 2)]
    assert hits_of(searchable, "money tight") == hits_of(searchable, "money AND tight")
    assert hits_of(searchable, "lentils OR patches") == [("janet_w1", 3), ("ray_w1", 4)]
    assert hits_of(searchable, "money NOT tight") == [("janet_w1", 2), ("ray_w1", 2), ("janet_w2", 1)]
    assert hits_of(searchable, '"food bank" NOT Dave') == [("janet_w1", 3)]
    # Diacritics are folded: "cafe" finds "café".
    assert hits_of(searchable, "cafe") == [("ray_w1", 4)]


def test_filters(searchable):
    assert hits_of(searchable, "money", participant="C02") == [("ray_w1", 2)]
    assert hits_of(searchable, "money", participant="C01", wave="W2") == [("janet_w2", 2)]
    assert hits_of(searchable, "money", wave="W1") == [("janet_w1", 2), ("janet_w1", 3), ("ray_w1", 2)]
    assert hits_of(searchable, "money", speaker="Interviewer") == [("janet_w1", 2), ("janet_w2", 1)]
    assert hits_of(searchable, "money", speaker="Janet", wave="W1") == [("janet_w1", 3)]
    assert hits_of(searchable, "money", participant="C99") == []
    hit = searchable.search.turns("lentils")[0]
    assert (hit.speaker, hit.participant, hit.wave) == ("Janet", "C01", "W1")


def test_kwic_matches_the_text(searchable):
    (hit,) = searchable.search.turns("lentils", kwic=20)
    info = searchable.transcripts.get("janet_w1")
    text = info.text
    (m,) = hit.matches
    assert text[m.start:m.end] == m.match == "lentils"
    assert m.left == "batch cooking with"  # 20 characters before, white space squashed
    assert text[m.start - 20:m.start] == "d me batch cooking with "[-20:]
    assert m.right == "."  # the turn ends there: context never leaves the turn
    assert text[hit.start:hit.end] == turn_text(searchable, "janet_w1", 3)

    (hit,) = [h for h in searchable.search.turns("walking", kwic=12) if h.turn == 5 and h.transcript == "janet_w1"]
    assert [m.match for m in hit.matches] == ["walking", "Walking", "walking"]
    for m in hit.matches:
        assert text[m.start:m.end] == m.match
        assert m.left == " ".join(text[max(hit.start, m.start - 12):m.start].split())
        assert m.right == " ".join(text[m.end:min(hit.end, m.end + 12)].split())

    (hit,) = searchable.search.turns('"food bank" NOT Dave')
    assert [m.match for m in hit.matches] == ["food bank"]
    prefix = searchable.search.turns("cigar*")[0].matches
    assert [m.match for m in prefix] == ["cigarettes"]


@pytest.mark.parametrize("query", ['"unclosed', "AND", "money AND", "(money", "NOT money"])
def test_invalid_query_is_a_clear_error(searchable, query):
    with pytest.raises(QualcodeError) as excinfo:
        searchable.search.turns(query)
    message = str(excinfo.value)
    assert message.startswith(f"search query {query!r} is not valid") and "\n" not in message


def test_minus_is_not_taken_for_not(searchable):
    with pytest.raises(QualcodeError, match="write NOT tight"):
        searchable.search.turns("money -tight")
    assert hits_of(searchable, "full-time") == [("ken_w2", 2)]  # a hyphen inside a word is fine


def test_empty_query(searchable):
    with pytest.raises(QualcodeError, match="empty"):
        searchable.search.turns("   ")


def test_cli_search(searchable, run_cli):
    path = searchable.path
    result = run_cli("-p", path, "search", "money", "--json", "--wave", "W1", "--kwic", "10")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(h["transcript"], h["turn"]) for h in data] == [("janet_w1", 2), ("janet_w1", 3), ("ray_w1", 2)]
    assert data[1]["matches"][0] == {"start": data[1]["matches"][0]["start"],
                                     "end": data[1]["matches"][0]["start"] + 5,
                                     "left": "", "match": "Money", "right": "is tight."}
    filtered = json.loads(run_cli("-p", path, "search", "money", "--json", "--participant", "C02").stdout)
    assert [h["transcript"] for h in filtered] == ["ray_w1"]
    speaker = json.loads(run_cli("-p", path, "search", "dave", "--json", "--speaker", "Ray").stdout)
    assert [(h["transcript"], h["turn"]) for h in speaker] == [("ray_w1", 4)]

    table = run_cli("-p", path, "search", "lentils")
    assert table.exit_code == 0
    assert "lentils" in table.stdout and "janet_w1" in table.stdout
    assert table.stderr.strip() == "1 turns"

    bad = run_cli("-p", path, "search", '"unclosed')
    assert bad.exit_code == 1
    assert len(bad.stderr.strip().splitlines()) == 1 and "is not valid" in bad.stderr
    assert "Traceback" not in bad.output


def test_words_fts5_cannot_take_bare_are_searched_as_written(searchable):
    # Hyphens, apostrophes and colons are FTS5 syntax; typed as in the text they still work.
    for query, match in (("full-time", "Full-time"), ("don't", "don't"), ("10:30", "10:30")):
        hits = searchable.search.turns(query)
        assert [(h.transcript, h.turn) for h in hits] == [("ken_w2", 2)], query
        assert [m.match for m in hits[0].matches] == [match]
    assert hits_of(searchable, "full-time OR lentils") == [("janet_w1", 3), ("ken_w2", 2)]
    assert hits_of(searchable, "mond*") == [("ken_w2", 2)]
    # Lower-case "and" is a word to FTS5, and is shown as matched.
    (hit,) = searchable.search.turns('"bread and butter"')
    assert [m.match for m in hit.matches] == ["Bread and butter"]
    (hit,) = searchable.search.turns("bread and butter")
    assert sorted(m.match for m in hit.matches) == ["Bread", "and", "butter"]


def test_accents_are_folded_in_search_and_kwic(searchable):
    for query in ("cafe", "café", "CAFÉ"):
        (hit,) = searchable.search.turns(query, kwic=6)
        (m,) = hit.matches
        assert (hit.transcript, m.match, m.left, m.right) == ("ray_w1", "café", "bank", "."), query


def test_near_and_phrase_prefix(searchable):
    assert hits_of(searchable, "NEAR(food bank, 1)") == [("janet_w1", 3), ("ray_w1", 4)]
    assert hits_of(searchable, "NEAR(lentils food, 2)") == []
    (hit,) = searchable.search.turns("NEAR(patches cafe, 5)")
    assert sorted(m.match for m in hit.matches) == ["café", "patches"]
    assert [m.match for m in searchable.search.turns('"batch cook"*')[0].matches] == ["batch cooking"]


def test_scripts_without_spaces_are_searched_as_text(tmp_path):
    # The index holds "我每个星期都去食物银行" as one word: a word inside it is found by
    # searching the text, with the same filters, order and keyword-in-context.
    proj = Project.create(tmp_path / "zh.qualcode")
    proj.study.add_participant("P01")
    proj.study.add_participant("P02")
    proj.study.add_wave("W1")
    for pid, text in (("P01", "访谈者：你好。\n\n李华：我每个星期都去食物银行，因为钱不够。\n\n"
                              "访谈者：健康教练呢？\n\n李华：她帮我做了一个计划。\n"),
                      ("P02", "访谈者：你好。\n\n王芳：我不去食物银行。Café 很贵。\n\n访谈者：好。\n\n王芳：对。\n")):
        path = tmp_path / f"{pid}_W1.txt"
        path.write_text(text, encoding="utf-8")
        proj.transcripts.import_transcript(path, participant=pid, wave="W1", speaker_map={"访谈者": "interviewer"})
    assert hits_of(proj, "食物银行") == [("P01_W1", 2), ("P02_W1", 2)]
    assert hits_of(proj, "食物银行", participant="P02") == [("P02_W1", 2)]
    assert hits_of(proj, "食物银行 钱") == [("P01_W1", 2)]  # every word, anywhere in the turn
    assert hits_of(proj, '"做了一个计划"') == [("P01_W1", 4)]
    assert hits_of(proj, "cafe 很贵") == [("P02_W1", 2)]  # case and accents folded as elsewhere
    hit = proj.search.turns("食物银行", kwic=3)[0]
    assert [(m.left, m.match, m.right) for m in hit.matches] == [("期都去", "食物银行", "，因为")]
    text = proj.transcripts.get("P01_W1").text
    assert text[hit.matches[0].start:hit.matches[0].end] == "食物银行"
    with pytest.raises(QualcodeError, match="OR is not available"):
        proj.search.turns("食物银行 OR 计划")
    proj.close()


def test_hits_are_frozen_records_and_the_json_keeps_its_keys(searchable, run_cli):
    (hit,) = searchable.search.turns("lentils", kwic=20)
    assert isinstance(hit, SearchHit) and isinstance(hit.matches[0], KwicMatch)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.turn = 1  # type: ignore[misc]
    data = json.loads(run_cli("-p", searchable.path, "search", "lentils", "--json").stdout)
    assert list(data[0]) == ["transcript", "turn", "speaker", "participant", "wave", "start", "end", "matches"]
    assert list(data[0]["matches"][0]) == ["start", "end", "left", "match", "right"]
    assert data[0]["matches"][0]["match"] == "lentils" and data[0]["turn"] == hit.turn
