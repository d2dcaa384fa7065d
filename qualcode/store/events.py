"""Undo, redo and the audit log, replayed from captured row changes.

Each undoable event owns the row changes its transaction made (see
``schema.install_change_triggers``). Undo applies their inverses newest first; redo
applies them again oldest first. The log is append-only: undo and redo add events of
their own, and only an event's ``status`` changes (done, undone, discarded).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from ..errors import QualcodeError
from .db import now, write


@dataclass(frozen=True)
class Event:
    id: int
    ts: str
    coder: str | None
    action: str
    summary: str
    status: str
    undoable: bool
    target_event_id: int | None
    details: dict | None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "ts": self.ts,
            "coder": self.coder,
            "action": self.action,
            "summary": self.summary,
            "status": self.status,
            "undoable": self.undoable,
            "target_event_id": self.target_event_id,
            "details": self.details,
        }


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


def _replay(db: Database, event_id: int, *, inverse: bool) -> None:
    changes = db.execute(
        "SELECT tbl, op, row_id, old, new FROM event_changes WHERE event_id = ? ORDER BY id "
        + ("DESC" if inverse else "ASC"),
        [event_id],
    ).fetchall()
    for table, op, row_id, old, new in changes:
        old_row = json.loads(old) if old else None
        new_row = json.loads(new) if new else None
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
                _insert_row(db, table, row_id, new_row)
            continue
        if inverse:
            if op == "I":
                db.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])
            elif op == "U":
                _set_columns(db, table, row_id, old_row)
            else:
                _insert_row(db, table, row_id, old_row)
        else:
            if op == "I":
                _insert_row(db, table, row_id, new_row)
            elif op == "U":
                _set_columns(db, table, row_id, new_row)
            else:
                db.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])


def _log(db: Database, action: str, target: Event, coder: str | None) -> None:
    db.execute(
        "INSERT INTO events (ts, coder, action, summary, undoable, status, target_event_id) "
        "VALUES (?, ?, ?, ?, 0, 'done', ?)",
        [now(), coder, action, f"{action} of #{target.id}: {target.summary}", target.id],
    )


def undo(db: Database, coder: str | None = None) -> Event:
    """Reverse the most recent action that is still done."""
    with write(db):
        row = db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE undoable = 1 AND status = 'done' "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise QualcodeError("nothing to undo")
        event = _event(row)
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
    """Apply again the action undone most recently (if nothing new happened since)."""
    with write(db):
        row = db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE undoable = 1 AND status = 'undone' "
            # Undone events always form the newest run of the log (a new action
            # discards them), so the one undone last is the oldest of that run.
            "ORDER BY id ASC LIMIT 1"
        ).fetchone()
        if row is None:
            raise QualcodeError("nothing to redo")
        event = _event(row)
        try:
            _replay(db, event.id, inverse=False)
        except sqlite3.IntegrityError as exc:
            raise QualcodeError(f"cannot redo #{event.id} ({event.summary}): {exc}") from exc
        db.execute("UPDATE events SET status = 'done' WHERE id = ?", [event.id])
        _log(db, "redo", event, coder)
    return event
