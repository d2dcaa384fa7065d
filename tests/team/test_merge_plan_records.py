"""A codebook merge plan is a typed record: made by the team service, frozen, written
to the plan file (and --json) with the keys in the order the file has always had, and
read back from a hand-edited file into the same record. Counts by hand."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from qualcode import Project
from qualcode.records import json_data
from qualcode.records.codes import CodebookMergePlan, MergeCandidate, MergeDecision
from qualcode.team.codebook_merge import read_plan, write_plan


@pytest.fixture
def planned(tmp_path):
    with Project.create(tmp_path / "ours.qualcode", title="Plans") as ours:
        ours.codebook.add_code("Routes in", category=True)
        ours.codebook.add_code("GP referral", parent="Routes in", definition="Talk about GPs.")
        ours.codebook.add_code("Small steps", definition="One habit at a time.")
        book = tmp_path / "theirs.yaml"
        book.write_text(yaml.safe_dump({"codes": [
            {"name": "Routes in", "category": True, "children": [
                {"name": "GP referrals", "keywords": ["gp", "doctor"]}]},   # fuzzy
            {"name": "Small steps", "definition": "Changing habits."},        # conflict
            {"name": "Money worries"},                                        # new
        ]}), encoding="utf-8")
        yield ours, ours.team.codebook_merge_plan([book]), tmp_path


def test_the_plan_is_a_frozen_record_counted_by_hand(planned):
    _ours, plan, _ = planned
    assert type(plan) is CodebookMergePlan and all(type(d) is MergeDecision for d in plan.decisions)
    # four incoming codes: Routes in by name (same parent: none), GP referrals fuzzy,
    # Small steps a definition conflict, Money worries new
    assert [(d.incoming.name, d.status, d.action) for d in plan.decisions] == [
        ("Routes in", "name", "map"), ("GP referrals", "fuzzy", "review"),
        ("Small steps", "conflict", "map"), ("Money worries", "new", "add")]
    assert plan.counts() == {"name": 1, "fuzzy": 1, "conflict": 1, "new": 1}
    fuzzy = plan.decisions[1]
    assert fuzzy.target == "GP referral" and fuzzy.incoming.parent == "Routes in"
    assert fuzzy.candidates == (MergeCandidate("GP referral", fuzzy.candidates[0].score),)
    assert fuzzy.fields["keywords"] == ("gp", "doctor")
    assert plan.decisions[2].conflicts == ("definition",) and plan.decisions[2].definition == "keep"
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.decisions[1].action = "map"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.threshold = 50  # type: ignore[misc]


def test_file_keys_in_their_order_and_a_round_trip(planned):
    _ours, plan, tmp_path = planned
    data = json_data(plan)
    assert list(data) == ["format", "version", "threshold", "sources", "decisions"]
    assert data["format"] == "qualcode-merge-plan" and data["sources"] == ["theirs.yaml"]
    keys = [list(d) for d in data["decisions"]]
    base = ["source", "incoming", "fields", "parent_guid", "status"]
    assert keys == [
        [*base, "matched_by", "conflicts", "action", "target"],
        [*base, "action", "target", "candidates"],
        [*base, "matched_by", "conflicts", "action", "target", "definition"],
        [*base, "action", "target"]]
    assert data["decisions"][1]["fields"]["keywords"] == ["gp", "doctor"]   # lists in the file
    json.dumps(data)
    path = write_plan(plan, tmp_path / "plan.yaml")
    again = read_plan(path)
    assert again == plan and json_data(again) == data
    # A hand-edited decision is read into the record; what only informs the reader
    # (candidates) is dropped when its shape is wrong, and nothing fails on it.
    edited = yaml.safe_load(path.read_text())
    edited["decisions"][1].update(action="map", candidates="none")
    path.write_text(yaml.safe_dump(edited), encoding="utf-8")
    decided = read_plan(path).decisions[1]
    assert (decided.action, decided.target, decided.candidates) == ("map", "GP referral", None)
