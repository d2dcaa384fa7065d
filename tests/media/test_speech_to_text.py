"""Speech-to-text output imports with its turns and times; turns without a time get an
estimated one, marked as such."""

from __future__ import annotations

import json

import pytest

from qualcode import Project
from qualcode.errors import InputError
from qualcode.ingest.readers import read_transcript

# WhisperX with diarisation: segment 2's words change speaker ("Mm." is the interviewer),
# one word has no speaker (it stays with the speaker before it), segments 4 and 5 are the
# same speaker (one turn).
WHISPERX = {
    "language": "en",
    "segments": [
        {"start": 0.5, "end": 3.2, "text": " How did the move go?", "speaker": "SPEAKER_00",
         "words": [{"word": "How", "start": 0.5, "end": 0.7, "speaker": "SPEAKER_00"},
                   {"word": "go?", "start": 1.4, "end": 3.2, "speaker": "SPEAKER_00"}]},
        {"start": 3.6, "end": 9.0, "text": " It was hard. Mm. I missed the garden.", "speaker": "SPEAKER_01",
         "words": [{"word": "It", "start": 3.6, "end": 3.8, "speaker": "SPEAKER_01"},
                   {"word": "was", "start": 3.8, "end": 4.0, "speaker": "SPEAKER_01"},
                   {"word": "hard.", "start": 4.0, "end": 4.6, "speaker": "SPEAKER_01"},
                   {"word": "Mm.", "start": 5.0, "end": 5.3, "speaker": "SPEAKER_00"},
                   {"word": "I", "start": 6.0, "end": 6.1, "speaker": "SPEAKER_01"},
                   {"word": "missed", "start": 6.1, "end": 6.5, "speaker": "SPEAKER_01"},
                   {"word": "the", "start": 6.5, "end": 6.6},
                   {"word": "garden.", "start": 6.6, "end": 9.0, "speaker": "SPEAKER_01"}]},
        {"start": 9.5, "end": 12.0, "text": " And the neighbours?", "speaker": "SPEAKER_00"},
        {"start": 12.1, "end": 15.0, "text": " Kind people.", "speaker": "SPEAKER_01"},
        {"start": 15.1, "end": 17.0, "text": " Very kind.", "speaker": "SPEAKER_01"},
    ],
}


def test_whisperx_json_with_speakers_imports_with_the_right_turns_and_times(tmp_path):
    source = tmp_path / "C05_W2.json"
    source.write_text(json.dumps(WHISPERX), encoding="utf-8")
    path = tmp_path / "study.qualcode"
    with Project.create(path) as p:
        p.study.add_participant("C05")
        result = p.transcripts.import_transcript(source, participant="C05",
                                                 speaker_map={"SPEAKER_01": "C05", "SPEAKER_00": "interviewer"})
        info = p.transcripts.get("C05_W2")
    assert result.turns == 6
    got = [(t.speaker, info.text[t.start:t.end], t.start_time, t.end_time, t.time_estimated)
           for t in info.turns]
    assert got == [
        ("SPEAKER_00", "How did the move go?", 0.5, 3.2, 0),
        ("SPEAKER_01", "It was hard.", 3.6, 5.0, 0),  # cut where the next speaker's word starts
        ("SPEAKER_00", "Mm.", 5.0, 6.0, 0),
        ("SPEAKER_01", "I missed the garden.", 6.0, 9.0, 0),
        ("SPEAKER_00", "And the neighbours?", 9.5, 12.0, 0),
        ("SPEAKER_01", "Kind people. Very kind.", 12.1, 17.0, 0),  # two segments, one turn
    ]
    assert info.source_format == "whisper"
    speakers = {s.label: (s.participant, s.interviewer) for s in info.speakers}
    assert speakers == {"SPEAKER_00": (None, 1), "SPEAKER_01": ("C05", 0)}


def test_plain_whisper_segments_are_each_a_timed_turn(tmp_path):
    source = tmp_path / "w.json"
    source.write_text(json.dumps({"text": "x", "segments": [
        {"id": 0, "start": 0.0, "end": 2.0, "text": " Hello there."},
        {"id": 1, "start": 2.0, "end": 4.5, "text": " Hello."},
        {"id": 2, "start": 5.0, "end": 5.0, "text": "  "},
    ]}), encoding="utf-8")
    parsed = read_transcript(source)
    assert [(t.speaker, parsed.turn_text(t), t.start_time, t.end_time) for t in parsed.turns] == [
        (None, "Hello there.", 0.0, 2.0), (None, "Hello.", 2.0, 4.5)]


def test_whisper_cpp_json_in_milliseconds(tmp_path):
    source = tmp_path / "w.json"
    source.write_text(json.dumps({"transcription": [
        {"timestamps": {"from": "00:00:00,000", "to": "00:00:02,500"}, "offsets": {"from": 0, "to": 2500},
         "text": " One."},
        {"offsets": {"from": 2500, "to": 4000}, "text": " Two."}]}), encoding="utf-8")
    parsed = read_transcript(source)
    assert [(parsed.turn_text(t), t.start_time, t.end_time) for t in parsed.turns] == [
        ("One.", 0.0, 2.5), ("Two.", 2.5, 4.0)]


@pytest.mark.parametrize(("content", "message"), [
    ("{\"segments\": [", "w.json: line 1: is not valid JSON"),
    ("[1, 2]", "w.json: is not speech-to-text JSON"),
    ("{\"other\": 1}", "w.json: is not speech-to-text JSON: no \"segments\" list"),
    ("{\"segments\": [{\"start\": \"soon\", \"text\": \"x\"}]}", "w.json: segment 1: time 'soon' is not"),
    ("{\"segments\": [{\"start\": 5, \"end\": 2, \"text\": \"x\"}]}", "w.json: segment 1: ends (2.0) before"),
    ("{\"segments\": []}", "w.json: has no speech"),
])
def test_bad_speech_to_text_json_is_refused_naming_the_file(tmp_path, content, message):
    source = tmp_path / "w.json"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_transcript(source)
    assert str(caught.value).startswith(message)


def test_otranscribe_otr_with_timestamps(tmp_path):
    source = tmp_path / "int.otr"
    html = ('<p><span class="timestamp" data-timestamp="4.37">0:04</span> Interviewer: How are you?</p>'
            "<p>Ann: Fine, thanks.</p>"
            '<p><span class="timestamp" data-timestamp="20.5">0:20</span> Interviewer: And work?</p>'
            "<p>Ann: Busy &amp; tiring.</p>")
    source.write_text(json.dumps({"text": html, "media": "int.mp3", "media-time": 22.1}), encoding="utf-8")
    parsed = read_transcript(source)
    assert parsed.format == "otr"
    # The text is "[00:00:04.370] Interviewer: How are you?\n\nAnn: Fine, thanks.\n\n[00:00:20.500] ...":
    # the turns start at characters 28, 47, 90 and 106. Turn 2 lies 19 of the 62 characters
    # from turn 1 to turn 3; turn 4 continues at that rate (62 characters in 16.13 s).
    assert [t.start for t in parsed.turns] == [28, 47, 90, 106]
    assert [(t.speaker, parsed.turn_text(t), t.start_time) for t in parsed.turns] == [
        ("Interviewer", "How are you?", 4.37),
        ("Ann", "Fine, thanks.", pytest.approx(4.37 + 16.13 * 19 / 62, abs=0.001)),
        ("Interviewer", "And work?", 20.5),
        ("Ann", "Busy & tiring.", pytest.approx(20.5 + 16 * 16.13 / 62, abs=0.001)),
    ]
    assert parsed.estimated == [1, 3]


def test_noscribe_html_anchors_time_the_paragraphs(tmp_path):
    source = tmp_path / "ns.html"
    source.write_text(
        "<html><head><title>t</title><style>p {}</style></head><body>"
        '<p><a name="ts_1200_4000_S00">S00: Where did you grow up?</a></p>'
        '<p><a name="ts_4500_9000_S01">S01: In a small town </a><a name="ts_9000_11000_S01">near the coast.</a></p>'
        "</body></html>", encoding="utf-8")
    parsed = read_transcript(source)
    assert [(t.speaker, parsed.turn_text(t), t.start_time) for t in parsed.turns] == [
        ("S00", "Where did you grow up?", 1.2), ("S01", "In a small town near the coast.", 4.5)]
    assert parsed.estimated == []


def test_estimated_times_are_stored_marked_and_shown(project_path):
    with Project.open(project_path) as p:
        turns = p.transcripts.get("C05_W2").turns
        # Turns 3 and 4 lie between 5 s (turn 2 starts at character 62) and 15 s (turn 5 at
        # character 165): 10 s over 103 characters; turn 3 starts at 89, turn 4 at 100.
        assert [t.start for t in turns] == [24, 62, 89, 100, 165]
        assert [t.start_time for t in turns] == [2.0, 5.0, pytest.approx(5 + 10 * 27 / 103, abs=0.001),
                                                    pytest.approx(5 + 10 * 38 / 103, abs=0.001), 15.0]
        assert [t.time_estimated for t in turns] == [0, 0, 1, 1, 0]
        assert p.media.turn_time("C05_W2", 3).clock == "~00:00:07"
        assert p.media.turn_time("C05_W2", 2).clock == "00:00:05"
