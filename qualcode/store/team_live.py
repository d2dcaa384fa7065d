"""SQL for several coders live on one file: sessions (who has the project open, where)
and the hashed access keys of ``qualcode serve``.

Neither table is undoable or copied by merges and exports: a session row says which
program is running now, and an access key belongs to this file's server.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .connection import Database
from .db import now, write

SESSION_COLUMNS = ("id", "coder", "program", "host", "pid", "place", "started", "heartbeat")
KEY_COLUMNS = ("id", "coder", "created", "revoked")


# --- sessions ------------------------------------------------------------------------

def open_session(db: Database, session_id: str, *, coder: str, program: str, host: str,
                 pid: int, place: str | None, at: float) -> None:
    with write(db):
        db.execute(
            "INSERT OR REPLACE INTO sessions (id, coder, program, host, pid, place, started, heartbeat) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [session_id, coder, program, host, pid, place, now(), at],
        )


def beat(db: Database, session_id: str, *, place: str | None, at: float) -> bool:
    """Refresh a session's heartbeat and place; False when the row is gone (expired and
    removed by another program: the caller opens it again)."""
    with write(db):
        cursor = db.execute("UPDATE sessions SET heartbeat = ?, place = ? WHERE id = ?",
                            [at, place, session_id])
    return cursor.rowcount == 1


def close_session(db: Database, session_id: str) -> None:
    with write(db):
        db.execute("DELETE FROM sessions WHERE id = ?", [session_id])


def expire_sessions(db: Database, older_than: float) -> int:
    """Remove sessions whose last heartbeat is before ``older_than`` (a program killed
    or cut off without closing its session); returns how many."""
    with write(db):
        cursor = db.execute("DELETE FROM sessions WHERE heartbeat < ?", [older_than])
    return cursor.rowcount


def live_sessions(db: Database, newer_than: float) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE heartbeat >= ? "
        "ORDER BY coder, started, id", [newer_than]).fetchall()
    return [dict(zip(SESSION_COLUMNS, row, strict=True)) for row in rows]


# --- access keys ---------------------------------------------------------------------

def add_key(db: Database, key_id: str, coder: str, salt: bytes, digest: bytes) -> None:
    db.execute("INSERT INTO access_keys (id, coder, salt, hash, created) VALUES (?, ?, ?, ?, ?)",
               [key_id, coder, salt, digest, now()])


def key_hash(db: Database, key_id: str) -> tuple[str, bytes, bytes] | None:
    """(coder, salt, hash) of a key that is not revoked, or None."""
    row = db.execute("SELECT coder, salt, hash FROM access_keys WHERE id = ? AND revoked IS NULL",
                     [key_id]).fetchone()
    return (row[0], bytes(row[1]), bytes(row[2])) if row else None


def list_keys(db: Database) -> list[dict]:
    rows = db.execute(f"SELECT {', '.join(KEY_COLUMNS)} FROM access_keys ORDER BY coder, created, id")
    return [dict(zip(KEY_COLUMNS, row, strict=True)) for row in rows]


def revoke_keys(db: Database, coder: str) -> int:
    cursor = db.execute("UPDATE access_keys SET revoked = ? WHERE coder = ? AND revoked IS NULL",
                        [now(), coder])
    return cursor.rowcount


def active_key_count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM access_keys WHERE revoked IS NULL").fetchone()[0]


# --- codebook revisions --------------------------------------------------------------

def code_revision(db: Database, code_id: int) -> int | None:
    row = db.execute("SELECT revision FROM codes WHERE id = ?", [code_id]).fetchone()
    return row[0] if row else None


def last_change_of_code(db: Database, code_id: int) -> dict | None:
    """Who last changed a code, when and how (from the log), for the message of a
    refused edit."""
    row = db.execute(
        "SELECT e.coder, e.ts, e.summary FROM event_changes c JOIN events e ON e.id = c.event_id "
        "WHERE c.tbl = 'codes' AND c.row_id = ? ORDER BY c.event_id DESC LIMIT 1", [code_id]).fetchone()
    return {"coder": row[0], "ts": row[1], "summary": row[2]} if row else None


# --- online copies -------------------------------------------------------------------

def copy_database(db: Database, target: Path) -> tuple[str, int]:
    """Copy the whole database into the new file ``target`` through SQLite's backup API
    (one consistent state, whatever others commit meanwhile); returns SQLite's quick
    check of the copy ("ok") and its page count."""
    copy = sqlite3.connect(str(target))
    try:
        db.conn.backup(copy, pages=1024)
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
    finally:
        copy.close()
    return verdict, pages
