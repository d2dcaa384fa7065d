"""Every correction of imported data: what it does, that it is logged, undone and redone
exactly (the full-text index included), and that a refused one changes nothing."""

from __future__ import annotations

import pytest

from qualcode import QualcodeError
from qualcode.records import MemoLink
from qualcode.records.transcripts import TranscriptDeleted, TranscriptSummary

from ..conftest import file_digest
from .conftest import INTERVIEW, assert_index_in_step, dump, fk_problems

CORRECTED = INTERVIEW.replace(
    # Edited inside a coded passage (shortened), a coded passage deleted, one moved.
    "My doctor told me about it.", "My doctor told me."
).replace(
    "It changed my life really. ", ""
).replace(
    "P01: I rang them up. A trainer called Sam came round. We went walking together every Tuesday.\n\n", ""
).replace(
    "P01: My doctor told me.", "P01: We went walking together every Tuesday. My doctor told me."
)


def _texts(project, name="p01_w1"):
    info = project.transcripts.get(name)
    return [(t.speaker, info.text[t.start:t.end]) for t in info.turns]


def _coded(project):
    text = project.transcripts.get("p01_w1").text
    return {c.code: text[c.start:c.end] for c in project.coding.codings()}


def _round_trip(project, action):
    """Run a correction; check undo gives the start back exactly and redo the end."""
    start = dump(project)
    result = action()
    after = dump(project)
    assert after != start
    assert fk_problems(project) == []
    assert_index_in_step(project)
    undone = project.undo()
    assert dump(project) == start
    assert_index_in_step(project)
    assert project.redo().id == undone.id
    assert dump(project) == after
    assert_index_in_step(project)
    return result


def test_set_moves_a_transcript_and_its_attendance(coded):
    coded.study.add_participant("P03")
    summary = _round_trip(coded, lambda: coded.transcripts.set_transcript("p01_w1", wave="W2", participant="P03",
                                                             date="2025-05-01", rename="p03_w2"))
    assert summary == TranscriptSummary("p03_w2", "interview", "W2", "P03", "2025-05-01")
    assert ("P01", "W1", "interviewed") not in coded.study.attendance()
    assert ("P03", "W2", "interviewed") in coded.study.attendance()
    speakers = {s.label: s.participant for s in coded.transcripts.get("p03_w2").speakers}
    assert speakers == {"Interviewer": None, "P01": "P03"}
    assert coded.log()[-1].summary == f"redo of #{coded.log()[-3].id}: {coded.log()[-3].summary}"
    with pytest.raises(QualcodeError, match="nothing to change"):
        coded.transcripts.set_transcript("p03_w2", wave="W2")
    with pytest.raises(QualcodeError, match="no wave"):
        coded.transcripts.set_transcript("p03_w2", wave="W9")


def test_relabel_renames_and_merges(coded):
    speakers = _round_trip(coded, lambda: coded.transcripts.relabel_speakers("p01_w1", {"P01": "Pat", "Interviewer": "Int"}))
    assert [(s.label, s.turns) for s in speakers] == [("Int", 3), ("Pat", 3)]
    merged = _round_trip(coded, lambda: coded.transcripts.relabel_speakers("p01_w1", {"Pat": "Int"}))
    assert [(s.label, s.turns) for s in merged] == [("Int", 6)]
    swapped = coded.transcripts.relabel_speakers("p02_w2", {"Interviewer": "P02", "P02": "Interviewer"})
    assert [s.label for s in swapped] == ["P02", "Interviewer"]
    with pytest.raises(QualcodeError, match="has no speaker 'Nobody'"):
        coded.transcripts.relabel_speakers("p01_w1", {"Nobody": "X"})


def test_split_and_join_turns(coded):
    turns = _round_trip(coded, lambda: coded.transcripts.split_turn("p01_w1", 2, before="She said", speaker="Nurse"))
    assert [(t.speaker, t.seq) for t in turns] == [("P01", 2), ("Nurse", 3)]
    assert _texts(coded)[1:3] == [("P01", "My doctor told me about it."),
                                  ("Nurse", "She said my blood pressure was high. I was a bit scared, to be honest.")]
    sentences = coded.transcripts.get("p01_w1").sentences
    assert [s.turn for s in sentences][:5] == [1, 1, 2, 3, 3]
    joined = _round_trip(coded, lambda: coded.transcripts.join_turns("p01_w1", 2))
    assert joined.turn.speaker == "P01" and joined.speakers_removed == ("Nurse",)
    assert _texts(coded)[1] == ("P01", INTERVIEW.split("\n\n")[1][len("P01: "):])
    joined = coded.transcripts.join_turns("p01_w1", 1, count=2)
    assert joined.included == ("P01:",)  # the label between them is now inside the turn
    with pytest.raises(QualcodeError, match="does not cut turn"):
        coded.transcripts.split_turn("p01_w1", 3, at=coded.transcripts.get("p01_w1").turns[2].start)
    with pytest.raises(QualcodeError, match="no turn 9"):
        coded.transcripts.split_turn("p01_w1", 9, at=3)


def test_turn_speaker(coded):
    turn = _round_trip(coded, lambda: coded.transcripts.set_turn_speaker("p01_w1", 3, None))
    assert turn.speaker is None
    turn = coded.transcripts.set_turn_speaker("p01_w1", 3, "Carer")
    assert turn.speaker == "Carer"


def test_delete_transcript_refused_with_codings_unless_forced(coded, tmp_path):
    before = file_digest(coded.path)
    with pytest.raises(QualcodeError, match="has 3 coding"):
        coded.transcripts.delete_transcript("p01_w1")
    coded.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_digest(coded.path) == before
    report = _round_trip(coded, lambda: coded.transcripts.delete_transcript("p01_w1", force=True))
    assert report == TranscriptDeleted("p01_w1", turns=6, codings=3)
    assert [t.name for t in coded.transcripts.all()] == ["p02_w2"]
    assert coded.search.turns("doctor") == []
    coded.undo()
    assert [h.transcript for h in coded.search.turns("doctor")] == ["p01_w1"]
    assert coded.memos.all(link=MemoLink("coding", f"{coded.coding.codings(code='Walking')[0].id}"))[0].title == "the walks"
    # No codings: no force needed.
    assert coded.transcripts.delete_transcript("p02_w2").codings == 0


def test_delete_participant(coded):
    with pytest.raises(QualcodeError, match="participant P01 has 3 coding"):
        coded.transcripts.delete_participant("P01")
    report = _round_trip(coded, lambda: coded.transcripts.delete_participant("P01", force=True))
    assert report.transcripts == ("p01_w1",) and report.codings == 3
    assert [p.pid for p in coded.study.participants()] == ["P02"]
    assert coded.transcripts.delete_participant("P02", force=True).transcripts == ("p02_w2",)


def test_replace_moves_shortens_and_deletes_coded_passages(coded, tmp_path):
    source = tmp_path / "p01_w1_corrected.txt"
    source.write_text(CORRECTED, encoding="utf-8")
    report = _round_trip(coded, lambda: coded.transcripts.replace_transcript("p01_w1", source))
    assert report.kept == 0
    assert [(c["code"], c["text"], c["new_text"]) for c in report.changed] == [
        ("Doctor", "My doctor told me about it.", "My doctor told me.")]
    assert [(c["code"], c["new_text"]) for c in report.moved] == [("Walking", "We went walking together every Tuesday.")]
    assert [(c["code"], c["coder"], c["text"]) for c in report.unplaced] == [("Change", "tester", "It changed my life really.")]
    assert report.turns_before == 6 and report.turns_after == 5
    assert _coded(coded) == {"Doctor": "My doctor told me.", "Walking": "We went walking together every Tuesday."}
    # The memo on the moved coding still points at it.
    walking = coded.coding.codings(code="Walking")[0].id
    assert coded.memos.all(link=MemoLink("coding", f"{walking}"))[0].title == "the walks"
    assert coded.transcripts.get("p01_w1").text == CORRECTED
    assert coded.search.turns("Sam") == []
    # Undo gives the deleted coding back.
    coded.undo()
    assert _coded(coded)["Change"] == "It changed my life really."


def test_replace_refuses_the_same_file_and_another_transcripts(coded, tmp_path):
    same = tmp_path / "same.txt"
    same.write_text(INTERVIEW, encoding="utf-8")
    with pytest.raises(QualcodeError, match="nothing to replace"):
        coded.transcripts.replace_transcript("p01_w1", same)
    from ..coding.conftest import SECOND

    other = tmp_path / "other.txt"
    other.write_text(SECOND, encoding="utf-8")
    with pytest.raises(QualcodeError, match="already imported as p02_w2"):
        coded.transcripts.replace_transcript("p01_w1", other)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = dump(coded)
    with pytest.raises(QualcodeError, match="^empty.txt: "):
        coded.transcripts.replace_transcript("p01_w1", empty)
    assert dump(coded) == before


def test_deidentification_seals_the_history(coded, tmp_path):
    source = tmp_path / "corrected.txt"
    source.write_text(CORRECTED + "\nInterviewer: And Samantha Jones?\n", encoding="utf-8")
    coded.transcripts.replace_transcript("p01_w1", source)
    assert coded.db.execute("SELECT count(*) FROM event_changes WHERE new LIKE '%Samantha%'").fetchone()[0] == 1
    coded.privacy.add_name("Samantha Jones", "[Trainer]")
    coded.privacy.deidentify()
    # The old text (with the name) is no longer in the log, and nothing before can be undone.
    assert coded.db.execute("SELECT count(*) FROM event_changes").fetchone()[0] == 0
    with pytest.raises(QualcodeError, match="nothing to undo"):
        coded.undo()


def test_a_refused_replace_leaves_the_file_byte_identical(coded, run_cli, tmp_path):
    path = coded.path
    coded.close()
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02 binary")
    wal = path.with_name(path.name + "-wal")
    before = (file_digest(path), file_digest(wal) if wal.exists() else None)
    for args in (["transcript", "replace", "p01_w1", binary],
                 ["transcript", "replace", "p01_w1", binary, "--label-pattern", "(unclosed"],
                 ["transcript", "split-turn", "p01_w1", "2", "--before", "not in the turn"],
                 ["transcript", "relabel", "p01_w1", "Nobody=X"]):
        result = run_cli("-p", path, *args)
        assert result.exit_code == 1
        message = result.stderr.strip()
        assert "\n" not in message and message.startswith("Error: "), message
    assert run_cli("-p", path, "transcript", "replace", "p01_w1", binary).stderr.startswith("Error: scan.txt: ")
    assert (file_digest(path), file_digest(wal) if wal.exists() else None) == before


def test_turns_are_inserted_in_one_place():
    """Turn inserts are logged for undo by store.transcripts.insert_turns, not by a trigger
    (imports add them by the ten thousand): no other code may insert turns."""
    from ..conftest import REPO

    inserting = sorted(str(path.relative_to(REPO)) for path in (REPO / "qualcode").rglob("*.py")
                       if "INSERT INTO turns " in path.read_text(encoding="utf-8"))
    assert inserting == ["qualcode/store/transcripts.py"]


def test_deidentification_keeps_what_came_after_the_last_correction_undoable(coded, tmp_path):
    from qualcode.coding.tagging import Target

    source = tmp_path / "corrected.txt"
    source.write_text(CORRECTED + "\nInterviewer: And Samantha Jones?\n", encoding="utf-8")
    coded.transcripts.replace_transcript("p01_w1", source)
    text = coded.transcripts.get("p01_w1").text
    start = text.index("And Samantha Jones?")
    coded.coding.tag("p01_w1", "Change", Target(range=(start, start + len("And Samantha Jones?"))))
    coded.privacy.add_name("Samantha Jones", "[Trainer]")
    coded.privacy.deidentify()
    text = coded.transcripts.get("p01_w1").text
    assert [text[c.start:c.end] for c in coded.coding.codings(code="Change")] == ["And [Trainer]?"]
    assert coded.undo().action == "coding.add"  # logged after the correction: moved, still undoable
    assert coded.coding.codings(code="Change") == []
    with pytest.raises(QualcodeError, match="nothing to undo"):
        coded.undo()
    assert "Samantha" not in str(coded.db.execute("SELECT * FROM event_changes").fetchall())
