"""Linking a recording to a transcript: stored relative to the project file, with its
size, hash and duration; a missing or changed file is reported, and found again by hash."""

from __future__ import annotations

import hashlib
import json
import shutil
import wave

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli import cli
from qualcode.errors import InputError, NotFoundError, QualcodeError

from .recordings import make_wav


def run(path, *args):
    result = CliRunner().invoke(cli, ["-p", str(path), *args], catch_exceptions=False)
    return result


def test_link_stores_a_relative_path_the_hash_and_the_duration(project_path, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no ffprobe: the duration comes from the WAV header
    recordings = project_path.parent / "audio"
    recordings.mkdir()
    wav = make_wav(recordings / "c05 w2.wav", seconds=20)
    with wave.open(str(wav)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    with Project.open(project_path) as p:
        link = p.media.link("C05_W2", wav)
        assert link.path == "audio/c05 w2.wav"  # relative to the project file's folder
        assert link.kind == "audio" and link.state == "ok"
        assert link.sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()
        assert link.size == wav.stat().st_size
        assert link.duration == pytest.approx(seconds, abs=0.001)
        assert p.status()["recordings"] == {"linked": 1, "missing": [], "changed": []}
        # One undoable action: undo removes the link.
        p.undo()
        with pytest.raises(NotFoundError, match="no recording linked"):
            p.media.get("C05_W2")


def test_a_moved_project_folder_keeps_its_recordings(project_path, tmp_path):
    make_wav(project_path.parent / "rec.wav", seconds=3)
    with Project.open(project_path) as p:
        p.media.link("C05_W2", project_path.parent / "rec.wav")
    moved = shutil.move(str(project_path.parent), str(tmp_path / "elsewhere"))
    with Project.open(f"{moved}/study.qualcode") as p:
        assert p.media.get("C05_W2").state == "ok"


def test_missing_and_changed_recordings_are_reported_and_relinked_by_hash(project_path, tmp_path):
    wav = make_wav(project_path.parent / "rec.wav", seconds=3)
    with Project.open(project_path) as p:
        p.media.link("C05_W2", wav)
    backup = tmp_path / "backup" / "deep"
    backup.mkdir(parents=True)
    shutil.move(str(wav), str(backup / "renamed.wav"))
    (tmp_path / "backup" / "other.wav").write_bytes(b"x" * (backup / "renamed.wav").stat().st_size)  # same size

    assert "recordings missing: C05_W2" in run(project_path, "status").output
    shown = run(project_path, "transcript", "media", "C05_W2")
    assert shown.exit_code == 0 and "MISSING" in shown.output  # reported, not fatal

    result = run(project_path, "transcript", "media", "--relink", str(tmp_path / "backup"), "--json")
    found = json.loads(result.output)
    assert [(f["transcript"], f["state"]) for f in found] == [("C05_W2", "ok")]
    assert found[0]["path"] == "../backup/deep/renamed.wav"

    # Same name, other bytes: changed, and a relink does not take a file of other content.
    (backup / "renamed.wav").write_bytes(b"y" * (backup / "renamed.wav").stat().st_size)
    with Project.open(project_path) as p:
        assert p.media.get("C05_W2").state == "changed"
        assert p.media.relink(tmp_path / "backup") == []


def test_bad_recordings_are_refused_and_leave_the_project_as_it_was(project_path):
    before = project_path.read_bytes()
    (project_path.parent / "notes.pdf").write_bytes(b"%PDF")
    with Project.open(project_path) as p:
        with pytest.raises(InputError, match=r"notes.pdf: is not a recording qualcode knows \(.pdf\)"):
            p.media.link("C05_W2", project_path.parent / "notes.pdf")
        with pytest.raises(InputError, match="gone.wav: does not exist"):
            p.media.link("C05_W2", project_path.parent / "gone.wav")
        with pytest.raises(NotFoundError, match="no transcript named 'nope'"):
            p.media.link("nope", make_wav(project_path.parent / "r.wav", 1))
    assert project_path.read_bytes() == before


def test_a_manifest_media_column_links_each_recording(tmp_path):
    folder = tmp_path / "data"
    (folder / "audio").mkdir(parents=True)
    (folder / "P01_W1.txt").write_text("[00:00:01] Interviewer: Hello?\n\n[00:00:03] P01: Hello.\n", encoding="utf-8")
    (folder / "P02_W1.txt").write_text("Interviewer: Hi?\n\nP02: Hi.\n", encoding="utf-8")
    wav = make_wav(folder / "audio" / "p01.wav", seconds=4)
    manifest = folder / "manifest.csv"
    manifest.write_text("file,participant,wave,media\nP01_W1.txt,P01,W1,audio/p01.wav\nP02_W1.txt,P02,W1,\n",
                        encoding="utf-8")
    path = tmp_path / "s.qualcode"
    with Project.create(path) as p:
        p.transcripts.import_manifest(manifest)
        (link,) = p.media.all()
        assert (link.transcript, link.path, link.sha256) == (
            "P01_W1", "data/audio/p01.wav", hashlib.sha256(wav.read_bytes()).hexdigest())


def test_a_manifest_naming_a_missing_recording_fails_before_anything_is_written(tmp_path):
    (tmp_path / "P01_W1.txt").write_text("Interviewer: Hello?\n\nP01: Hello.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,participant,wave,media\nP01_W1.txt,P01,W1,gone.wav\n", encoding="utf-8")
    path = tmp_path / "s.qualcode"
    Project.create(path).close()
    before = path.read_bytes()
    with Project.open(path) as p, pytest.raises(QualcodeError, match="manifest.csv row 2, column media: gone.wav does not exist"):
        p.transcripts.import_manifest(manifest)
    assert path.read_bytes() == before
