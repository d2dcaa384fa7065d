"""Memos: types, links, editing, deleting, filters, and links never left dangling."""

from __future__ import annotations

import pytest

from qualcode import QualcodeError
from qualcode.coding.tagging import Target
from qualcode.errors import NotFoundError
from qualcode.model import LONGITUDINAL_MEMO_TYPES
from qualcode.records import MemoLink
from qualcode.store.schema import MEMO_TYPES

from .conftest import fk_problems, snapshot


@pytest.fixture
def linked(study):
    study.codebook.add_code("Trust")
    study.codebook.add_code("Fear")
    [coding] = study.coding.tag("p01_w1", "Trust", Target(turn=2))
    study.coding_id = coding.id
    return study


@pytest.mark.parametrize("type_", MEMO_TYPES)
def test_every_memo_type(linked, type_):
    # cumulative and through-line memos follow a participant: they must be linked to one
    links = [MemoLink("participant", "P01")] if type_ in LONGITUDINAL_MEMO_TYPES else []
    memo = linked.memos.add(type_, f"A {type_} memo", "Body text\nover lines.", links=links)
    assert memo.type == type_ and memo.body == "Body text\nover lines."
    assert memo.author == "tester" and memo.created == memo.updated
    assert memo.links == tuple(links)


def test_links_to_every_kind(linked):
    links = [MemoLink("code", "Trust"), MemoLink("coding", f"{linked.coding_id}"), MemoLink("participant", "P01"),
             MemoLink("transcript", "p01_w1"), MemoLink.parse(" wave : W1 ")]
    memo = linked.memos.add("comparison", "  Trust   across waves ", "b", links=links,
                           author="anna")
    assert memo.title == "Trust across waves" and memo.author == "anna"
    assert list(memo.links) == [
        MemoLink("code", "Trust"),
        MemoLink("coding", str(linked.coding_id)),
        MemoLink("participant", "P01"),
        MemoLink("transcript", "p01_w1"),
        MemoLink("wave", "W1"),
    ]
    # The same link twice is one link.
    again = linked.memos.add("code", "twice", links=[MemoLink("code", "Trust"), MemoLink.parse("code:Trust")])
    assert list(again.links) == [MemoLink("code", "Trust")]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(type_="diary", title="t"), "not one of"),
        (dict(type_="code", title="  "), "title is empty"),
        (dict(type_="code", title="t", links=[MemoLink("code", "Nope")]), "no such code"),
        (dict(type_="code", title="t", links=[MemoLink("coding", "abc")]), "no such coding"),
        (dict(type_="code", title="t", links=[MemoLink("coding", "999")]), "no such coding"),
        (dict(type_="code", title="t", links=[MemoLink("participant", "P99")]), "no such participant"),
        (dict(type_="code", title="t", links=[MemoLink("transcript", "x")]), "no such transcript"),
        (dict(type_="code", title="t", links=[MemoLink("wave", "W9")]), "no such wave"),
        (dict(type_="code", title="t", links=[MemoLink("theme", "x")]), "not one of"),
    ],
)
def test_bad_memo_input_changes_nothing(linked, kwargs, message):
    before = snapshot(linked)
    with pytest.raises(QualcodeError, match=message):
        linked.memos.add(**kwargs)
    assert snapshot(linked) == before


def test_edit_memo(linked):
    memo = linked.memos.add("code", "Trust", "first", links=[MemoLink("code", "Trust")])
    linked.db.execute("UPDATE memos SET updated = '2000-01-01T00:00:00+00:00'")
    edited = linked.memos.edit(memo.id, title="Trust, again", body="second",
                              type_="theoretical", add_links=[MemoLink("code", "Fear"), MemoLink("wave", "W1")],
                              remove_links=[MemoLink("code", "Trust")])
    assert (edited.title, edited.body, edited.type) == ("Trust, again", "second",
                                                                 "theoretical")
    assert list(edited.links) == [MemoLink("code", "Fear"), MemoLink("wave", "W1")]
    assert edited.updated > "2000" and edited.updated >= edited.created
    before = snapshot(linked)
    for kwargs, message in [
        (dict(), "nothing to change"),
        (dict(add_links=[MemoLink("code", "Fear")]), "nothing to change"),  # linked already
        (dict(title=""), "title is empty"),
        (dict(type_="diary"), "not one of"),
        (dict(remove_links=[MemoLink("code", "Trust")]), "not linked to code:Trust"),
        (dict(add_links=[MemoLink("code", "Nope")]), "no such code"),
    ]:
        with pytest.raises(QualcodeError, match=message):
            linked.memos.edit(memo.id, **kwargs)
    with pytest.raises(NotFoundError, match="no memo with id 999"):
        linked.memos.edit(999, body="x")
    assert snapshot(linked) == before


def test_delete_memo_removes_links(linked):
    memo = linked.memos.add("code", "Trust", links=[MemoLink("code", "Trust"), MemoLink("participant", "P01")])
    linked.memos.delete(memo.id)
    with pytest.raises(NotFoundError):
        linked.memos.get(memo.id)
    assert linked.db.execute("SELECT count(*) FROM memo_links").fetchone()[0] == 0
    linked.undo()
    assert len(linked.memos.get(memo.id).links) == 2


def test_memo_filters(linked):
    linked.memos.add("code", "one", links=[MemoLink("code", "Trust")])
    linked.coder = "anna"
    linked.memos.add("theme", "two", links=[MemoLink("participant", "P01"), MemoLink("code", "Fear")])
    linked.memos.add("code", "three")
    titles = lambda **kw: [m.title for m in linked.memos.all(**kw)]
    assert titles() == ["one", "two", "three"]
    assert titles(type_="code") == ["one", "three"]
    assert titles(author="anna") == ["two", "three"]
    assert titles(author="tester", type_="code") == ["one"]
    assert titles(link=MemoLink("code", "Fear")) == ["two"]
    assert titles(link=MemoLink("participant", "P01")) == ["two"]
    with pytest.raises(NotFoundError):
        linked.memos.all(link=MemoLink("code", "Nope"))


def test_deleting_a_code_or_coding_leaves_no_dangling_link(linked):
    on_code = linked.memos.add("code", "on code", links=[MemoLink("code", "Trust"), MemoLink("wave", "W1")])
    on_coding = linked.memos.add("segment", "on coding", links=[MemoLink("coding", f"{linked.coding_id}")])
    linked.coding.remove_coding(linked.coding_id)
    assert linked.memos.get(on_coding.id).links == ()
    linked.codebook.delete_code("Trust", force=True)
    assert list(linked.memos.get(on_code.id).links) == [MemoLink("wave", "W1")]
    assert fk_problems(linked) == []
    assert linked.db.execute(
        "SELECT count(*) FROM memo_links WHERE code_id IS NOT NULL OR coding_id IS NOT NULL"
    ).fetchone()[0] == 0
    # Deleting with force takes the codings' links too, and undo brings all back.
    linked.undo()
    linked.undo()
    assert len(linked.memos.get(on_coding.id).links) == 1
    assert len(linked.memos.get(on_code.id).links) == 2
    [c] = linked.coding.codings()
    memo = linked.memos.add("segment", "second", links=[MemoLink("coding", f"{c.id}")])
    linked.codebook.delete_code("Trust", force=True)
    assert linked.memos.get(memo.id).links == () and fk_problems(linked) == []


def test_merge_repoints_links(linked):
    memo = linked.memos.add("code", "fear", links=[MemoLink("code", "Fear"), MemoLink("coding", f"{linked.coding_id}")])
    linked.codebook.merge_codes("Trust", "Fear")
    assert list(linked.memos.get(memo.id).links) == [
        MemoLink("code", "Fear"), MemoLink("coding", str(linked.coding_id))]
    assert linked.coding.codings()[0].code == "Fear"
    assert fk_problems(linked) == []
