"""Property tests: generated labelled transcripts round-trip; arbitrary bytes never crash.

Generated transcripts use one label style per file (as real transcripts do), each
speaker at least twice, random wrapping, blank lines, line endings and encodings;
the speech of every generated turn must come back with the right speaker and time.
"""

from __future__ import annotations

import io

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.errors import InputError
from qualcode.ingest.docx import read_docx
from qualcode.ingest.markdown import read_markdown
from qualcode.ingest.srt import read_srt
from qualcode.ingest.text import read_text
from qualcode.ingest.vtt import read_vtt

from ._checks import assert_valid

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPEAKERS = ["Interviewer", "INT", "I", "R", "P07", "Moderator", "Speaker 2", "Janet", "Mary Ann", "id3"]
# Words that must survive as speech, including ones that look a little like labels
# or timestamps ("said:", "10:30", "[laughs]") and characters outside ASCII.
WORDS = [
    "well", "I", "think", "so", "£20", "café", "naïve", "it’s", "“quoted”", "at", "10:30",
    "[laughs]", "(pause)", "and", "the", "food", "bank", "€5", "Yes,", "no.", "said:", "Ω", "—",
]
STYLES = ["colon", "bracket", "padded", "timed_lead", "timed_inner", "bare_lead"]


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _label(style: str, speaker: str, seconds: int) -> str:
    if style == "colon":
        return f"{speaker}: "
    if style == "bracket":
        return f"[{speaker}] "
    if style == "padded":
        return f"{speaker}\t"
    if style == "timed_lead":
        return f"[{_clock(seconds)}] {speaker}: "
    if style == "timed_inner":
        return f"{speaker} ({seconds // 60:02d}:{seconds % 60:02d}): "
    return f"{_clock(seconds)}.500 {speaker}: "


@st.composite
def transcripts(draw):
    style = draw(st.sampled_from(STYLES))
    pool = [s for s in SPEAKERS if s not in ("I", "R")] + ["Janet"] if style == "bracket" else SPEAKERS
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=12))
    # Every speaker at least twice: a label used once may rightly be doubted.
    chosen += [s for s in dict.fromkeys(chosen) if chosen.count(s) == 1]
    turns = []
    seconds = draw(st.integers(0, 600))
    for speaker in chosen:
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=15))
        if style == "padded" and words[0] == "10:30":
            # "Speaker 1<TAB>10:30" alone is an Otter label line with its time.
            words.insert(0, "well")
        seconds += draw(st.integers(1, 120))
        turns.append((speaker, words, seconds))
    heading = draw(st.booleans())
    separators = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n \n"]), min_size=len(turns), max_size=len(turns)))
    wraps = draw(st.lists(st.integers(0, 6), min_size=len(turns), max_size=len(turns)))

    parts = ["Interview C01, wave 1\n\n"] if heading else []
    for (speaker, words, seconds), sep, wrap in zip(turns, separators, wraps):
        lines = [" ".join(words[i : i + wrap]) for i in range(0, len(words), wrap)] if wrap else [" ".join(words)]
        parts.append(_label(style, speaker, seconds) + "\n".join(lines) + sep)
    text = "".join(parts)
    timed = style in ("timed_lead", "timed_inner", "bare_lead")
    expected = [(s, " ".join(w), float(t) + (0.5 if style == "bare_lead" else 0) if timed else None) for s, w, t in turns]
    if heading:
        expected.insert(0, (None, "Interview C01, wave 1", None))
    return text, expected


@st.composite
def encoded(draw):
    text, expected = draw(transcripts())
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    name = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"]))
    raw = text.replace("\n", ending)
    if name == "utf-16-be":
        data = b"\xfe\xff" + raw.encode("utf-16-be")
    else:
        try:
            data = raw.encode(name)
        except UnicodeEncodeError:
            data = raw.encode("utf-8")  # Ω is not in Windows-1252
    return data, text, expected


@SETTINGS
@given(encoded())
def test_generated_transcripts_round_trip(case):
    data, text, expected = case
    parsed = read_text(data, "gen.txt")
    assert_valid(parsed)
    assert parsed.text == text
    got = [(t.speaker, " ".join(parsed.turn_text(t).split()), t.start_time) for t in parsed.turns]
    assert got == expected


def _fragments():
    return st.lists(
        st.sampled_from(
            [
                "WEBVTT", "\n", "\r\n", "\n\n", " ", "-->", " --> ", "00:00:01.000", "00:00:02,500", "1:02",
                "99:99:99.999", "<v Bob>", "<v.x Ann Lee>", "</v>", "<b>", "<", ">", "&amp;", "&#0;", "&#x110000;",
                "NOTE", "STYLE", "1", "2", "[00:01]", "(00:01)", "\t", "  ", "é", "\u0301", ":", "Interviewer:",
                "[id1]", "Janet", "Note:", "\ufeff", "\x0c", "\u2028", "- ", "{\\an8}",
                "**", "### ", "> ", "&amp;", "\\[", "_page : 3", "- 2 -", "?: ", "(Acme)", ", Jr.", " | ",
            ]
        ),
        max_size=60,
    ).map("".join)


@pytest.mark.parametrize("reader", [read_text, read_vtt, read_srt, read_markdown], ids=["text", "vtt", "srt", "md"])
@SETTINGS
@given(data=st.one_of(st.binary(max_size=600), _fragments().map(lambda s: s.encode("utf-8"))))
def test_fuzz_only_input_errors_escape(reader, data):
    try:
        parsed = reader(data, "fuzz")
    except InputError as error:
        assert "\n" not in str(error) and str(error).startswith("fuzz: ")
        return
    assert_valid(parsed)


def _small_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Interviewer: hi")
    document.add_paragraph("Janet: hello")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SMALL_DOCX = _small_docx()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(0, len(SMALL_DOCX)),
    flips=st.lists(st.tuples(st.integers(0, len(SMALL_DOCX) - 1), st.integers(0, 255)), max_size=4),
)
def test_fuzz_docx_only_input_errors_escape(cut, flips):
    data = bytearray(SMALL_DOCX)
    for position, value in flips:
        data[position] = value
    data = bytes(data[: max(cut, 1)]) if cut < len(SMALL_DOCX) else bytes(data)
    try:
        parsed = read_docx(data, "fuzz.docx")
    except InputError as error:
        assert "\n" not in str(error) and str(error).startswith("fuzz.docx: ")
        return
    assert_valid(parsed)
