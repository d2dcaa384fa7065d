"""Undo, redo and the audit log, replayed from captured row changes.

Each undoable event owns the row changes its transaction made (see
``schema.install_change_triggers``). Undo applies their inverses newest first; redo
applies them again oldest first. The log is append-only: undo and redo add events of
their own, and only an event's ``status`` changes (done, undone, discarded).
"""

from __future__ import annotations

import json
import sqlite3

from ..errors import QualcodeError
from ..records import Event
from .connection import Database
from .db import now, write
from .schema import BLOB_COLUMNS


def _event(row: sqlite3.Row | tuple) -> Event:
    id_, ts, coder, action, summary, details, undoable, status, target = row
    return Event(
        id_, ts, coder, action, summary, status, bool(undoable), target,
        json.loads(details) if details else None,
    )


_EVENT_COLUMNS = "id, ts, coder, action, summary, details, undoable, status, target_event_id"


def list_events(
    db: Database, *, since: str | None = None, coder: str | None = None, limit: int | None = None
) -> list[Event]:
    clauses, params = [], []
    if since:
        clauses.append("ts >= ?")
        params.append(since)
    if coder:
        clauses.append("coder = ?")
        params.append(coder)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT {_EVENT_COLUMNS} FROM events {where} ORDER BY id"
    rows = db.execute(sql, params).fetchall()
    if limit:
        rows = rows[-limit:]
    return [_event(r) for r in rows]


def _set_columns(db: Database, table: str, row_id: int, values: dict) -> None:
    assignments = ", ".join(f'"{c}" = ?' for c in values)
    db.execute(f"UPDATE {table} SET {assignments} WHERE rowid = ?", [*values.values(), row_id])


def _logged(row: dict | None) -> dict:
    """A row the log holds for this kind of change (an insert logs the new row, a delete
    the old one, an update both)."""
    assert row is not None
    return row


def _insert_row(db: Database, table: str, row_id: int, values: dict) -> None:
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" for _ in values)
    db.execute(
        f"INSERT INTO {table} (rowid, {columns}) VALUES (?, {marks})", [row_id, *values.values()]
    )


# Tables of identities that an action may create on the side (a coder is added the
# first time someone codes). Undo removes such a row only if nothing refers to it any
# more: later work that cannot be undone (an import records who imported it) may
# refer to it, and must not make the whole undo fail. Redo adds it back if it went.
KEPT_WHILE_USED = ("coders",)


def _decoded(table: str, row: str | None) -> dict | None:
    """A logged row, its BLOB columns turned back from hex into bytes."""
    if not row:
        return None
    values = json.loads(row)
    for column in BLOB_COLUMNS.get(table, ()):
        if isinstance(values.get(column), str):
            values[column] = bytes.fromhex(values[column])
    return values


def _touched_transcripts(changes: list) -> set[int]:
    """Transcripts whose text or turns a list of logged changes touches."""
    ids: set[int] = set()
    for table, _op, row_id, old, new in changes:
        if table == "transcripts":
            ids.add(row_id)
        elif table == "turns":
            ids.update(json.loads(row)["transcript_id"] for row in (old, new) if row)
    return ids


def _reindex(db: Database, transcript_ids: set[int], *, add: bool) -> None:
    """Take the turns of these transcripts out of the full-text index (before a replay)
    or put them in (after): the index is derived from turns and text, and holds no copy
    of the words, so it is kept in step around every replay that touches them."""
    from .transcripts import index_turns, unindex_turns

    for transcript_id in sorted(transcript_ids):
        row = db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
        if row is None:
            continue
        text = row[0]
        turns = db.execute("SELECT id, start, end FROM turns WHERE transcript_id = ?", [transcript_id]).fetchall()
        rows = [(turn_id, text[start:end]) for turn_id, start, end in turns]
        (index_turns if add else unindex_turns)(db, rows)


def _replay(db: Database, event_id: int, *, inverse: bool) -> None:
    changes = db.execute(
        "SELECT tbl, op, row_id, old, new FROM event_changes WHERE event_id = ? ORDER BY id "
        + ("DESC" if inverse else "ASC"),
        [event_id],
    ).fetchall()
    touched = _touched_transcripts(changes)
    _reindex(db, touched, add=False)
    _apply(db, changes, inverse=inverse)
    _reindex(db, touched, add=True)


def _apply(db: Database, changes: list, *, inverse: bool) -> None:
    for table, op, row_id, old, new in changes:
        old_row = _decoded(table, old)
        new_row = _decoded(table, new)
        if table in KEPT_WHILE_USED and op == "I":
            if inverse:
                # In a savepoint, so that a refused delete gives up only itself.
                db.execute("SAVEPOINT kept_while_used")
                try:
                    db.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])
                    db.execute("RELEASE kept_while_used")
                except sqlite3.IntegrityError:
                    db.execute("ROLLBACK TO kept_while_used")
                    db.execute("RELEASE kept_while_used")
            elif db.execute(f"SELECT 1 FROM {table} WHERE rowid = ?", [row_id]).fetchone() is None:
                _insert_row(db, table, row_id, _logged(new_row))
            continue
        if inverse:
            if op == "I":
                db.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])
            elif op == "U":
                _set_columns(db, table, row_id, _logged(old_row))
            else:
                _insert_row(db, table, row_id, _logged(old_row))
        else:
            if op == "I":
                _insert_row(db, table, row_id, _logged(new_row))
            elif op == "U":
                _set_columns(db, table, row_id, _logged(new_row))
            else:
                db.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])


def _log(db: Database, action: str, target: Event, coder: str | None) -> None:
    db.execute(
        "INSERT INTO events (ts, coder, action, summary, undoable, status, target_event_id) "
        "VALUES (?, ?, ?, ?, 0, 'done', ?)",
        [now(), coder, action, f"{action} of #{target.id}: {target.summary}", target.id],
    )


def _own(coder: str | None) -> tuple[str, list]:
    """The condition that keeps undo and redo to one coder's actions (none: everyone's)."""
    return ("AND coder IS ? ", [coder]) if coder is not None else ("", [])


def _later_change_of_same_rows(db: Database, event: Event) -> tuple | None:
    """The first action done after ``event`` that changed a row ``event`` changed (another
    coder's, since one's own later actions are undone first): undoing or redoing over
    it would overwrite that coder's work."""
    return db.execute(
        "SELECT e.id, e.coder, e.summary FROM event_changes mine "
        "JOIN event_changes later ON later.tbl = mine.tbl AND later.row_id = mine.row_id "
        "AND later.event_id > mine.event_id "
        "JOIN events e ON e.id = later.event_id AND e.undoable = 1 AND e.status = 'done' "
        "WHERE mine.event_id = ? ORDER BY e.id LIMIT 1", [event.id]).fetchone()


def _refuse_over_others(db: Database, event: Event, verb: str) -> None:
    later = _later_change_of_same_rows(db, event)
    if later is not None:
        raise QualcodeError(
            f"cannot {verb} #{event.id} ({event.summary}): {later[1] or 'another coder'} has "
            f"changed the same thing since (#{later[0]}: {later[2]})")


def undo(db: Database, coder: str | None = None) -> Event:
    """Reverse ``coder``'s most recent action that is still done (with no coder, anyone's);
    refused when another coder has since changed what it changed."""
    own, params = _own(coder)
    with write(db):
        row = db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE undoable = 1 AND status = 'done' "
            f"{own}ORDER BY id DESC LIMIT 1", params
        ).fetchone()
        if row is None:
            raise QualcodeError("nothing to undo")
        event = _event(row)
        _refuse_over_others(db, event, "undo")
        try:
            _replay(db, event.id, inverse=True)
        except sqlite3.IntegrityError as exc:
            raise QualcodeError(
                f"cannot undo #{event.id} ({event.summary}): later work depends on it ({exc})"
            ) from exc
        db.execute("UPDATE events SET status = 'undone' WHERE id = ?", [event.id])
        _log(db, "undo", event, coder)
    return event


def redo(db: Database, coder: str | None = None) -> Event:
    """Apply again the action ``coder`` undid most recently (if they did nothing new since)."""
    own, params = _own(coder)
    with write(db):
        row = db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE undoable = 1 AND status = 'undone' "
            # A coder's undone events always form the newest run of their part of the log
            # (their new action discards them), so the one undone last is the oldest.
            f"{own}ORDER BY id ASC LIMIT 1", params
        ).fetchone()
        if row is None:
            raise QualcodeError("nothing to redo")
        event = _event(row)
        _refuse_over_others(db, event, "redo")
        try:
            _replay(db, event.id, inverse=False)
        except sqlite3.IntegrityError as exc:
            raise QualcodeError(f"cannot redo #{event.id} ({event.summary}): {exc}") from exc
        db.execute("UPDATE events SET status = 'done' WHERE id = ?", [event.id])
        _log(db, "redo", event, coder)
    return event


def text_history(db: Database) -> tuple[int | None, set[int]]:
    """The newest undoable event that logged a transcript's text, turns or sentences
    (a correction), and the ids of every logged change up to it: ``(None, set())`` if
    there is none. Those rows hold offsets into other versions of the text."""
    row = db.execute(
        "SELECT max(e.id) FROM events e JOIN event_changes c ON c.event_id = e.id "
        "WHERE e.undoable = 1 AND e.status IN ('done', 'undone') AND (c.tbl IN ('turns', 'sentence_spans') "
        "OR (c.tbl = 'transcripts' AND (json_type(c.old, '$.text') IS NOT NULL "
        "OR json_type(c.new, '$.text') IS NOT NULL)))"
    ).fetchone()
    if row is None or row[0] is None:
        return None, set()
    ids = {r[0] for r in db.execute("SELECT id FROM event_changes WHERE event_id <= ?", [row[0]])}
    return row[0], ids


def seal_history(db: Database, *, up_to: int) -> int:
    """Make the events up to ``up_to`` impossible to undo or redo, and drop what the log
    kept to replay them (whole rows, transcript text among them).

    For an action that rewrites what those events recorded without being undoable
    itself: de-identification replaces names in every transcript and moves every
    offset, and the log's copies of transcripts, turns and sentences are of other
    versions of the text, which it cannot move. Replaying them would bring back old
    offsets, and their old text the real names. Returns how many events were sealed."""
    sealed = db.execute(
        "UPDATE events SET status = 'discarded' WHERE undoable = 1 AND status IN ('done', 'undone') AND id <= ?",
        [up_to],
    ).rowcount
    db.execute("DELETE FROM event_changes WHERE event_id <= ?", [up_to])
    return sealed
