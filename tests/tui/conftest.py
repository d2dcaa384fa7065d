"""A small project for TUI tests, built with the core API (fast; no example build)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.coding.tagging import Target
from qualcode.records import MemoLink

TURNS = [
    ("Interviewer", "[00:00:05] Thanks for coming. Can you tell me how you found the service?"),
    ("Anna", "[00:00:12] It was the food bank. A woman had leaflets. I went back the next week."),
    ("Interviewer", "[00:00:30] What made you go back? Was it her?"),
    ("Anna", "[00:00:41] She was not posh. She knew the area. She never judged me at all."),
    ("Anna", "[00:01:10] Money is tight. The gas is dear. I skip meals so the kids can eat. "
             "Some weeks there is nothing left."),
    ("Interviewer", "[00:01:40] Thank you. Has money been hard this year?"),
    ("Anna", "[00:01:50] Only that she listened. Nobody listens like that."),
]


def write_transcript(path: Path, turns=TURNS, name: str = "Anna") -> Path:
    lines = []
    for speaker, speech in turns:
        stamp, _, text = speech.partition(" ")
        lines.append(f"{stamp} {speaker if speaker != 'Anna' else name}: {text}")
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def _built_project(tmp_path_factory) -> Path:
    """P01 (client) interviewed at W1 and W2, P02 (manager) at W1; three codes; a few
    codings; one memo."""
    tmp_path = tmp_path_factory.mktemp("built")
    path = tmp_path / "study.qualcode"
    with Project.create(path, title="TUI test study") as p:
        p.coder = "tester"
        p.study.add_wave("W1")
        p.study.add_wave("W2")
        p.study.add_participant("P01", role="client", site="North", pseudonym="Anna",
                          attributes={"age_band": "35-44"})
        p.study.add_participant("P02", role="manager", site="North", pseudonym="Bea")
        p.study.set_attendance("P02", "W2", "missed")
        p.transcripts.import_transcript(write_transcript(tmp_path / "P01_W1.txt"), participant="P01",
                            wave="W1", speaker_map={"Anna": "P01"})
        second = [(s, t.replace("food bank", "GP surgery")) for s, t in TURNS]
        p.transcripts.import_transcript(write_transcript(tmp_path / "P01_W2.txt", second), participant="P01",
                            wave="W2", speaker_map={"Anna": "P01"})
        p.transcripts.import_transcript(write_transcript(tmp_path / "P02_W1.txt", TURNS[:4], "Bea"),
                            participant="P02", wave="W1", speaker_map={"Bea": "P02"})
        p.codebook.add_code("Relationship", category=True, colour="#e69f00")
        p.codebook.add_code("Trust", parent="Relationship", colour="#0072b2",
                   definition="Feeling able to rely on the trainer.")
        p.codebook.add_code("Money worries", colour="#d55e00")
        p.codebook.add_code("Being listened to", colour="#009e73")
        p.coding.tag("P01_W1", "Money worries", Target(sentence="5.1"))
        p.coding.tag("P01_W2", "Money worries", Target(sentence="5.2"))
        p.coding.tag("P01_W1", "Trust", Target(sentence="4.1"))
        p.coding.tag("P01_W2", "Trust", Target(sentence="4.2"))
        p.coding.tag("P02_W1", "Trust", Target(sentence="2.1"))
        p.memos.add("participant", "Anna (P01)", "Met at the food bank.", links=[MemoLink("participant", "P01")])
    return path


@pytest.fixture
def tui_project(_built_project, tmp_path) -> Path:
    """A fresh copy of the built project for each test (building imports with spaCy)."""
    path = tmp_path / "study.qualcode"
    shutil.copyfile(_built_project, path)
    return path


@pytest.fixture
def open_project(tui_project):
    """Open the test project again to check what the TUI saved."""
    def opener() -> Project:
        project = Project.open(tui_project)
        project.coder = "tester"
        return project
    return opener
