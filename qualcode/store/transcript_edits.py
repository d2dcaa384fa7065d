"""SQL for correcting imported data: a transcript's fields, text, speakers and turns.

Every function here runs inside an action (:func:`qualcode.store.db.recording`): the
capture triggers log each row it changes, so undo and redo replay them, and
:mod:`qualcode.store.events` keeps the full-text index in step. Functions that change
turns keep the index in step themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from . import transcripts as store_tx
from .connection import Database

_FIELDS = ("name", "kind", "wave_id", "participant_id", "date")


def update_fields(db: Database, transcript_id: int, **fields) -> None:
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise ValueError(f"not transcript fields: {sorted(unknown)}")
    if fields:
        assignments = ", ".join(f"{key} = ?" for key in fields)
        db.execute(f"UPDATE transcripts SET {assignments} WHERE id = ?", [*fields.values(), transcript_id])


def update_text(db: Database, transcript_id: int, *, text: str, sha256: str, source_name: str,
                source_format: str, encoding: str | None, word_count: int) -> None:
    db.execute(
        "UPDATE transcripts SET text = ?, sha256 = ?, source_name = ?, source_format = ?, encoding = ?, "
        "char_count = ?, word_count = ? WHERE id = ?",
        [text, sha256, source_name, source_format, encoding, len(text), word_count, transcript_id],
    )


def turn_rows(db: Database, transcript_id: int) -> list[tuple]:
    """(id, seq, speaker_id, start, end, start_time, end_time) in order."""
    return db.execute(
        "SELECT id, seq, speaker_id, start, end, start_time, end_time FROM turns "
        "WHERE transcript_id = ? ORDER BY seq",
        [transcript_id],
    ).fetchall()


def replace_turns(db: Database, transcript_id: int, text: str,
                  rows: Sequence[tuple[int | None, int, int, float | None, float | None]],
                  *, old_text: str | None = None) -> None:
    """Make ``rows`` (speaker_id, start, end, start_time, end_time) the transcript's turns,
    in order, and index them; ``old_text`` is the text the old turns were indexed with
    (when the text changes too)."""
    indexed = old_text if old_text is not None else text
    old = db.execute("SELECT id, start, end FROM turns WHERE transcript_id = ?", [transcript_id]).fetchall()
    store_tx.unindex_turns(db, [(turn_id, indexed[start:end]) for turn_id, start, end in old])
    db.execute("DELETE FROM turns WHERE transcript_id = ?", [transcript_id])
    ids = store_tx.insert_turns(db, transcript_id, [(seq, *row) for seq, row in enumerate(rows, start=1)])
    store_tx.index_turns(db, [(turn_id, text[row[1]:row[2]]) for turn_id, row in zip(ids, rows)])


def speaker_rows(db: Database, transcript_id: int) -> dict[str, tuple[int, int | None, int]]:
    """label -> (speaker id, participant id, is_interviewer)."""
    rows = db.execute(
        "SELECT label, id, participant_id, is_interviewer FROM speakers WHERE transcript_id = ?",
        [transcript_id],
    ).fetchall()
    return {label: (speaker_id, pid, flag) for label, speaker_id, pid, flag in rows}


def rename_speaker(db: Database, speaker_id: int, label: str) -> None:
    db.execute("UPDATE speakers SET label = ? WHERE id = ?", [label, speaker_id])


def move_turns_to_speaker(db: Database, from_speaker: int, to_speaker: int) -> int:
    return db.execute("UPDATE turns SET speaker_id = ? WHERE speaker_id = ?", [to_speaker, from_speaker]).rowcount


def set_turn_speaker(db: Database, turn_id: int, speaker_id: int | None) -> None:
    db.execute("UPDATE turns SET speaker_id = ? WHERE id = ?", [speaker_id, turn_id])


def delete_unused_speakers(db: Database, transcript_id: int) -> list[str]:
    """Remove the transcript's speakers that no turn has any more; returns their labels."""
    rows = db.execute(
        "SELECT id, label FROM speakers s WHERE transcript_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.speaker_id = s.id)",
        [transcript_id],
    ).fetchall()
    for speaker_id, _ in rows:
        db.execute("DELETE FROM speakers WHERE id = ?", [speaker_id])
    return [label for _, label in rows]


def codings_of(db: Database, transcript_id: int) -> list[tuple[int, int, int, int, int]]:
    """(id, code_id, coder_id, start, end) of a transcript's codings."""
    return db.execute(
        "SELECT id, code_id, coder_id, start, end FROM codings WHERE transcript_id = ? ORDER BY start, id",
        [transcript_id],
    ).fetchall()


def move_coding(db: Database, coding_id: int, start: int, end: int) -> None:
    db.execute("UPDATE codings SET start = ?, end = ? WHERE id = ?", [start, end, coding_id])


def delete_codings(db: Database, coding_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM codings WHERE id = ?", [(i,) for i in coding_ids])


def coding_count(db: Database, transcript_ids: Sequence[int]) -> int:
    if not transcript_ids:
        return 0
    marks = ", ".join("?" for _ in transcript_ids)
    query = f"SELECT count(*) FROM codings WHERE transcript_id IN ({marks})"
    return db.execute(query, list(transcript_ids)).fetchone()[0]


def delete_transcript(db: Database, transcript_id: int) -> None:
    """The transcript and everything that hangs on it (speakers, turns, sentences,
    codings, memo links: cascaded, and logged by the triggers), out of the index too."""
    text = store_tx.transcript_text(db, transcript_id)
    old = db.execute("SELECT id, start, end FROM turns WHERE transcript_id = ?", [transcript_id]).fetchall()
    store_tx.unindex_turns(db, [(turn_id, text[start:end]) for turn_id, start, end in old])
    db.execute("DELETE FROM transcripts WHERE id = ?", [transcript_id])


def transcripts_of_participant(db: Database, participant_id: int) -> list[tuple[int, str]]:
    return db.execute("SELECT id, name FROM transcripts WHERE participant_id = ? ORDER BY name",
                      [participant_id]).fetchall()


def speaker_transcripts_of_participant(db: Database, participant_id: int) -> list[tuple[str, str]]:
    """(transcript name, label) of speakers mapped to the participant in others' transcripts."""
    return db.execute(
        "SELECT t.name, s.label FROM speakers s JOIN transcripts t ON t.id = s.transcript_id "
        "WHERE s.participant_id = ? AND (t.participant_id IS NULL OR t.participant_id != ?) ORDER BY t.name",
        [participant_id, participant_id],
    ).fetchall()


def remap_speakers(db: Database, transcript_id: int, old_participant: int | None,
                   new_participant: int | None) -> None:
    """The transcript's speakers mapped to its old participant (not interviewers) now
    map to the new one."""
    db.execute(
        "UPDATE speakers SET participant_id = ? WHERE transcript_id = ? AND participant_id IS ? "
        "AND is_interviewer = 0",
        [new_participant, transcript_id, old_participant],
    )


def drop_interview_attendance(db: Database, transcript_id: int, participant_id: int, wave_id: int) -> None:
    """Forget that the participant was interviewed at the wave, unless another interview
    transcript than this one says so."""
    others = db.execute(
        "SELECT 1 FROM transcripts WHERE participant_id = ? AND wave_id = ? AND kind = 'interview' "
        "AND id != ?", [participant_id, wave_id, transcript_id]).fetchone()
    if others is None:
        db.execute("DELETE FROM attendance WHERE participant_id = ? AND wave_id = ? AND status = 'interviewed'",
                   [participant_id, wave_id])


def delete_participant(db: Database, participant_id: int) -> None:
    """Delete a participant; their speaker labels elsewhere become unmapped."""
    db.execute("UPDATE speakers SET participant_id = NULL WHERE participant_id = ?", [participant_id])
    db.execute("DELETE FROM participants WHERE id = ?", [participant_id])


def delete_speaker(db: Database, speaker_id: int) -> None:
    db.execute("DELETE FROM speakers WHERE id = ?", [speaker_id])
