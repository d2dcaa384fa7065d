"""The codebook tree: add, rename, edit, move, merge, split, delete."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest

from qualcode import QualcodeError
from qualcode.coding.tagging import Target
from qualcode.errors import ConflictError, NotFoundError
from qualcode.records import MemoLink, json_data
from qualcode.records.codes import Code, CodeDeletion, CodeMerge, CodeNode

from .conftest import fk_problems, snapshot


def test_add_code_with_every_field(study):
    study.codebook.add_code("Getting there", category=True, colour="#0072b2", stage="axial",
                   definition="How clients arrive.")
    guid = str(uuid.uuid4())
    code = study.codebook.add_code(
        "GP referral", parent="Getting there", guid=guid, definition="Sent by a GP.",
        inclusion="Any doctor or nurse.", exclusion="Self-referral.",
        example="The doctor said give them a ring.", colour="#4c9cc9", stage="focused",
        in_vivo=True, keywords=["doctor", "GP", "nurse"],
    )
    assert code.guid == guid
    assert code.parent == "Getting there"
    assert (code.definition, code.inclusion, code.exclusion, code.example) == (
        "Sent by a GP.", "Any doctor or nurse.", "Self-referral.",
        "The doctor said give them a ring.")
    assert code.colour == "#4c9cc9" and code.stage == "focused"
    assert code.in_vivo is True and code.is_category is False and code.codable is True
    assert code.keywords == ("doctor", "GP", "nurse")
    category = study.codebook.code("Getting there")
    assert category.is_category is True and category.codable is False
    assert category.stage == "axial"
    tree = study.codebook.tree()
    assert [n.name for n in tree] == ["Getting there"]
    assert [c.name for c in tree[0].children] == ["GP referral"]
    # Defaults when nothing is given.
    plain = study.codebook.add_code("  Walking   together ")
    assert plain.name == "Walking together"
    assert plain.stage == "initial" and plain.in_vivo is False and plain.codable is True


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(name="Trust"), "already exists"),
        (dict(name="   "), "empty"),
        (dict(name="x" * 201), "longer than 200"),
        (dict(name="bell\x07"), "control characters"),
        (dict(name="New", stage="final"), "not one of"),
        (dict(name="New", colour="blue"), "not #rrggbb"),
        (dict(name="New", colour=123), "not text"),
        (dict(name="New", definition=["a list"]), "not text"),
        (dict(name="New", in_vivo="yes"), "not true or false"),
        (dict(name="New", keywords=[["nested"]]), "not a list of words"),
        (dict(name="New", parent="No such code"), "no code named"),
        (dict(name="New", guid="not-a-guid"), "not a UUID"),
        (dict(name="New", shoe_size=9), "not a field"),
    ],
)
def test_add_code_bad_input_changes_nothing(study, kwargs, message):
    study.codebook.add_code("Trust")
    before = snapshot(study)
    with pytest.raises(QualcodeError, match=message):
        study.codebook.add_code(kwargs.pop("name"), **kwargs)
    assert snapshot(study) == before


def test_add_code_with_a_guid_in_use_is_refused(study):
    code = study.codebook.add_code("Trust")
    before = snapshot(study)
    with pytest.raises(ConflictError, match="guid"):
        study.codebook.add_code("Other", guid=code.guid.upper())
    assert snapshot(study) == before


def test_none_for_a_required_field_means_default(study):
    code = study.codebook.add_code("Trust", stage=None, in_vivo=None, codable=None)
    assert code.stage == "initial" and code.in_vivo is False and code.codable is True
    study.codebook.edit_code("Trust", stage="focused")
    assert study.codebook.edit_code("Trust", stage=None, definition="d").stage == "focused"


def test_single_keyword_string_is_one_keyword(study):
    assert study.codebook.add_code("Walking", keywords="walking").keywords == ("walking",)


def test_rename_keeps_guid_and_codings(study):
    code = study.codebook.add_code("Trust")
    study.coding.tag("p01_w1", "Trust", Target(turn=2))
    renamed = study.codebook.rename_code("Trust", "Trust and rapport")
    assert renamed.guid == code.guid and renamed.codings == 1
    with pytest.raises(NotFoundError):
        study.codebook.code("Trust")
    study.codebook.add_code("Trust")  # the old name is free again
    before = snapshot(study)
    with pytest.raises(ConflictError, match="already exists"):
        study.codebook.rename_code("Trust", "Trust and rapport")
    with pytest.raises(NotFoundError):
        study.codebook.rename_code("Nope", "Other")
    with pytest.raises(QualcodeError, match="empty"):
        study.codebook.rename_code("Trust", " ")
    with pytest.raises(QualcodeError, match="nothing to change"):
        study.codebook.rename_code("Trust", " Trust ")
    assert snapshot(study) == before


def test_edit_changes_only_given_fields(study):
    study.codebook.add_code("Trust", definition="old", colour="#112233", keywords=["trust"])
    edited = study.codebook.edit_code("Trust", definition="new", stage="theoretical", in_vivo=True)
    assert edited.definition == "new" and edited.stage == "theoretical"
    assert edited.in_vivo is True
    assert edited.colour == "#112233" and edited.keywords == ("trust",)
    assert study.codebook.edit_code("Trust", category=True).codable is False
    assert study.codebook.edit_code("Trust", codable=True).codable is True
    before = snapshot(study)
    with pytest.raises(QualcodeError, match="nothing to change"):
        study.codebook.edit_code("Trust")
    with pytest.raises(QualcodeError, match="not one of"):
        study.codebook.edit_code("Trust", stage="done")
    assert snapshot(study) == before


def test_move_and_cycle_error(study):
    study.codebook.add_code("Top")
    study.codebook.add_code("Middle", parent="Top")
    study.codebook.add_code("Leaf", parent="Middle")
    study.codebook.add_code("Other")
    assert study.codebook.move_code("Leaf", "Other").parent == "Other"
    assert study.codebook.move_code("Leaf", None).parent is None
    study.codebook.move_code("Leaf", "Middle")
    before = snapshot(study)
    with pytest.raises(ConflictError, match="inside"):
        study.codebook.move_code("Top", "Leaf")  # under its own grandchild
    with pytest.raises(ConflictError, match="inside"):
        study.codebook.move_code("Top", "Middle")
    with pytest.raises(ConflictError, match="inside"):
        study.codebook.move_code("Top", "Top")
    with pytest.raises(NotFoundError):
        study.codebook.move_code("Top", "Nowhere")
    assert snapshot(study) == before
    # The move puts the code last among its new siblings.
    study.codebook.add_code("Second", parent="Other")
    study.codebook.move_code("Leaf", "Other")
    assert [c.name for c in study.codebook.tree()[-1].children] == ["Second", "Leaf"]


def _coding_ids(project, code):
    return [c.id for c in project.coding.codings(code=code)]


def test_merge_moves_codings_children_and_memo_links(study):
    study.codebook.add_code("Parent")
    study.codebook.add_code("A", parent="Parent", definition="a")
    study.codebook.add_code("B")
    study.codebook.add_code("A child", parent="A")
    study.coding.tag("p01_w1", "A", Target(turn=2), memo="twin memo")
    study.coding.tag("p01_w1", "A", Target(turn=4))
    study.coding.tag("p01_w1", "B", Target(turn=2), memo="kept memo")  # twin of A's turn 2
    twin_id = next(c.id for c in study.coding.codings(code="A") if c.start == 102)
    survivor_id = _coding_ids(study, "B")[0]
    on_code = study.memos.add("code", "about A", links=[MemoLink("code", "A")])
    on_both = study.memos.add("comparison", "A versus B", links=[MemoLink("code", "A"), MemoLink("code", "B")])
    on_twin = study.memos.add("segment", "on the twin", links=[MemoLink("coding", f"{twin_id}")])
    a_guid = study.codebook.code("A").guid

    result = study.codebook.merge_codes("A", "B")
    assert result == CodeMerge(source="A", target="B", codings_moved=1, duplicates_absorbed=1)
    b_codings = study.coding.codings(code="B")
    assert sorted((c.start, c.end) for c in b_codings) == [(102, 200), (241, 329)]
    survivor = next(c for c in b_codings if c.id == survivor_id)
    assert survivor.memo == "kept memo\n\ntwin memo"  # nothing lost silently
    assert study.codebook.code("A child").parent == "B"
    assert list(study.memos.get(on_code.id).links) == [MemoLink("code", "B")]
    assert list(study.memos.get(on_both.id).links) == [MemoLink("code", "B")]
    assert list(study.memos.get(on_twin.id).links) == [MemoLink("coding", str(survivor_id))]
    # A stays in the history, marked as merged into B.
    row = study.db.execute("SELECT merged_into_id, parent_id FROM codes WHERE guid = ?",
                           [a_guid]).fetchone()
    assert row[0] == study.codebook.code("B").id
    with pytest.raises(NotFoundError):
        study.codebook.code("A")
    assert "A" not in study.codebook.code_names()
    assert fk_problems(study) == []
    # A's name can be used again.
    assert study.codebook.add_code("A").guid != a_guid
    # The parent of the merged code can still be deleted.
    assert study.codebook.delete_code("Parent").subcodes_moved == 0
    assert fk_problems(study) == []


def test_merge_refusals(study):
    study.codebook.add_code("A")
    study.codebook.add_code("A child", parent="A")
    before = snapshot(study)
    with pytest.raises(ConflictError, match="itself"):
        study.codebook.merge_codes("A", "A")
    with pytest.raises(ConflictError, match="inside"):
        study.codebook.merge_codes("A", "A child")
    with pytest.raises(NotFoundError):
        study.codebook.merge_codes("A", "Z")
    assert snapshot(study) == before


def test_merge_chain_then_delete_target(study):
    """A into B, B into C, a new A, then C deleted with force: the merged history goes
    with C and the new A survives (names never clash)."""
    for name in ("A", "B", "C"):
        study.codebook.add_code(name)
    study.coding.tag("p01_w1", "A", Target(turn=2))
    study.codebook.merge_codes("A", "B")
    study.codebook.merge_codes("B", "C")
    assert study.codebook.code("C").codings == 1
    study.codebook.add_code("A")
    result = study.codebook.delete_code("C", force=True)
    assert result.codings_deleted == 1
    assert study.codebook.code_names() == ["A"]
    assert study.db.execute("SELECT count(*) FROM codes").fetchone()[0] == 1
    assert fk_problems(study) == []
    study.undo()
    assert sorted(study.codebook.code_names()) == ["A", "C"]
    assert study.db.execute("SELECT count(*) FROM codes").fetchone()[0] == 4


def test_split_moves_chosen_codings(study):
    study.codebook.add_code("Parent")
    study.codebook.add_code("Support", parent="Parent", stage="focused")
    for turn in (2, 4, 6):
        study.coding.tag("p01_w1", "Support", Target(turn=turn))
    ids = _coding_ids(study, "Support")
    new = study.codebook.split_code("Support", "Family support", [ids[2], ids[2]], definition="family")
    assert new.parent == "Parent" and new.stage == "focused"
    assert new.definition == "family" and new.codings == 1
    assert _coding_ids(study, "Family support") == [ids[2]]
    assert _coding_ids(study, "Support") == ids[:2]


def test_split_errors_change_nothing(study):
    study.codebook.add_code("Support")
    study.codebook.add_code("Other")
    study.coding.tag("p01_w1", "Support", Target(turn=2))
    study.coding.tag("p01_w1", "Other", Target(turn=4))
    other_id = _coding_ids(study, "Other")[0]
    mine = _coding_ids(study, "Support")[0]
    before = snapshot(study)
    with pytest.raises(QualcodeError, match="not coded with Support"):
        study.codebook.split_code("Support", "New", [mine, other_id])
    with pytest.raises(QualcodeError, match="choose the codings"):
        study.codebook.split_code("Support", "New", [])
    with pytest.raises(ConflictError, match="already exists"):
        study.codebook.split_code("Support", "Other", [mine])
    with pytest.raises(NotFoundError):
        study.codebook.split_code("Support", "New", [99999])
    assert snapshot(study) == before


def test_delete_refused_then_forced(study):
    study.codebook.add_code("Top")
    study.codebook.add_code("Doomed", parent="Top")
    study.codebook.add_code("Kid 1", parent="Doomed")
    study.codebook.add_code("Kid 2", parent="Doomed")
    study.coding.tag("p01_w1", "Doomed", Target(turn=2))
    study.coding.tag("p01_w1", "Doomed", Target(turn=4))
    memo = study.memos.add("code", "doomed", links=[MemoLink("code", "Doomed"), MemoLink("code", "Kid 1")])
    before = snapshot(study)
    with pytest.raises(ConflictError, match="2 codings and 2 sub-codes"):
        study.codebook.delete_code("Doomed")
    assert snapshot(study) == before
    result = study.codebook.delete_code("Doomed", force=True)
    assert result == CodeDeletion(code="Doomed", codings_deleted=2, subcodes_moved=2,
                                  memo_links_removed=1)
    assert study.codebook.code("Kid 1").parent == "Top" and study.codebook.code("Kid 2").parent == "Top"
    assert study.coding.codings() == []
    assert list(study.memos.get(memo.id).links) == [MemoLink("code", "Kid 1")]
    assert fk_problems(study) == []
    # An empty leaf goes without force.
    assert study.codebook.delete_code("Kid 2") == CodeDeletion(code="Kid 2", codings_deleted=0,
                                                               subcodes_moved=0, memo_links_removed=0)
    study.undo()
    study.undo()
    assert study.codebook.code("Doomed").codings == 2
    assert study.codebook.code("Kid 2").parent == "Doomed"
    assert sorted(link.target for link in study.memos.get(memo.id).links) == [
        "Doomed", "Kid 1"]


def test_codebook_tree_totals(study):
    study.codebook.add_code("Cat", category=True)
    study.codebook.add_code("One", parent="Cat")
    study.codebook.add_code("Two", parent="One")
    study.coding.tag("p01_w1", "One", Target(turn=2))
    study.coding.tag("p01_w1", "Two", Target(turn=4))
    study.coding.tag("p02_w2", "Two", Target(turn=2))
    tree = study.codebook.tree()
    assert tree[0].total == 3 and tree[0].codings == 0
    one = tree[0].children[0]
    assert (one.codings, one.total) == (1, 3)
    assert study.codebook.code("Two").codings_by_wave == {"W1": 1, "W2": 1}
    json.dumps(json_data(tree))  # plain data


def test_merge_with_codings_into_a_category_is_refused(study):
    study.codebook.add_code("Routes", category=True)
    study.codebook.add_code("GP")
    study.codebook.add_code("Empty")
    study.coding.tag("p01_w1", "GP", Target(turn=2))
    before = snapshot(study)
    with pytest.raises(ConflictError, match="Routes is a category .* GP has codings"):
        study.codebook.merge_codes("GP", "Routes")
    assert snapshot(study) == before
    study.codebook.merge_codes("Empty", "Routes")  # nothing to move: fine
    assert "Empty" not in study.codebook.code_names()


def test_codes_are_frozen_records(study):
    study.codebook.add_code("Cat", category=True)
    added = study.codebook.add_code("Trust", parent="Cat", keywords=["rely", "trust"])
    assert isinstance(added, Code) and not isinstance(added, CodeNode)
    for result in (study.codebook.code("Trust"), study.codebook.rename_code("Trust", "Trusting"),
                   study.codebook.edit_code("Trusting", definition="d"),
                   study.codebook.move_code("Trusting", None), *study.codebook.codes()):
        assert type(result) is Code
    with pytest.raises(dataclasses.FrozenInstanceError):
        added.codings = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        added["name"]  # type: ignore[index]
    assert not hasattr(added, "__dict__")  # slotted
    assert added.keywords == ("rely", "trust") and added.parent == "Cat"
    [cat, trusting] = study.codebook.tree()
    assert isinstance(cat, CodeNode) and cat.children == () and trusting.parent is None
    # The row id is for the core (code filters, memo links), never in JSON output.
    assert added.id == study.db.execute("SELECT id FROM codes WHERE name = 'Trusting'").fetchone()[0]
    assert "id" not in json_data(added)


def test_tree_nodes_walk_in_tree_order(study):
    study.codebook.add_code("A")
    study.codebook.add_code("A1", parent="A")
    study.codebook.add_code("A1x", parent="A1")
    study.codebook.add_code("A2", parent="A")
    study.codebook.add_code("B")
    [a, b] = study.codebook.tree()
    assert [n.name for n in a.walk()] == ["A", "A1", "A1x", "A2"]
    assert [n.name for n in b.walk()] == ["B"]
