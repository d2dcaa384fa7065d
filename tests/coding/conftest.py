"""Fixtures for the coding core: a small project with one imported interview."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode import Project

INTERVIEW = """\
Interviewer: Thanks for coming in today. Can you tell me how you first heard about the service?

P01: My doctor told me about it. She said my blood pressure was high. I was a bit scared, to be honest.

Interviewer: What happened next?

P01: I rang them up. A trainer called Sam came round. We went walking together every Tuesday.

Interviewer: And how do you feel about it now?

P01: It changed my life really. I lost two stone. My daughter says I look ten years younger.
"""

SECOND = """\
Interviewer: Last time you told me about the walking. How is it going?

P02: I stopped walking when the weather turned. The trainer left and nobody rang me.

Interviewer: That sounds hard.

P02: It was. I felt let down by the service, to be honest.
"""


def build_small_project(path: Path, folder: Path) -> Project:
    """A project with waves W1, W2, participants P01 (client) and P02 (trainer), and
    the interviews 'p01_w1' (P01 at W1) and 'p02_w2' (P02 at W2)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "p01_w1.txt").write_text(INTERVIEW, encoding="utf-8")
    (folder / "p02_w2.txt").write_text(SECOND, encoding="utf-8")
    project = Project.create(path, title="Coding study")
    project.study.add_wave("W1")
    project.study.add_wave("W2")
    project.study.add_participant("P01", role="client", site="Northgate", attributes={"sex": "F"})
    project.study.add_participant("P02", role="trainer", site="Riverside")
    project.transcripts.import_transcript(folder / "p01_w1.txt", participant="P01", wave="W1")
    project.transcripts.import_transcript(folder / "p02_w2.txt", participant="P02", wave="W2")
    return project


@pytest.fixture(scope="session")
def template_file(tmp_path_factory) -> Path:
    """The small project built once per session; tests get a copy."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.qualcode"
    build_small_project(path, folder / "src").close()
    return path


def copy_project(template: Path, dest: Path) -> Path:
    shutil.copyfile(template, dest)
    return dest


@pytest.fixture
def study_path(template_file, tmp_path) -> Path:
    return copy_project(template_file, tmp_path / "study.qualcode")


@pytest.fixture
def study(study_path) -> Project:
    with Project.open(study_path) as project:
        yield project


def snapshot(project: Project) -> dict:
    """Everything a failed action must leave untouched."""
    db = project.db
    return {
        table: db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        for table in ("codes", "codings", "memos", "memo_links", "events", "event_changes",
                      "participants", "participant_attributes", "coders", "settings")
    }


def dump(project: Project) -> dict:
    """The undoable content, every column (timestamps included), and the full-text index."""
    from .._index import index_terms

    db = project.db
    state = {
        table: db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
        for table in ("codes", "codings", "memos", "memo_links", "participants",
                      "participant_attributes", "participant_wave_attributes", "attendance",
                      "waves", "speakers", "settings", "transcripts", "turns", "sentence_spans")
    }
    state["index"] = index_terms(db)
    return state


def fk_problems(project: Project) -> list:
    return project.db.execute("PRAGMA foreign_key_check").fetchall()
