"""Fixtures for corrections of imported data: the coding tests' small project (with
codings and a memo on one), and a dump of everything a correction may touch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.coding.tagging import Target
from qualcode.records import MemoLink

from .._index import expected_terms, index_terms
from ..coding.conftest import INTERVIEW, build_small_project

__all__ = ["INTERVIEW"]


@pytest.fixture(scope="session")
def coded_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corrections")
    path = folder / "coded.qualcode"
    with build_small_project(path, folder / "src") as project:
        project.coder = "tester"
        project.codebook.add_code("Doctor")
        project.codebook.add_code("Walking")
        project.codebook.add_code("Change")
        project.coding.tag("p01_w1", "Doctor", Target(range=_span(project, "My doctor told me about it.")))
        project.coding.tag("p01_w1", "Walking", Target(range=_span(project, "We went walking together every Tuesday.")))
        project.coding.tag("p01_w1", "Change", Target(range=_span(project, "It changed my life really.")))
        coding = project.coding.codings(code="Walking")[0].id
        project.memos.add("segment", "the walks", "Tuesdays matter", links=[MemoLink("coding", f"{coding}")])
    return path


def _span(project: Project, words: str) -> tuple[int, int]:
    text = project.transcripts.get("p01_w1").text
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def coded(coded_template, tmp_path) -> Project:
    path = tmp_path / "study.qualcode"
    shutil.copyfile(coded_template, path)
    with Project.open(path) as project:
        yield project


TABLES = ("transcripts", "speakers", "turns", "sentence_spans", "codes", "codings", "memos", "memo_links",
          "participants", "participant_attributes", "participant_wave_attributes", "attendance", "waves")


def dump(project: Project) -> dict:
    """Every row a correction may change, and the full-text index."""
    db = project.db
    state = {table: db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall() for table in TABLES}
    state["index"] = index_terms(db)
    return state


def assert_index_in_step(project: Project) -> None:
    assert index_terms(project.db) == expected_terms(project.db)


def fk_problems(project: Project) -> list:
    return project.db.execute("PRAGMA foreign_key_check").fetchall()
