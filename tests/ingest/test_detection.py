"""Speaker detection decided by evidence in the whole file: shapes, frequency, position,
what is not speech, paragraphs of unlabelled text, and Markdown."""

from __future__ import annotations

from qualcode.ingest.markdown import read_markdown
from qualcode.ingest.text import read_text
from qualcode.ingest.vtt import read_vtt

from ._checks import assert_valid, speakers, texts


def parse(source: str):
    parsed = read_text(source.encode("utf-8"), "t.txt")
    assert_valid(parsed)
    return parsed


def parse_md(source: str):
    parsed = read_markdown(source.encode("utf-8"), "t.md")
    assert_valid(parsed)
    return parsed


# --- label shapes that need the whole file -------------------------------------------


def test_lowercase_ids_and_a_label_heard_once():
    parsed = parse(
        "Interviewer:     Ready?\nrespondent-3:     Yes.\nInterviewer:     Go on.\n"
        "respondent-3:     Well, it started in May.\nSystem:     Recording paused.\n"
        "Interviewer:     Back again.\nrespondent-3:     Right.\n"
    )
    assert parsed.speakers == ["Interviewer", "respondent-3", "System"]
    assert speakers(parsed).count("respondent-3") == 3


def test_handles_need_a_dense_file_and_must_not_be_words_of_the_speech():
    chat = "jdoe: hi all\nmkhan: hello\njdoe: shall we start\nmkhan: yes\n"
    assert parse(chat).speakers == ["jdoe", "mkhan"]
    # "said" is used as a word in the speech, so "said:" opening a line is speech too.
    wrapped = ("Janet: and then she said: no\nAnna: really\nJanet: yes she\nsaid: no way\n"
               "Anna: and you\nJanet: I\nsaid: fine\n")
    assert "said" not in parse(wrapped).speakers


def test_names_with_parentheses_titles_and_bars():
    parsed = parse(
        "Jo Bloggs (Acme): one\nMireille Reece, Psy.D: two\nTim Beiko | EF: three\n"
        "Jo Bloggs (Acme): four\nMireille Reece, Psy.D: five\nTim Beiko | EF: six\n"
    )
    assert parsed.speakers == ["Jo Bloggs (Acme)", "Mireille Reece, Psy.D", "Tim Beiko | EF"]
    assert texts(parsed)[:3] == ["one", "two", "three"]


def test_speech_that_only_looks_like_a_label_stays_speech():
    parsed = parse(
        "Interviewer: How was it?\nJanet: Well, basically: awful.\nInterviewer: Why?\n"
        "Janet: Question 3: is on the form.\nInterviewer: Right.\nJanet: Yes.\n"
    )
    assert parsed.speakers == ["Interviewer", "Janet"]


def test_label_alone_on_its_line_counts_only_as_the_main_style():
    hansard = (
        "Mr Speaker\nOrder. I call the Minister.\n\nThe Minister for Schools (Jo Hale)\n"
        "I beg to move.\n\nMr Speaker\nI call Sam Ord.\n\nSam Ord (Leeds) (Lab)\nWill she give way?\n"
    )
    assert parse(hansard).speakers == ["Mr Speaker", "The Minister for Schools (Jo Hale)", "Sam Ord (Leeds) (Lab)"]
    # In a colon transcript, a short line on its own is speech.
    parsed = parse("Janet: I went to see\nDoctor Patel\nAnna: And?\nJanet: Fine.\nAnna: Good.\nDoctor Patel\n")
    assert parsed.speakers == ["Janet", "Anna"]


# --- what is not speech ----------------------------------------------------------------


def test_page_markers_fields_and_timestamp_lines_belong_to_no_turn():
    parsed = parse(
        "Page 1 of 2\n\n[01:02:03:04]\n_page : 12\nCDR: Go.\n\n[01:02:03:09]\nCC: Copy.\n\n- 2 -\n\n"
        "CDR: Still here.\n\n_note: the tape skips here.\n\nCC: Roger.\n\nPage 2 of 2\n"
    )
    assert speakers(parsed) == ["CDR", "CC", "CDR", "CC"]
    assert texts(parsed) == ["Go.", "Copy.", "Still here.", "Roger."]
    assert parsed.turns[0].start_time == 86400 + 2 * 3600 + 3 * 60 + 4  # days:hours:minutes:seconds
    reasons = sorted({why for _, _, why in parsed.layout.skipped})
    assert reasons == ["field", "page marker"]


def test_a_label_holding_only_timestamps_is_a_marker():
    parsed = parse_md(
        "**Ann Lee:** Welcome.\n\n**Bo Kim:** Thanks.\n\n**Ad:** \\[10:02\\] to \\[11:30\\]\n\n"
        "**Bo Kim:** As I said.\n\n**Ann Lee:** Yes.\n"
    )
    assert parsed.speakers == ["Ann Lee", "Bo Kim"]
    assert "Ad" not in parsed.speakers and all("10:02" not in t for t in texts(parsed))


def test_a_clock_after_a_label_times_the_turn():
    parsed = parse("[Ann Lee] 10:02:15\nGood morning.\n\n[Bo Kim] 10:02:20\nMorning!\n\n[Ann Lee] 10:03:01\nRight.\n")
    assert texts(parsed) == ["Good morning.", "Morning!", "Right."]
    assert [t.start_time for t in parsed.turns] == [36135, 36140, 36181]


def test_footer_is_not_the_last_speakers():
    parsed = parse("Ann Lee  0:01\nHello.\n\nBo Kim  0:05\nHi.\n\nAnn Lee  0:09\nBye.\n\nBo Kim  0:12\nBye now.\n\n"
                   "Transcribed by https://otter.ai\n")
    assert speakers(parsed) == ["Ann Lee", "Bo Kim", "Ann Lee", "Bo Kim", None]
    assert parsed.layout.footer is not None
    assert parsed.text[slice(*parsed.layout.footer)] == "Transcribed by https://otter.ai"


def test_narration_after_a_labelled_exchange_is_nobodys():
    narration = "\n\n".join(
        f"Paragraph {i} of my notes: the room was cold and the meeting ran late, as it always does. " * 6
        for i in range(8)
    )
    parsed = parse(f"Q: How long have you lived here?\n\nA: Ten years.\n\nQ: And before?\n\nA: Leeds.\n\n{narration}\n")
    assert speakers(parsed)[:4] == ["Q", "A", "Q", "A"]
    assert speakers(parsed)[4:] == [None] * 8
    assert parsed.layout.narration == 8


def test_a_speakers_own_paragraphs_stay_theirs():
    parsed = parse("Q: What happened?\n\nA: We moved.\n\nThen the mill closed.\n\nQ: And then?\n\nA: Nothing.\n")
    assert speakers(parsed) == ["Q", "A", "A", "Q", "A"]


# --- text without labels -----------------------------------------------------------------


def test_unlabelled_lines_are_paragraphs():
    parsed = parse("First note, a long line about the day.\nSecond note.\nThird note, shorter.\n")
    assert texts(parsed) == ["First note, a long line about the day.", "Second note.", "Third note, shorter."]
    assert speakers(parsed) == [None, None, None]
    assert parsed.layout.paragraphs == "lines"


def test_hard_wrapped_text_is_joined_into_paragraphs():
    words = ("the minute books of the society record every meeting but not what was said " * 4).split()
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > 60:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line + ".")
    first = "\n".join(lines)
    parsed = parse(f"{first}\nA second paragraph starts here.\n")
    assert len(parsed.turns) == 2
    assert texts(parsed)[0] == first
    assert parsed.layout.paragraphs == "wrapped lines"


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_marks_entities_and_escapes_are_cleaned():
    parsed = parse_md(
        "# Episode 1\n\n**Ann Lee:** Welcome to *the show* &amp; thanks, [see notes](https://x.org).\n\n"
        "**Bo Kim:** \\[04:06\\] Happy to be here. \\[laughs\\]\n\n**Ann Lee:** Great.\n"
    )
    assert parsed.speakers == ["Ann Lee", "Bo Kim"]
    assert texts(parsed)[1] == "Welcome to the show & thanks, see notes."
    assert texts(parsed)[2] == "Happy to be here. [laughs]"
    assert parsed.turns[2].start_time == 246
    assert "**" not in parsed.text and "\\[" not in parsed.text and "&amp;" not in parsed.text
    assert speakers(parsed)[0] is None  # the title is a header, not a turn of anyone


def test_markdown_headings_and_bold_without_a_colon_must_recur():
    parsed = parse_md("## Ann Lee\n\nHello.\n\n## Bo Kim\n\nHi.\n\n## Ann Lee\n\nBye.\n\n## Bo Kim\n\nBye.\n")
    assert speakers(parsed) == ["Ann Lee", "Bo Kim", "Ann Lee", "Bo Kim"]
    emphasis = parse_md("**Really** good, she said.\n\nAnd then we left.\n")
    assert emphasis.speakers == []


# --- captions ---------------------------------------------------------------------------------


def _vtt(*cues: str) -> bytes:
    body = "".join(f"{i + 1}\n00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{cue}\n\n" for i, cue in enumerate(cues))
    return f"WEBVTT\n\n{body}".encode()


def test_vtt_handles_count_where_cues_carry_names():
    zoom = read_vtt(_vtt("stokes: Hello.", "Ann Lee (EF): Hi.", "stokes: Shall we?", "Ann Lee (EF): Yes."), "z.vtt")
    assert zoom.speakers == ["stokes", "Ann Lee (EF)"]
    captions = read_vtt(_vtt("listen: this is the song", "and it goes on", "and on", "like this"), "c.vtt")
    assert captions.speakers == []
    assert texts(captions)[0] == "listen: this is the song"


def test_srt_handles_must_recur():
    from qualcode.ingest.srt import read_srt

    def srt(*cues: str) -> bytes:
        return "".join(f"{i + 1}\n00:00:0{i},000 --> 00:00:0{i},900\n{c}\n\n" for i, c in enumerate(cues)).encode()

    lyric = read_srt(srt("listen: this is the song", "and it goes on"), "s.srt")
    assert lyric.speakers == []
    chat = read_srt(srt("jdoe: hi", "still me", "mkhan: hello", "jdoe: bye", "mkhan: bye"), "c.srt")
    assert chat.speakers == ["jdoe", "mkhan"]
