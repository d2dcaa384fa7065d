"""Saldana's cumulative and through-line memos: tied to a participant across waves, and
listed with the change report for that participant."""

from __future__ import annotations

import json

import pytest

from qualcode import Project, QualcodeError
from qualcode.model import Target
from qualcode.records import MemoLink

from ..conftest import file_digest


def test_they_must_follow_a_participant(study):
    before = file_digest(study.path)
    for type_ in ("cumulative", "through-line"):
        with pytest.raises(QualcodeError, match=f"a {type_} memo follows a participant"):
            study.memos.add(type_, "Nobody's thread", "x", links=[MemoLink("wave", "W1")])
    assert file_digest(study.path) == before
    memo = study.memos.add("through-line", "Thread", "x", links=[MemoLink("participant", "P01"),
                                                                  MemoLink("wave", "W1")])
    with pytest.raises(QualcodeError, match="follows a participant"):
        study.memos.edit(memo.id, remove_links=[MemoLink("participant", "P01")])
    plain = study.memos.add("project", "Plain", "x")
    with pytest.raises(QualcodeError, match="a cumulative memo follows a participant"):
        study.memos.edit(plain.id, type_="cumulative")
    assert study.memos.edit(plain.id, type_="cumulative", add_links=[MemoLink("participant", "P02")]).type == \
        "cumulative"


def test_longitudinal_memos_by_participant(study):
    first = study.memos.add("cumulative", "Builds", "a", links=[MemoLink("participant", "P01")])
    second = study.memos.add("through-line", "Thread", "b", links=[MemoLink("participant", "P01"),
                                                                    MemoLink("participant", "P02")])
    study.memos.add("participant", "Portrait", "c", links=[MemoLink("participant", "P01")])
    found = study.memos.longitudinal()
    assert {pid: [m.id for m in memos] for pid, memos in found.items()} == {
        "P01": [first.id, second.id], "P02": [second.id]}
    assert list(study.memos.longitudinal(["P02"])) == ["P02"]


def test_change_lists_them_for_the_participants_it_reports(study_path, run_cli):
    with Project.open(study_path) as project:
        project.codebook.add_code("Trust")
        project.coding.tag("p01_w1", "Trust", Target(turn=2))
        project.memos.add("cumulative", "Builds over the year", "More trust each time.",
                          links=[MemoLink("participant", "P01")])
        project.memos.add("through-line", "Somebody else", "x", links=[MemoLink("participant", "P02")])
    shown = run_cli("-p", study_path, "change", "--participant", "P01").output
    assert "cumulative and through-line memos" in shown and "More trust each time." in shown
    assert "Somebody else" not in shown
    data = json.loads(run_cli("-p", study_path, "change", "--participant", "P01", "--json").output)
    assert [m["title"] for m in data["longitudinal_memos"]["P01"]] == ["Builds over the year"]
    assert set(data["longitudinal_memos"]) == {"P01"}
