"""SQL for the name key (pseudonymisation). Kept out of the event log on purpose."""

from __future__ import annotations

import sqlite3

from ..errors import ConflictError, NotFoundError
from .connection import Database

COLUMNS = ("id", "real", "pseudonym", "kind", "participant")


def entries(db: Database) -> list[dict]:
    rows = db.execute(
        "SELECT k.id, k.real, k.pseudonym, k.kind, p.pid FROM name_key k "
        "LEFT JOIN participants p ON p.id = k.participant_id ORDER BY k.real"
    ).fetchall()
    return [dict(zip(COLUMNS, r)) for r in rows]


def mapping(db: Database) -> dict[str, str]:
    return dict(db.execute("SELECT real, pseudonym FROM name_key").fetchall())


def add(db: Database, real: str, pseudonym: str, kind: str, participant_id: int | None) -> None:
    if db.execute("SELECT 1 FROM name_key WHERE real = ?", [real]).fetchone():
        raise ConflictError("that real name is already in the name key")
    db.execute("INSERT INTO name_key (real, pseudonym, kind, participant_id) VALUES (?, ?, ?, ?)",
               [real, pseudonym, kind, participant_id])


def remove(db: Database, real: str) -> None:
    if not db.execute("DELETE FROM name_key WHERE real = ?", [real]).rowcount:
        raise NotFoundError("no such name in the name key")


def remove_all(db: Database) -> int:
    # secure_delete zeroes the freed pages, so the names do not linger in the file.
    db.execute("PRAGMA secure_delete = ON")
    return db.execute("DELETE FROM name_key").rowcount


def scrub(db: Database) -> None:
    """After removing the key: push the change out of the write-ahead log."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def transcript_ids(db: Database) -> list[tuple[int, str]]:
    return db.execute("SELECT id, name FROM transcripts ORDER BY id").fetchall()


def rewrite_transcript(db: Database, transcript_id: int, text: str, offset_map) -> dict[str, int]:
    """Store a transcript's new text and move every offset that points into it."""
    from ..nlp import word_count
    from . import transcripts as store_tx

    old_text = store_tx.transcript_text(db, transcript_id)
    moved, new_turns = {}, []
    for table in ("turns", "codings"):
        rows = db.execute(f"SELECT id, start, end FROM {table} WHERE transcript_id = ?", [transcript_id]).fetchall()
        updates = [(offset_map(s), offset_map(e, is_end=True), i) for i, s, e in rows]
        if table == "turns":
            # The index has no copy of the text: it forgets a turn given the words it indexed.
            store_tx.unindex_turns(db, [(i, old_text[s:e]) for i, s, e in rows])
            new_turns = [(i, text[s:e]) for s, e, i in updates]
        db.conn.executemany(f"UPDATE {table} SET start = ?, end = ? WHERE id = ?", updates)
        moved[table] = len(rows)
    db.execute("UPDATE transcripts SET text = ?, char_count = ?, word_count = ? WHERE id = ?",
               [text, len(text), word_count(text), transcript_id])
    sentences = store_tx.sentence_tuples(db, transcript_id)
    store_tx.replace_sentences(db, transcript_id, [
        (turn, offset_map(s), offset_map(e, is_end=True)) for turn, s, e in sentences
    ])
    moved["sentences"] = len(sentences)
    store_tx.index_turns(db, new_turns)
    return moved


def forget_replaced_text(db: Database) -> None:
    """After rewriting transcripts: drop the replaced words from the full-text index
    (merging its segments) with freed pages zeroed, so the real names do not linger
    in the file. Call :func:`scrub` after the transaction to empty the write-ahead log."""
    from . import transcripts as store_tx

    db.execute("PRAGMA secure_delete = ON")
    store_tx.compact_index(db)


def rename_speakers(db: Database, key: dict[str, str]) -> int:
    changed = 0
    for speaker_id, label in db.execute("SELECT id, label FROM speakers").fetchall():
        if label in key:
            db.execute("UPDATE speakers SET label = ? WHERE id = ?", [key[label], speaker_id])
            changed += 1
    return changed


# --- de-identification beyond the transcripts' text (see qualcode.privacy.fields) --------

def secure_delete(db: Database) -> None:
    """From here on, freed and overwritten cells are zeroed: replaced names leave the file."""
    db.execute("PRAGMA secure_delete = ON")


def rows_of(db: Database, table: str, columns: tuple[str, ...], where: str = "1") -> list[tuple]:
    """(rowid, *columns) of every row of ``table`` (names from the caller's constants)."""
    listed = ", ".join(f'"{c}"' for c in columns)
    return db.execute(f'SELECT rowid, {listed} FROM "{table}" WHERE {where}').fetchall()


def update_row(db: Database, table: str, rowid: int, values: dict[str, str | None]) -> None:
    """Write the pseudonymised values of one row; two rows that would then share a
    unique name are an error saying so."""
    assignments = ", ".join(f'"{c}" = ?' for c in values)
    try:
        db.execute(f'UPDATE "{table}" SET {assignments} WHERE rowid = ?', [*values.values(), rowid])
    except sqlite3.IntegrityError:
        raise ConflictError(
            f"the name key would give two {table} the same name "
            f"({', '.join(str(v) for v in values.values())}); rename one first") from None


def event_rows(db: Database) -> list[tuple]:
    return db.execute("SELECT id, summary, details FROM events").fetchall()


def event_change_rows(db: Database) -> list[tuple]:
    return db.execute("SELECT id, tbl, old, new FROM event_changes").fetchall()


def update_event(db: Database, event_id: int, summary: str, details: str | None) -> None:
    db.execute("UPDATE events SET summary = ?, details = ? WHERE id = ?", [summary, details, event_id])


def update_event_change(db: Database, change_id: int, old: str | None, new: str | None) -> None:
    db.execute("UPDATE event_changes SET old = ?, new = ? WHERE id = ?", [old, new, change_id])
