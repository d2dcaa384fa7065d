"""REFI-QDA with recordings: an AudioSource (or VideoSource) whose Transcript carries the
turn times as SyncPoints; the recording inside the .qdpx; XSD-valid; read back."""

from __future__ import annotations

import json
import zipfile

import pytest

from qualcode import Project
from qualcode.exchange.service import import_refi

from ..conftest import shared_path
from .recordings import make_video, make_wav
from .test_speech_to_text import WHISPERX

NS = {"q": "urn:QDA-XML:project:1.0"}


def _validate(qdpx):
    from lxml import etree

    with zipfile.ZipFile(qdpx) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        names = archive.namelist()
    etree.XMLSchema(etree.parse(str(shared_path("refi", "schema", "Project.xsd")))).assertValid(root)
    return root, names


@pytest.fixture
def whisper_project(tmp_path):
    """C05_W2 imported from WhisperX JSON (six timed turns), a recording linked, one coding."""
    source = tmp_path / "C05_W2.json"
    source.write_text(json.dumps(WHISPERX), encoding="utf-8")
    path = tmp_path / "study.qualcode"
    wav = make_wav(tmp_path / "C05 W2.wav", seconds=18)
    with Project.create(path) as p:
        p.transcripts.import_transcript(source)
        p.media.link("C05_W2", wav)
        p.codebook.add_code("Loss")
        from qualcode.coding.tagging import Target
        p.coding.tag("C05_W2", "Loss", Target(turn=4))
    return path, wav


def test_a_qdpx_with_an_audio_source_validates_and_reimports_with_its_sync_points(whisper_project, tmp_path):
    path, wav = whisper_project
    qdpx = tmp_path / "out.qdpx"
    with Project.open(path) as p:
        report = p.exchange.export_refi(qdpx)
        turns = p.transcripts.get("C05_W2").turns
    assert report.recordings == 1
    root, names = _validate(qdpx)
    (audio,) = root.xpath("//q:Sources/q:AudioSource", namespaces=NS)
    assert audio.get("name") == "C05 W2.wav"
    inside = "sources/" + audio.get("path").removeprefix("internal://")
    assert inside in names
    with zipfile.ZipFile(qdpx) as archive:
        assert archive.read(inside) == wav.read_bytes()
    (transcript,) = audio.xpath("q:Transcript", namespaces=NS)
    text_source = root.xpath("//q:TextSource", namespaces=NS)[0]
    assert transcript.get("plainTextPath") == text_source.get("plainTextPath")  # one text, two views
    points = [(int(s.get("position")), int(s.get("timeStamp"))) for s in transcript.xpath("q:SyncPoint", namespaces=NS)]
    # A sync point at each turn's start and end: 6 turns, 12 points, in text order.
    expected = sorted([(t.start, round(t.start_time * 1000)) for t in turns]
                      + [(t.end, round(t.end_time * 1000)) for t in turns])
    assert points == expected and len(points) == 12
    assert points[:2] == [(12, 500), (32, 3200)]  # "SPEAKER_00: " is 12 characters

    back = tmp_path / "back.qualcode"
    result = import_refi(qdpx, back)
    assert result.counts["transcripts"] == 1 and result.counts["recordings"] == 1
    with Project.open(back) as p:
        again = p.transcripts.get("C05_W2").turns
        assert [(t.start, t.start_time, t.end_time, t.time_estimated) for t in again] == \
            [(t.start, t.start_time, t.end_time, 0) for t in turns]
        link = p.media.get("C05_W2")
        assert link.state == "ok" and link.path == "back recordings/C05 W2.wav"
        assert len(p.coding.codings(transcript="C05_W2")) == 1


def test_a_video_is_a_video_source(tmp_path):
    video = make_video(tmp_path / "v.mp4")
    source = tmp_path / "t.txt"
    source.write_text("[00:00:01] A: Look.\n\n[00:00:03] B: Yes.\n", encoding="utf-8")
    path = tmp_path / "v.qualcode"
    with Project.create(path) as p:
        p.transcripts.import_transcript(source)
        p.media.link("t", video)
        p.exchange.export_refi(tmp_path / "v.qdpx")
    root, _names = _validate(tmp_path / "v.qdpx")
    points = root.xpath("//q:VideoSource/q:Transcript/q:SyncPoint", namespaces=NS)
    # Turn A (offsets 14-19) starts at 1 s and ends where B starts, at 3 s; B (35-39)
    # starts at 3 s and has no end time: three points, in milliseconds.
    assert [(int(p.get("position")), int(p.get("timeStamp"))) for p in points] == [
        (14, 1000), (19, 3000), (35, 3000)]


def test_a_missing_recording_is_left_out_and_said(whisper_project, tmp_path):
    path, wav = whisper_project
    wav.unlink()
    with Project.open(path) as p:
        report = p.exchange.export_refi(tmp_path / "out.qdpx")
    assert report.recordings == 0 and report.recordings_missing == ("C05_W2",)
    root, _names = _validate(tmp_path / "out.qdpx")
    assert not root.xpath("//q:AudioSource", namespaces=NS)


def test_the_atlas_ti_standard_project_links_its_videos_found_beside_it(tmp_path):
    sample = shared_path("refi", "samples", "atlasti-8.4-mac_refi-standard-project.qde")
    copy = tmp_path / "project.qde"
    copy.write_bytes(sample.read_bytes())
    # One of its two videos is put where its relative:/// path points (beside the .qde).
    (tmp_path / "DAD05D08-38E7-4F58-BF6D-9AAE714F2F50.mp4").write_bytes(b"not really a video")
    result = import_refi(copy, tmp_path / "atlas.qualcode")
    dropped = result.dropped
    assert dropped["audio sources without a transcript"] == 1
    assert dropped["video selections"] == 2
    # Each video's transcripts are the TextSources of the same text file: attached, not doubled.
    assert result.counts["transcripts"] == 8
    assert result.counts["recordings"] == 1
    with Project.open(tmp_path / "atlas.qualcode") as p:
        link = p.media.get("1994 Diet Coke-Diet Coke Break")
        assert (link.kind, link.path, link.state) == ("video", "DAD05D08-38E7-4F58-BF6D-9AAE714F2F50.mp4", "ok")
    missing = [w for w in result.warnings if "its recording" in w]
    assert len(missing) == 2 and all("5293A7DD-8139-4811-88E4-3357E3AA64E1.mp4" in w for w in missing)


def test_sync_points_between_turn_starts_are_interpolated_and_marked_estimated():
    from qualcode.ingest.media import times_from_sync_points

    turns = [(1, 0, 10), (2, 12, 20), (3, 32, 50), (4, 60, 70)]
    points = [(0, 0.0), (20, 2.26), (40, 3.1)]  # as ATLAS.ti writes them: not at turn starts
    assert times_from_sync_points(turns, points) == [
        (1, 0.0, None, False),
        (2, 1.356, 2.26, True),  # 12/20 of the way from 0 s to 2.26 s; ends at the point at 20
        (3, 2.764, None, True),  # 12/20 of the way from 2.26 s to 3.1 s
    ]  # turn 4 lies after the last point: no time
