"""`import --preview` (nothing written), `--labels` / `--label-pattern` and the manifest's
labels column: saying what the speakers are when detection gets a file wrong."""

from __future__ import annotations

import json

import pytest

from qualcode import Project, QualcodeError

from .conftest import file_digest

# "Well" is a word that never counts as a label: only the researcher can say it is one.
ODD = "Coach: Morning all.\nWell: I am the one called Well.\nCoach: Right.\nWell: Yes.\n"


def test_preview_writes_nothing_and_shows_what_an_import_would_find(project_path, tmp_path, run_cli):
    source = tmp_path / "otter.txt"
    source.write_text("Ann Lee  0:01\nHello there.\n\nBo Kim  0:05\nHi.\n\nAnn Lee  0:09\nBye.\n\n"
                      "Bo Kim  0:12\nBye now.\n\nTranscribed by https://otter.ai\n", encoding="utf-8")
    before = file_digest(project_path)
    result = run_cli("-p", project_path, "import", source, "--preview", "--json")
    assert result.exit_code == 0
    (item,) = json.loads(result.stdout)
    assert item["labels"] == [{"label": "Ann Lee", "turns": 2}, {"label": "Bo Kim", "turns": 2}]
    assert item["footer"] == "Transcribed by https://otter.ai"
    assert [t["speaker"] for t in item["first_turns"]] == ["Ann Lee", "Bo Kim", "Ann Lee", "Bo Kim", None]
    assert item["first_turns"][0]["text"] == "Hello there."
    text = run_cli("-p", project_path, "import", source, "--preview")
    assert "footer (no speaker): Transcribed by https://otter.ai" in text.stdout
    assert "nothing was imported" in text.stderr
    assert file_digest(project_path) == before
    with Project.open(project_path) as project:
        assert project.transcripts.all() == []


def test_labels_given_replace_detection(project, tmp_path):
    source = tmp_path / "odd.txt"
    source.write_text(ODD, encoding="utf-8")
    assert project.transcripts.preview_import(source).labels == [("Coach", 2)]
    given = project.transcripts.preview_import(source, labels="Coach,Well")
    assert given.labels == [("Coach", 2), ("Well", 2)]
    assert given.labels_given == "Coach, Well"
    pattern = project.transcripts.preview_import(source, label_pattern=r"(?P<label>[A-Z][a-z]+):")
    assert pattern.labels == given.labels
    result = project.transcripts.import_transcript(source, labels="Coach,Well", kind="focus-group")
    turns = project.transcripts.get(result.name).turns
    assert [t.speaker for t in turns] == ["Coach", "Well", "Coach", "Well"]
    text = project.transcripts.get(result.name).text
    assert [text[t.start:t.end] for t in turns] == ["Morning all.", "I am the one called Well.", "Right.", "Yes."]


def test_a_label_with_a_comma_and_bad_patterns(project, tmp_path):
    source = tmp_path / "titles.txt"
    source.write_text("Reece, Psy.D: hello\nAdam: hi\n", encoding="utf-8")
    assert project.transcripts.preview_import(source, labels=r"Reece\, Psy.D,Adam").labels == [("Reece, Psy.D", 1), ("Adam", 1)]
    with pytest.raises(QualcodeError, match="not a valid regular expression"):
        project.transcripts.preview_import(source, label_pattern="(unclosed")
    with pytest.raises(QualcodeError, match="not both"):
        project.transcripts.preview_import(source, labels="A", label_pattern="B")
    with pytest.raises(QualcodeError, match="--labels is empty"):
        project.transcripts.preview_import(source, labels=" , ")


def test_labels_given_keep_caption_times(project, tmp_path):
    source = tmp_path / "c.vtt"
    source.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nwell: I am here\n\n"
                      "00:00:03.000 --> 00:00:04.000\nCoach: good\n", encoding="utf-8")
    result = project.transcripts.import_transcript(source, labels="well,Coach", kind="focus-group")
    turns = project.transcripts.get(result.name).turns
    assert [(t.speaker, t.start_time) for t in turns] == [("well", 1.0), ("Coach", 3.0)]


def test_manifest_preview_and_labels_column(project_path, tmp_path, run_cli):
    (tmp_path / "odd.txt").write_text(ODD, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Interviewer: Hi.\n\nP01: Hello.\n", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,participant,wave,kind,labels\nodd.txt,,W1,focus-group,\"Coach,Well\"\n"
                        "plain.txt,P01,W1,interview,\nmissing.txt,P02,W1,interview,\n", encoding="utf-8")
    before = file_digest(project_path)
    result = run_cli("-p", project_path, "import", "--manifest", manifest, "--preview", "--json")
    assert result.exit_code == 1  # a row cannot be read: said, and nothing imported
    odd, plain, missing = json.loads(result.stdout)
    assert odd["labels"] == [{"label": "Coach", "turns": 2}, {"label": "Well", "turns": 2}]
    assert plain["mapping"] == {"Interviewer": None, "P01": "P01"}
    assert missing == "m.csv row 4, column file: missing.txt does not exist"
    assert file_digest(project_path) == before
    manifest.write_text("file,participant,wave,kind,labels\nodd.txt,,W1,focus-group,\"Coach,Well\"\n", encoding="utf-8")
    assert run_cli("-p", project_path, "import", "--manifest", manifest).exit_code == 0
    with Project.open(project_path) as project:
        assert [s.label for s in project.transcripts.get("odd").speakers] == ["Coach", "Well"]


def test_an_import_says_what_it_left_without_a_speaker(project, tmp_path):
    narration = "\n\n".join("The room was cold and the meeting ran late, as it always does. " * 8 for _ in range(8))
    source = tmp_path / "notes.txt"
    source.write_text(f"Q: How long?\n\nA: Ten years.\n\n{narration}\n\nTranscribed by https://otter.ai\n",
                      encoding="utf-8")
    result = project.transcripts.import_transcript(source, kind="notes")
    assert any(note.startswith("8 paragraph(s) after a labelled turn") for note in result.notes)
    assert "read as a footer, not speech: Transcribed by https://otter.ai" in result.notes
