"""WebVTT and SubRip: speakers, merging, tags, rebuilt text and malformed files."""

from __future__ import annotations

import hashlib

import pytest

from qualcode.errors import InputError
from qualcode.ingest.srt import read_srt
from qualcode.ingest.vtt import read_vtt

from ._checks import assert_valid, one_line_error, shared_file, speakers, texts


def vtt(source: str):
    parsed = read_vtt(source.encode("utf-8"), "t.vtt")
    assert_valid(parsed)
    assert parsed.format == "vtt"
    return parsed


def srt(source: str):
    parsed = read_srt(source.encode("utf-8"), "t.srt")
    assert_valid(parsed)
    assert parsed.format == "srt"
    return parsed


VTT_SAMPLE = """WEBVTT - interview C06
Kind: captions

NOTE this is a comment
that spans two lines

STYLE
::cue { color: yellow }

cue-1
00:00:01.000 --> 00:00:03.500 align:start
<v Interviewer>Hiya Tony, can you
hear me?</v>

00:00:04.000 --> 00:00:05.000
<v.loud Tony>Yeah, I can &amp; I&#39;m <b>in</b> the <i>car</i>.

00:00:05.500 --> 00:00:07.000
<v Tony>It's <c.yellow>quiet</c> <00:00:06.000>here.</v>

00:00:08.000 --> 00:00:09.000
[connection drops]

00:00:10.000 --> 00:00:11.000
Interviewer: Are you back?

01:00:00.000 --> 01:00:02.000
<v Interviewer>Bye &lt;3</v>
"""


def test_vtt_voices_merging_tags_and_entities():
    parsed = vtt(VTT_SAMPLE)
    assert speakers(parsed) == ["Interviewer", "Tony", None, "Interviewer"]
    assert texts(parsed) == [
        "Hiya Tony, can you hear me?",
        "Yeah, I can & I'm in the car. It's quiet here.",
        "[connection drops]",
        "Are you back? Bye <3",
    ]
    assert [(t.start_time, t.end_time) for t in parsed.turns] == [(1, 3.5), (4, 7), (8, 9), (10, 3602)]
    assert parsed.text == (
        "Interviewer: Hiya Tony, can you hear me?\n\n"
        "Tony: Yeah, I can & I'm in the car. It's quiet here.\n\n"
        "[connection drops]\n\n"
        "Interviewer: Are you back? Bye <3"
    )


def test_vtt_multiple_voices_in_one_cue_and_unattributed_cues_stay_apart():
    parsed = vtt(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Bob>Hi</v> <v Alice>Hello</v>\n\n"
        "00:03.000 --> 00:04.000\nfirst\n\n00:04.000 --> 00:05.000\nsecond\n"
    )
    assert speakers(parsed) == ["Bob", "Alice", None, None]
    assert texts(parsed) == ["Hi", "Hello", "first", "second"]


def test_vtt_crlf_and_bom():
    parsed = read_vtt(b"\xef\xbb\xbfWEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\n<v A B>x\r\n", "t.vtt")
    assert parsed.text == "A B: x" and parsed.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("00:00.000 --> 00:01.000\nhi\n", "t.vtt: line 1: missing the 'WEBVTT' header; this is not a WebVTT file"),
        ("WEBVTT\n\njust text\n", "t.vtt: line 3: reached the end without a cue timing line such as '00:00:01.000 --> 00:00:04.000'"),
        ("WEBVTT\n\n1\n00:00.000 --> later\nhi\n", "t.vtt: line 4: cue timing '00:00.000 --> later' does not parse (expected '00:00:01.000 --> 00:00:04.000')"),
        ("WEBVTT\n\n00:00:99.000 --> 00:01:00.000\nhi\n", None),
        ("WEBVTT\n\n00:05.000 --> 00:01.000\nhi\n", "t.vtt: line 3: cue ends before it starts ('00:05.000 --> 00:01.000')"),
    ],
    ids=["no-header", "no-cue", "bad-timing", "bad-seconds", "backwards"],
)
def test_malformed_vtt(source, expected):
    with pytest.raises(InputError) as excinfo:
        read_vtt(source.encode(), "t.vtt")
    message = one_line_error(excinfo, "t.vtt")
    if expected:
        assert message == expected
    else:
        assert "line 3" in message and "does not parse" in message


SRT_SAMPLE = """1
00:00:00,500 --> 00:00:02,000
<i>[music]</i>

2
00:00:02,000 --> 00:00:04,000
Travis: When you first get
started in podcasting,

3
00:00:04,000 --> 00:00:06,000
it's almost guaranteed.

4
00:00:06,000 --> 00:00:08,000
{\\an8}Sarah: Creating good audio
is key.

5
00:00:08,000 --> 00:00:10,000
Sarah: Second prefix, new turn.

6
00:00:10,000 --> 00:00:12,000
- Travis: Quick one.
- Sarah: Sure.
"""


def test_srt_prefixes_continue_until_the_next():
    parsed = srt(SRT_SAMPLE)
    assert speakers(parsed) == [None, "Travis", "Sarah", "Sarah", "Travis", "Sarah"]
    assert texts(parsed) == [
        "[music]",
        "When you first get started in podcasting, it's almost guaranteed.",
        "Creating good audio is key.",
        "Second prefix, new turn.",
        "Quick one.",
        "Sure.",
    ]
    assert [(t.start_time, t.end_time) for t in parsed.turns][:3] == [(0.5, 2), (2, 6), (6, 8)]
    assert parsed.text.startswith("[music]\n\nTravis: When you first get started in podcasting, it's")


def test_srt_without_numbers_and_cp1252():
    data = "00:00:01,000 --> 00:00:02,000\nJanet: “café” £5\n\n00:00:02,000 --> 00:00:03,000\nmore\n".encode("cp1252")
    parsed = read_srt(data, "t.srt")
    assert parsed.encoding == "cp1252"
    assert texts(parsed) == ["“café” £5 more"]


def test_srt_blank_line_inside_a_cue_keeps_the_text():
    parsed = srt("1\n00:00:01,000 --> 00:00:02,000\nJanet: one\n\ntwo\n\n2\n00:00:03,000 --> 00:00:04,000\nthree\n")
    assert texts(parsed) == ["one two three"]
    assert parsed.warnings and "line 5" in parsed.warnings[0]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("just some text\n", "reached the end without a cue timing line"),
        ("1\n00:00:01,000 -> 00:00:02,000\nhi\n", "reached the end without a cue timing line"),
        ("1\n00:00:01,000 --> 00:00:xx,000\nhi\n", "line 2: cue timing '00:00:01,000 --> 00:00:xx,000' does not parse"),
    ],
)
def test_malformed_srt(source, problem):
    with pytest.raises(InputError) as excinfo:
        read_srt(source.encode(), "t.srt")
    assert problem in one_line_error(excinfo, "t.srt")


# --- public examples ----------------------------------------------------------


def test_podcastindex_vtt():
    path = shared_file("podcastindex_example.vtt")
    data = path.read_bytes()
    assert b"\r\n" in data
    parsed = read_vtt(data, path.name)
    assert_valid(parsed)
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert parsed.sha256 == "7e266d476066f8f8461dc4df951d1fc017ea6f9b64ce85e515563711306b32d6"
    assert "\r" not in parsed.text
    assert speakers(parsed) == ["Sarah", "Gillian"]
    assert texts(parsed) == [
        "In today's episode, you'll learn whether or not you should have a podcast trailer. "
        "And if so, what should you include in one? Welcome to Podcasting Q&A, where you learn "
        "the best tips and strategies to launch, grow and monetize your podcast. "
        "This week's question comes from Gillian.",
        "Hi Buzzsprout, Gillian here from breaking through careers podcast. "
        "My question is, do we need a podcast trailer?",
    ]
    assert [(t.start_time, t.end_time) for t in parsed.turns] == [(0.0, 18.63), (19.08, 25.35)]
    assert parsed.text.startswith("Sarah: In today's episode")
    assert "\n\nGillian: Hi Buzzsprout" in parsed.text


def test_podcastindex_srt():
    path = shared_file("podcastindex_example.srt")
    data = path.read_bytes()
    parsed = read_srt(data, path.name)
    assert_valid(parsed)
    assert parsed.sha256 == "fb92e33a2344ee9f6091b2d2731e6728b75d34852307a6c7f6af7c485c98c610"
    assert speakers(parsed) == [
        "Travis", "Sarah", "Travis", "Gilon", "Travis", "Gilon", "Travis", "Sarah", "Gilon", "Travis"
    ]
    assert parsed.speakers == ["Travis", "Sarah", "Gilon"]
    first = texts(parsed)[0]
    # Cue lines and cues are joined with spaces; sentences run across cues.
    assert first.startswith(
        "When you first get started in podcasting, it's almost guaranteed that you're going to make"
    )
    assert texts(parsed)[3].startswith("So is there an ideal podcast length, short answer? Nope.")
    assert texts(parsed)[-1].endswith("the next best thing to do is to batch your episodes.")
    assert parsed.turns[0].start_time == pytest.approx(0.179)
    assert parsed.turns[-1].end_time == pytest.approx(754.769)
    assert all("\n" not in text for text in texts(parsed))
    assert parsed.warnings == []


def test_vtt_blank_line_inside_a_cue_keeps_the_text():
    parsed = vtt("WEBVTT\n\nstray text\n\n00:01.000 --> 00:02.000\n<v Ann>one\n\ntwo\n\n00:03.000 --> 00:04.000\n<v Ann>three\n")
    assert texts(parsed) == ["one two three"]
    assert parsed.warnings == [
        "line 3: text before the first cue was skipped",
        "line 8: text after a blank line was kept with the cue before it",
    ]
