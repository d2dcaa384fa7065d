"""``tag --speaker`` takes a participant id as well as a speaker label, as ``autocode
speaker`` does: the label "Anna" is mapped to P01 on import."""

from __future__ import annotations

import pytest

from qualcode import Project
from qualcode.coding.tagging import Target
from qualcode.errors import NotFoundError

TEXT = ("Interviewer: How did you find the service?\n\n"
        "Anna: Through the food bank.\n\n"
        "Interviewer: And then?\n\n"
        "Anna: I went back the next week.\n")


@pytest.fixture
def mapped(tmp_path):
    source = tmp_path / "p01_w1.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "study.qualcode"
    with Project.create(path, title="Speaker ids") as p:
        p.study.add_wave("W1")
        p.study.add_participant("P01")
        p.transcripts.import_transcript(source, participant="P01", wave="W1", speaker_map={"Anna": "P01"})
        p.codebook.add_code("Trust")
    return path


def test_participant_id_tags_the_same_turns_as_the_label(mapped):
    with Project.open(mapped) as p:
        by_id = p.coding.tag("p01_w1", "Trust", Target(speaker="P01"))
        # Anna's two turns, and none of the interviewer's.
        assert [c.text for c in by_id] == ["Through the food bank.", "I went back the next week."]
        p.undo()
        by_label = p.coding.tag("p01_w1", "Trust", Target(speaker="Anna"))
        assert [(c.start, c.end) for c in by_label] == [(c.start, c.end) for c in by_id]


def test_unknown_speaker_names_labels_and_ids(mapped):
    with Project.open(mapped) as p, pytest.raises(NotFoundError, match="participants: P01"):
        p.coding.tag("p01_w1", "Trust", Target(speaker="P02"))


def test_cli_tag_speaker_accepts_a_participant_id(mapped, run_cli):
    result = run_cli("-p", mapped, "tag", "p01_w1", "--speaker", "P01", "--code", "Trust")
    assert result.exit_code == 0, result.output
    with Project.open(mapped) as p:
        assert len(p.coding.codings(transcript="p01_w1")) == 2
