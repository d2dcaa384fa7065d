"""Undo and redo of every coding operation, across reopening, and a property test:
any sequence of operations (codings, codebook, memos, attributes and corrections of the
imported transcripts) followed by as many undos gives back the start exactly, the
full-text index included."""

from __future__ import annotations

import shutil
import time

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from qualcode import Project, QualcodeError
from qualcode.coding.tagging import Target
from qualcode.records import MemoLink

from .._index import expected_terms, index_terms
from .conftest import INTERVIEW, dump, fk_problems


def _prepare(p: Project) -> None:
    p.codebook.add_code("Cat", category=True)
    p.codebook.add_code("A", parent="Cat", keywords=["doctor"])
    p.codebook.add_code("B")
    p.codebook.add_code("A kid", parent="A")
    p.coding.tag("p01_w1", "A", Target(turn=2), memo="m")
    p.coding.tag("p01_w1", "B", Target(turn=2))
    p.coding.tag("p01_w1", "A", Target(turn=4))
    p.memos.add("code", "about A", links=[MemoLink("code", "A"), MemoLink("participant", "P01")])


def _first_coding(p, code):
    return p.coding.codings(code=code)[0].id


OPERATIONS = {
    "add code": lambda p: p.codebook.add_code("New", parent="Cat", definition="d", keywords=["k"]),
    "rename": lambda p: p.codebook.rename_code("A", "A2"),
    "edit": lambda p: p.codebook.edit_code("A", definition="changed", stage="axial", colour="#abcdef"),
    "move": lambda p: p.codebook.move_code("A kid", "B"),
    "merge": lambda p: p.codebook.merge_codes("A", "B"),
    "split": lambda p: p.codebook.split_code("A", "A split", [_first_coding(p, "A")]),
    "delete force": lambda p: p.codebook.delete_code("A", force=True),
    "delete leaf": lambda p: p.codebook.delete_code("A kid"),
    "tag range": lambda p: p.coding.tag("p01_w1", "B", Target(range=(5, 40)), memo="x"),
    "tag turn": lambda p: p.coding.tag("p02_w2", "A", Target(turn=2)),
    "tag sentence": lambda p: p.coding.tag("p01_w1", "B", Target(sentence="4.2")),
    "tag speaker": lambda p: p.coding.tag("p01_w1", "B", Target(speaker="P01")),
    "untag": lambda p: p.coding.untag("p01_w1", "A", Target(turn=2)),
    "remove coding": lambda p: p.coding.remove_coding(_first_coding(p, "B")),
    "coding memo": lambda p: p.coding.set_coding_memo(_first_coding(p, "B"), "new memo"),
    "exemplar": lambda p: p.coding.set_exemplar(_first_coding(p, "B")),
    "add memo": lambda p: p.memos.add("theme", "t", "b", links=[MemoLink("code", "B"), MemoLink("wave", "W1")]),
    "edit memo": lambda p: p.memos.edit(p.memos.all()[0].id, body="new", add_links=[MemoLink("code", "B")],
                                       remove_links=[MemoLink("code", "A")]),
    "delete memo": lambda p: p.memos.delete(p.memos.all()[0].id),
    "apply suggestions": lambda p: p.coding.apply_suggestions(
        p.coding.suggest_by_pattern("B", r"walk|trainer", scope="sentence")),
    "load codebook": None,  # filled in below (needs the file)
    "set attribute": lambda p: p.study.set_participant("P01", {"sex": "M", "employment": "none"}),
    "wave attribute": lambda p: p.study.set_participant("P02", {"hours": "10"}, wave="W2"),
}


def _load(p):
    from ..conftest import CODEBOOK

    p.codebook.load(CODEBOOK)


OPERATIONS["load codebook"] = _load


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_each_operation_undone_and_redone(study, name):
    _prepare(study)
    start = dump(study)
    OPERATIONS[name](study)
    after = dump(study)
    assert after != start
    undone = study.undo()
    assert dump(study) == start
    assert fk_problems(study) == []
    redone = study.redo()
    assert redone.id == undone.id
    assert dump(study) == after
    assert fk_problems(study) == []
    assert [e.action for e in study.log()][-2:] == ["undo", "redo"]
    assert study.log()[-1].target_event_id == undone.id


def test_undo_survives_reopening_and_nothing_to_undo(study_path):
    with Project.open(study_path) as p:
        start = dump(p)
        p.codebook.add_code("A")
        p.coding.tag("p01_w1", "A", Target(turn=2))
        middle = dump(p)
        p.memos.add("code", "m", links=[MemoLink("code", "A")])
        end = dump(p)
    with Project.open(study_path) as p:
        assert p.undo().action == "memo.add"
        assert dump(p) == middle
    with Project.open(study_path) as p:
        p.undo()
        p.undo()
        assert dump(p) == start
        # The participants and waves of the template are older undoable events;
        # undo them all, then there is nothing left.
        while True:
            try:
                p.undo()
            except QualcodeError as exc:
                assert str(exc).startswith("cannot undo") or str(exc) == "nothing to undo"
                break
    with Project.open(study_path) as p:
        for _ in range(3):
            p.redo()
        # Redo goes oldest-undone first; after all redos the end state is back.
        while True:
            try:
                p.redo()
            except QualcodeError as exc:
                assert str(exc) == "nothing to redo"
                break
        assert dump(p) == end


def test_nothing_to_undo_in_a_new_project(project):
    with pytest.raises(QualcodeError, match="^nothing to undo$"):
        project.undo()
    with pytest.raises(QualcodeError, match="^nothing to redo$"):
        project.redo()
    project.codebook.add_code("A")
    project.undo()
    with pytest.raises(QualcodeError, match="^nothing to undo$"):
        project.undo()
    assert project.redo().action == "code.add"


def test_new_action_discards_redo(study):
    study.codebook.add_code("A")
    study.undo()
    study.codebook.add_code("B")
    with pytest.raises(QualcodeError, match="nothing to redo"):
        study.redo()
    assert study.codebook.code_names() == ["B"]
    statuses = {e.summary: e.status for e in study.log() if e.undoable}
    assert statuses["added code A"] == "discarded"


def test_undo_blocked_by_later_non_undoable_work(study, tmp_path):
    """A participant that an (un-undoable) import now depends on cannot be un-added."""
    study.study.add_participant("P03")
    (tmp_path / "p03.txt").write_text("Interviewer: Hello.\n\nP03: Hi there.\n", encoding="utf-8")
    study.transcripts.import_transcript(tmp_path / "p03.txt", participant="P03", wave="W1")
    before = dump(study)
    with pytest.raises(QualcodeError, match="cannot undo .* later work depends on it"):
        study.undo()
    assert dump(study) == before


# --- property test -------------------------------------------------------------------

CODE_NAMES = ["A", "B", "C", "D"]
SPANS = [(13, 40), (102, 129), (102, 200), (130, 166), (241, 329), (384, 471), (20, 150)]

op = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(CODE_NAMES), st.sampled_from([None, *CODE_NAMES])),
    st.tuples(st.just("rename"), st.sampled_from(CODE_NAMES), st.sampled_from(CODE_NAMES)),
    st.tuples(st.just("move"), st.sampled_from(CODE_NAMES), st.sampled_from([None, *CODE_NAMES])),
    st.tuples(st.just("merge"), st.sampled_from(CODE_NAMES), st.sampled_from(CODE_NAMES)),
    st.tuples(st.just("split"), st.sampled_from(CODE_NAMES), st.sampled_from(CODE_NAMES)),
    st.tuples(st.just("delete"), st.sampled_from(CODE_NAMES), st.just(None)),
    st.tuples(st.just("tag"), st.sampled_from(CODE_NAMES), st.sampled_from(SPANS)),
    st.tuples(st.just("untag"), st.sampled_from(CODE_NAMES), st.sampled_from(SPANS)),
    st.tuples(st.just("memo"), st.sampled_from(CODE_NAMES), st.booleans()),
    st.tuples(st.just("edit memo"), st.sampled_from(CODE_NAMES), st.text(max_size=5)),
    st.tuples(st.just("attribute"), st.sampled_from(["P01", "P02"]),
              st.sampled_from([None, "x", "y"])),
    # Corrections of imported data (their text, turns and sentences are undone too).
    st.tuples(st.just("split"), st.integers(1, 6), st.floats(0.05, 0.95)),
    st.tuples(st.just("join"), st.integers(1, 6), st.integers(2, 3)),
    st.tuples(st.just("relabel"), st.sampled_from(["P01", "Interviewer", "Nurse"]),
              st.sampled_from(["Pat", "Interviewer", "P01"])),
    st.tuples(st.just("turn speaker"), st.integers(1, 6), st.sampled_from([None, "Nurse", "P01"])),
    st.tuples(st.just("set"), st.sampled_from(["p01_w1", "p02_w2"]), st.sampled_from(["W1", "W2", ""])),
    st.tuples(st.just("replace"), st.sampled_from(["p01_w1", "p02_w2"]), st.integers(0, 2)),
    st.tuples(st.just("delete"), st.sampled_from(["p02_w2", "p01_w1"]), st.booleans()),
)

# Corrected versions of p01_w1 for "replace": a passage shortened, one deleted, one moved.
VARIANTS = [
    INTERVIEW.replace("My doctor told me about it.", "My doctor told me."),
    INTERVIEW.replace("We went walking together every Tuesday. ", "").replace(
        "It changed my life really.", "It changed my life really. We went walking together every Tuesday."),
    INTERVIEW.replace("I lost two stone. ", "").replace("Thanks for coming in today. ", ""),
]


def _apply(p: Project, kind: str, a, b) -> None:
    """Run one operation; a refusal (QualcodeError) counts as no operation."""
    if kind == "add":
        p.codebook.add_code(a, parent=b, definition=f"def {a}")
    elif kind == "rename":
        p.codebook.rename_code(a, b)
    elif kind == "move":
        p.codebook.move_code(a, b)
    elif kind == "merge":
        p.codebook.merge_codes(a, b)
    elif kind == "split":
        ids = [c.id for c in p.coding.codings(code=a)][:1]
        p.codebook.split_code(a, b, ids)
    elif kind == "delete":
        p.codebook.delete_code(a, force=True)
    elif kind == "tag":
        p.coding.tag("p01_w1", a, Target(range=b), memo=a)
    elif kind == "untag":
        p.coding.untag("p01_w1", a, Target(range=b))
    elif kind == "memo":
        links = [MemoLink("code", f"{a}")]
        codings = p.coding.codings(code=a) if b else []
        links += [MemoLink("coding", str(c.id)) for c in codings[:1]]
        p.memos.add("code", f"memo on {a}", links=links)
    elif kind == "edit memo":
        memos = p.memos.all(link=MemoLink("code", f"{a}"))
        if not memos:
            raise QualcodeError("no memo")
        p.memos.edit(memos[0].id, body=b or "empty", add_links=[MemoLink("wave", "W1")])
    elif kind == "attribute":
        p.study.set_participant(a, {"sex": b, "group": a + str(b)})
    elif kind in ("split", "join", "relabel", "turn speaker", "set", "replace", "delete"):
        _correct(p, kind, a, b)


def _correct(p: Project, kind: str, a, b) -> None:
    if kind == "split":
        turns = p.transcripts.get("p01_w1").turns
        if a > len(turns):
            raise QualcodeError("no such turn")
        turn = turns[a - 1]
        p.transcripts.split_turn("p01_w1", a, at=turn.start + int(b * (turn.end - turn.start)))
    elif kind == "join":
        p.transcripts.join_turns("p01_w1", a, b)
    elif kind == "relabel":
        p.transcripts.relabel_speakers("p01_w1", {a: b})
    elif kind == "turn speaker":
        p.transcripts.set_turn_speaker("p01_w1", a, b)
    elif kind == "set":
        p.transcripts.set_transcript(a, wave=b)
    elif kind == "replace":
        p.transcripts.replace_transcript(a, VARIANT_FILES[b])
    elif kind == "delete":
        p.transcripts.delete_transcript(a, force=b)


VARIANT_FILES: list = []


@pytest.fixture(scope="module")
def property_template(template_file, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("variants")
    VARIANT_FILES[:] = []
    for index, text in enumerate(VARIANTS):
        VARIANT_FILES.append(folder / f"p01_w1_v{index}.txt")
        VARIANT_FILES[-1].write_text(text, encoding="utf-8")
    path = tmp_path_factory.mktemp("prop") / "base.qualcode"
    shutil.copyfile(template_file, path)
    with Project.open(path) as p:
        p.codebook.add_code("A")
        p.codebook.add_code("B", parent="A")
        p.coding.tag("p01_w1", "A", Target(range=(102, 200)))
        p.coding.tag("p01_w1", "B", Target(range=(102, 200)))
        p.memos.add("code", "memo on A", links=[MemoLink("code", "A")])
    return str(path)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=12))
def test_any_sequence_then_as_many_undos_restores_the_start(property_template, tmp_path, ops):
    path = tmp_path / f"prop-{time.monotonic_ns()}.qualcode"
    shutil.copyfile(property_template, path)
    with Project.open(path) as p:
        start = dump(p)
        done = 0
        for kind, a, b in ops:
            try:
                _apply(p, kind, a, b)
                done += 1
                event(f"done: {kind}")
            except QualcodeError:
                pass
            assert fk_problems(p) == []
        after = dump(p)
        assert index_terms(p.db) == expected_terms(p.db)
        for _ in range(done):
            p.undo()
            assert fk_problems(p) == []
        assert dump(p) == start
        for _ in range(done):
            p.redo()
        assert dump(p) == after
        assert index_terms(p.db) == expected_terms(p.db)
        with pytest.raises(QualcodeError, match="nothing to redo"):
            p.redo()
    path.unlink()


def test_undo_of_a_new_coders_first_coding_after_they_imported(study, tmp_path):
    """The coder row a first coding creates is kept on undo while a later import (not
    undoable) records that coder as its importer: it must not block the undo."""
    study.codebook.add_code("A")
    study.coder = "passer-by"
    study.coding.tag("p01_w1", "A", Target(turn=4))
    study.undo()
    assert "passer-by" not in [c.name for c in study.study.coders()]  # unused: removed
    study.coder = "newcomer"
    study.coding.tag("p01_w1", "A", Target(turn=2))
    (tmp_path / "late.txt").write_text("Interviewer: Hi.\n\nP01: Hello again.\n", encoding="utf-8")
    study.transcripts.import_transcript(tmp_path / "late.txt", participant="P01", wave="W2")
    assert study.undo().action == "coding.add"
    assert study.coding.codings() == []
    assert "newcomer" in [c.name for c in study.study.coders()]
    assert study.redo().action == "coding.add"
    assert [c.coder for c in study.coding.codings()] == ["newcomer"]
    assert fk_problems(study) == []
