"""Plain-text transcripts: label styles, timestamps, paragraphs and false positives."""

from __future__ import annotations

import hashlib

import pytest

from qualcode.ingest.text import label_candidate, parse_clock, read_text

from ._checks import assert_valid, shared_file, speakers, texts


def parse(source: str):
    parsed = read_text(source.encode("utf-8"), "t.txt")
    assert_valid(parsed)
    return parsed


# --- label styles -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected_speakers"),
    [
        ("Janet: one\nAnna: two\nJanet: three\nAnna: four\n", ["Janet", "Anna", "Janet", "Anna"]),
        ("JANET: one\nINTERVIEWER: two\nJANET: three\n", ["JANET", "INTERVIEWER", "JANET"]),
        ("Mary Ann Smith: one\nDr de Vries: two\nMary Ann Smith: three\nDr de Vries: four\n",
         ["Mary Ann Smith", "Dr de Vries", "Mary Ann Smith", "Dr de Vries"]),
        ("[Janet] one\n[Anna] two\n[Janet] three\n[Anna] four\n", ["Janet", "Anna", "Janet", "Anna"]),
        ("[id1] one\n\n[id2] two\n", ["id1", "id2"]),
        ("JANET    one\nANNA\ttwo\nJANET  three\nANNA    four\n", ["JANET", "ANNA", "JANET", "ANNA"]),
        ("I: one\nR: two\nI: three\n", ["I", "R", "I"]),
        ("P07: one\nINT: two\nInt: three\nC01: four\n", ["P07", "INT", "Int", "C01"]),
        ("Interviewer: one\nRespondent: two\nModerator: three\n", ["Interviewer", "Respondent", "Moderator"]),
        ("Speaker 1: one\nSpeaker 2: two\n", ["Speaker 1", "Speaker 2"]),
    ],
    ids=["name", "caps", "multiword", "bracket", "bracket-id", "padded", "I-R", "ids", "roles", "numbered"],
)
def test_label_styles(source, expected_speakers):
    parsed = parse(source)
    assert speakers(parsed) == expected_speakers
    assert texts(parsed) == ["one", "two", "three", "four"][: len(expected_speakers)]


@pytest.mark.parametrize(
    ("source", "expected_speakers", "expected_texts"),
    [
        ("访谈者：你好。\n\n李华：我每个星期都去。\n\n访谈者：为什么？\n\n李华：因为钱不够。\n",
         ["访谈者", "李华", "访谈者", "李华"], ["你好。", "我每个星期都去。", "为什么？", "因为钱不够。"]),
        ("インタビュアー： はい。\n山田： ええ。\nインタビュアー： それで？\n山田： 以上です。\n",
         ["インタビュアー", "山田", "インタビュアー", "山田"], ["はい。", "ええ。", "それで？", "以上です。"]),
        ("المحاور: مرحبا.\n\nسارة أحمد: أهلا.\n\nالمحاور: كيف حالك؟\n\nسارة أحمد: بخير.\n",
         ["المحاور", "سارة أحمد", "المحاور", "سارة أحمد"], ["مرحبا.", "أهلا.", "كيف حالك؟", "بخير."]),
        ("Interviewer：Hello.\n\nP01：我很好。\n", ["Interviewer", "P01"], ["Hello.", "我很好。"]),
    ],
    ids=["chinese-fullwidth-colon", "japanese", "arabic", "mixed"],
)
def test_labels_in_scripts_without_letter_case(source, expected_speakers, expected_texts):
    parsed = parse(source)
    assert speakers(parsed) == expected_speakers
    assert texts(parsed) == expected_texts


def test_caseless_label_must_repeat():
    # Nothing marks "他说" as a name: said once, it is speech, not a speaker.
    parsed = parse("访谈者：你好。\n\n访谈者：再见。\n\n他说：好的。\n")
    assert speakers(parsed) == ["访谈者", "访谈者", "访谈者"]
    assert texts(parsed)[-1] == "他说：好的。"


def test_labels_stay_in_text_outside_the_span():
    parsed = parse("Interviewer:   How was it?  \nJanet:Well,\n")
    turn = parsed.turns[0]
    assert parsed.text[: turn.start] == "Interviewer:   "
    # "Janet:Well," has no space after the colon: not a label, so it continues the turn.
    assert len(parsed.turns) == 1
    assert parsed.turn_text(turn) == "How was it?  \nJanet:Well,"


def test_timed_labels():
    parsed = parse(
        "Janet (03:15): one\n"
        "Interviewer (1:03:15): two\n"
        "Speaker 1 (00:01:02): three\n"
        "[00:10:00] Janet: four\n"
        "[10:30] Interviewer: five\n"
        "(11:00) Janet: six\n"
        "00:12:00.250 Interviewer: seven\n"
        "00:13:00 - Janet: eight\n"
    )
    assert speakers(parsed) == ["Janet", "Interviewer", "Speaker 1", "Janet", "Interviewer", "Janet", "Interviewer", "Janet"]
    assert texts(parsed) == ["one", "two", "three", "four", "five", "six", "seven", "eight"]
    assert [t.start_time for t in parsed.turns] == [195, 3795, 62, 600, 630, 660, 720.25, 780]
    # end_time is the next timed turn's start, when that is later; the last has none.
    assert parsed.turns[0].end_time == 3795
    assert parsed.turns[1].end_time is None  # 62 s is before 1:03:15
    assert parsed.turns[2].end_time == 600
    assert parsed.turns[-1].end_time is None
    # The timestamps stay in the text, outside the spans.
    assert parsed.text[: parsed.turns[3].start].endswith("[00:10:00] Janet: ")


def test_inline_timestamps_stay_in_speech():
    parsed = parse("Interviewer: Right [00:13:00].\nJanet: I went [inaudible 00:12:31] and at 10:30 we met.\n")
    assert speakers(parsed) == ["Interviewer", "Janet"]
    assert texts(parsed) == ["Right [00:13:00].", "I went [inaudible 00:12:31] and at 10:30 we met."]
    assert all(t.start_time is None for t in parsed.turns)


def test_untimed_turns_between_timed_ones():
    parsed = parse("[00:00:05] Interviewer: a\n\nJanet: b\n\n[00:00:20] Interviewer: c\n")
    assert [(t.start_time, t.end_time) for t in parsed.turns] == [(5, 20), (None, None), (20, None)]


def test_otter_style_label_line_with_time():
    parsed = parse("Speaker 1  0:03\nHello there.\n\nSpeaker 2  0:10\nHi.\n")
    assert speakers(parsed) == ["Speaker 1", "Speaker 2"]
    assert texts(parsed) == ["Hello there.", "Hi."]
    assert [t.start_time for t in parsed.turns] == [3, 10]


def test_timestamp_only_line_times_the_next_turn():
    parsed = parse("[00:01:00]\nJanet: hello\nInterviewer: hi\n\n[00:02:00]\nand more\n\nJanet: bye\n")
    assert speakers(parsed) == ["Janet", "Interviewer", "Interviewer", "Janet"]
    assert [t.start_time for t in parsed.turns] == [60, None, 120, None]
    assert texts(parsed)[2] == "and more"


# --- turns and paragraphs -----------------------------------------------------


def test_wrapped_lines_blank_lines_and_preamble():
    parsed = parse(
        "Interview C01, wave 1\n"
        "\n"
        "Interviewer: So tell me\n"
        "  how it started.  \n"
        "Janet: It was the food bank.\n"
        "\n"
        "And then the leaflets.\n"
        "\n"
        "Interviewer: Right.\n"
        "Janet: Yes.\n"
    )
    assert speakers(parsed) == [None, "Interviewer", "Janet", "Janet", "Interviewer", "Janet"]
    assert texts(parsed) == [
        "Interview C01, wave 1",
        "So tell me\n  how it started.",
        "It was the food bank.",
        "And then the leaflets.",
        "Right.",
        "Yes.",
    ]


def test_empty_turns_are_dropped_and_label_alone_on_its_line():
    parsed = parse("Interviewer:\nHow was it?\nJanet:   \n\nFine.\nInterviewer: ok\nJanet: ok\n")
    assert speakers(parsed) == ["Interviewer", "Janet", "Interviewer", "Janet"]
    assert texts(parsed) == ["How was it?", "Fine.", "ok", "ok"]


def test_unlabelled_text_only():
    # Without labels every paragraph is a unit; lines that were not wrapped at a fixed
    # width are paragraphs of their own.
    parsed = parse("Just some notes.\nOn two lines.\n\nAnd a second paragraph.")
    assert speakers(parsed) == [None, None, None]
    assert texts(parsed) == ["Just some notes.", "On two lines.", "And a second paragraph."]


def test_whitespace_only_text_has_no_turns():
    parsed = parse("   \n\n\t\n")
    assert parsed.turns == [] and parsed.warnings == ["no text found"]


# --- false positives ----------------------------------------------------------


def test_mid_turn_colons_are_not_labels():
    parsed = parse(
        "Interviewer: What happened?\n"
        "Janet: Well, she came round and\n"
        "so she said: you need help.\n"
        "Note: she was right.\n"
        "Money: I had none.\n"
        "At 10:30 we met, and 10:30: that was it.\n"
        "[laughs] Anyway.\n"
        "Interviewer: And then?\n"
        "Janet: Then nothing.\n"
    )
    assert speakers(parsed) == ["Interviewer", "Janet", "Interviewer", "Janet"]
    assert texts(parsed)[1].endswith("[laughs] Anyway.")


def test_metadata_header_is_preamble():
    parsed = parse(
        "Interview C01\n"
        "Interviewer: Anna Smith\n"
        "Participant: Janet\n"
        "Date: 12 March 2025\n"
        "\n"
        "INT: Shall we start?\n"
        "Janet: Yes.\n"
        "INT: Good.\n"
        "Janet: Go on then.\n"
    )
    assert speakers(parsed) == [None, "INT", "Janet", "INT", "Janet"]
    assert texts(parsed)[0].startswith("Interview C01\nInterviewer: Anna Smith")


def test_single_name_label_needs_a_confirmed_label_before_it():
    # A two-turn transcript: "Janet" is trusted after a known role label...
    assert speakers(parse("Interviewer: How was it?\n\nJanet: Fine.\n")) == ["Interviewer", "Janet"]
    # ...but a lone "Name:" before any confirmed label is read like a heading.
    parsed = parse("Focus Group: Trainers\n\nModerator: Welcome.\n")
    assert speakers(parsed) == [None, "Moderator"]


def test_focus_group_member_who_speaks_once():
    parsed = parse(
        "Moderator: Welcome.\n\nLeanne: Hi.\n\nDave: Hello.\n\nLeanne: Me again.\n\n"
        "Dave: Me too.\n\nImran: Only once.\n\nSeveral: [laughter]\n\nModerator: Thanks.\n"
    )
    assert speakers(parsed) == ["Moderator", "Leanne", "Dave", "Leanne", "Dave", "Imran", "Several", "Moderator"]


def test_label_candidate_shapes():
    assert label_candidate("so she said: hello") is None
    assert label_candidate("Note: this") is None
    assert label_candidate("Participant ID: C01") is None
    assert label_candidate("https://example.org") is None
    assert label_candidate("[laughs] ok") is None
    assert label_candidate("10:30 we met") is None
    cand = label_candidate("[00:01:02] Speaker 2 (00:01:03): hi")
    assert cand is not None and cand.speaker == "Speaker 2" and cand.time == 62


def test_parse_clock():
    assert parse_clock("01:02") == 62
    assert parse_clock("1:02:03.5") == 3723.5
    assert parse_clock("00:00:01,250") == 1.25
    assert parse_clock("01:75") is None
    assert parse_clock("1:61:00") is None


# --- public example -----------------------------------------------------------


def test_qualcoder_transcript():
    path = shared_file("qualcoder_transcript.txt")
    data = path.read_bytes()
    parsed = read_text(data, path.name)
    assert_valid(parsed)
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert parsed.sha256 == "dfa655b265b2630e6f8f999e3b0d04a3676b0a94d620c9d1537213bc43f2ea89"
    assert parsed.format == "text" and parsed.encoding == "utf-8"
    assert speakers(parsed) == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]
    assert parsed.speakers == ["id1", "id2", "id3"]
    assert texts(parsed)[1] == (
        "I am struggling with the lecture slides. I felt that they were too busy and I switched off."
    )
    assert texts(parsed)[-1] == "Hmm, I will ask the tutor for more help as I am really struggling."
    assert parsed.text[: parsed.turns[0].start] == "[id1] "


def test_a_tab_separated_label_before_speech_that_ends_in_a_colon():
    # "Interviewer<TAB>Yes, I said:" once read as the label "Interviewer Yes, I said",
    # which never repeats, so the line was glued to the turn before it.
    parsed = parse("Interviewer\twell\nInterviewer\tYes, I said:\n")
    assert speakers(parsed) == ["Interviewer", "Interviewer"]
    assert texts(parsed) == ["well", "Yes, I said:"]
