"""Opening, creating and upgrading project files; transactions and the event recorder.

A project file is one SQLite database in WAL mode with foreign keys on and a busy
timeout, so that the TUI and a CLI command can write to it at the same time.
Every write goes through :func:`write` (``BEGIN IMMEDIATE``: the write lock is taken
up front, so a second writer waits on the busy timeout instead of failing half-way).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

from .. import open_files
from ..errors import InputError, NotFoundError, QualcodeError, is_busy_error
from ..input_files import refuse_special
from . import schema
from .connection import Database
from .untrusted import check_schema_objects

BUSY_TIMEOUT_SECONDS = 30.0
PROJECT_SUFFIX = ".qualcode"


def now() -> str:
    """UTC timestamp with seconds, as stored everywhere in the project."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_guid() -> str:
    return str(uuid.uuid4())


class ProjectDatabase(Database):
    """A connection to a project file that keeps :mod:`qualcode.open_files` up to date."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._open_key: str | None = open_files.register(path)
        super().__init__(conn)

    def close(self) -> None:
        key, self._open_key = self._open_key, None
        try:
            super().close()
        finally:
            if key is not None:
                open_files.unregister(key)


def _connect(path: Path, *, read_only: bool = False) -> Database:
    """A connection with the project's settings; ``read_only`` ones refuse every write."""
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    except sqlite3.Error as exc:
        raise InputError(path, f"cannot be opened ({exc})") from None
    try:
        db = ProjectDatabase(conn, path)
    except BaseException:
        conn.close()
        raise
    try:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        if read_only:
            db.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _unreadable(path, exc) from None
    except BaseException:
        db.close()
        raise
    return db


def _unreadable(path: Path, exc: sqlite3.DatabaseError) -> InputError:
    """The one line for a file SQLite cannot read."""
    if "not a database" in str(exc):
        return InputError(path, "is not a qualcode project (not an SQLite database)")
    if "malformed" in str(exc) and not _pending_wal(path):
        # What SQLite says of a file shorter than its header's page count (a failed
        # download or sync), among other damage.
        return InputError(path, f"is damaged or truncated ({exc})")
    return InputError(path, f"is damaged or not a qualcode project ({exc})")


def _pending_wal(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _check_database(db: Database, path: Path) -> None:
    """Refuse a file that is not an SQLite database, or a truncated copy of one.

    Asked of SQLite, never by reading the file ourselves: this process may hold other
    connections to it, and closing any other descriptor on the file would drop their
    locks (see :mod:`qualcode.open_files`).
    """
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "is empty, not a qualcode project")
    # A write-ahead log waiting beside the file (a checkpoint interrupted by a crash)
    # can leave the header ahead of the file; SQLite finishes it from the log. (Only a
    # non-empty log counts: SQLite creates an empty one on opening a WAL database.)
    pending_wal = _pending_wal(path)
    try:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        page_count = db.execute("PRAGMA page_count").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, exc) from None
    # The page count in the header is reliable for every file written by SQLite >= 3.7;
    # a file shorter than it says is a truncated copy (a failed download or sync).
    if page_count and not pending_wal and size < page_size * page_count:
        raise InputError(path, "is truncated (the file is shorter than the database it holds)")


def _applied_names(db: Database) -> list[str]:
    return [m.name for m in schema.MIGRATIONS.applied(db)]


def schema_version(db: Database) -> int:
    return len(_applied_names(db))


def create_database(path: str | Path) -> Database:
    """Create a new, empty project file at ``path`` (which must not exist)."""
    path = Path(path)
    if path.exists():
        raise QualcodeError(f"{path.name}: already exists; open it instead of creating it")
    if not path.parent.exists():
        raise QualcodeError(f"{path.name}: folder {path.parent} does not exist")
    # Create the file readable by the owner only: it holds interview data.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        db = _connect(path)
        db.execute("PRAGMA journal_mode = WAL")
        schema.MIGRATIONS.apply(db)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return db


def open_database(path: str | Path, *, migrate: bool = True) -> Database:
    """Open an existing project file, upgrading its schema (after a backup) if needed."""
    path = Path(path)
    if not path.exists():
        raise NotFoundError(f"{path.name}: no such project file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a project file")
    refuse_special(path, "project file")  # a named pipe would block the open forever
    db = _connect(path)
    try:
        _check_database(db, path)
        check_schema_objects(db, path)  # before reading any table: a crafted view never ends
        tables = set(db.table_names())
        if "meta" not in tables or schema.MIGRATIONS.migrations_table not in tables:
            raise InputError(path, "is an SQLite database but not a qualcode project")
        applied = _applied_names(db)
        known = schema.migration_names()
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise InputError(
                path,
                f"was written by a newer qualcode (schema version {len(applied)}; "
                f"this version reads up to {len(known)}); upgrade qualcode to open it",
            )
        if migrate and len(applied) < len(known):
            backup_database(db, path, reason=f"v{len(applied)}")
            schema.MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _unreadable(path, exc) from exc
    except BaseException:
        db.close()
        raise
    return db


def in_use_elsewhere(path: str | Path) -> bool:
    """Whether another connection (in any program) has the project at ``path`` open.

    Asked of SQLite itself: a connection in exclusive locking mode can take the
    database's exclusive lock only when no other connection holds a lock on it.
    Nothing is written. Call it only when this process has no connection to ``path``.
    """
    if not Path(path).exists():
        return False
    conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if is_busy_error(exc):
            return True
        raise
    except sqlite3.DatabaseError:
        return False  # not a database at all: nobody can have it open as one
    finally:
        conn.close()


def open_reader(path: str | Path) -> Database:
    """Another connection to a project this process already has open, for a thread that
    only reads (a screen's worker): no checks, no migration, no backup, and every write
    refused. Opened and closed through SQLite alone, it leaves the others' locks as they are."""
    return _connect(Path(path), read_only=True)


def data_version(db: Database) -> int:
    """A number that changes when another connection commits to the database (SQLite's
    ``PRAGMA data_version``; this connection's own commits leave it alone). Cheap: no
    file is read."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def backup_database(db: Database, path: Path, reason: str) -> Path:
    """Copy the whole database (consistently, via SQLite's backup API) beside it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}.bak")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}.bak")
        counter += 1
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


@contextlib.contextmanager
def reading(db: Database) -> Iterator[Database]:
    """Several reads that see one state of the project, whatever others commit meanwhile
    (one read transaction)."""
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.execute("COMMIT")


@contextlib.contextmanager
def page_cache(db: Database, kib: int) -> Iterator[Database]:
    """SQLite's page cache at least ``kib`` KiB for the block, then as it was: a large
    write (a study's import) then keeps its pages in memory rather than spilling them
    to the write-ahead log before it commits."""
    before = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    # A negative size is in KiB, a positive one in pages (of 4 KiB at least).
    if (-before if before < 0 else before * 4) >= kib:
        yield db
        return
    db.conn.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield db
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(before)}")


@contextlib.contextmanager
def write(db: Database) -> Iterator[Database]:
    """One transaction: all of the block's writes happen, or none do.

    Nested blocks become savepoints of the outer transaction.
    """
    with db.atomic(immediate=True):
        yield db


@contextlib.contextmanager
def recording(
    db: Database,
    action: str,
    summary: str,
    *,
    coder: str | None = None,
    details: dict | None = None,
    undoable: bool = True,
) -> Iterator[int]:
    """A user action: one transaction and one event in the log.

    While the block runs, triggers copy every row change of the undoable tables into
    ``event_changes`` under the new event, which is what undo and redo replay. A new
    action discards whatever could have been redone.
    """
    with write(db):
        outer = db.execute("SELECT event_id FROM recorder WHERE id = 1").fetchone()[0]
        if outer is not None:
            # Already inside an action: its event records these changes too.
            yield outer
            return
        if undoable:
            # Only this coder's: another coder's action leaves what they can redo alone.
            # (undoable = 1 lets the index on (undoable, status, id) find them: no scan of the log)
            db.execute("UPDATE events SET status = 'discarded' WHERE undoable = 1 AND status = 'undone' "
                       "AND coder IS ?", [coder])
        cursor = db.execute(
            "INSERT INTO events (ts, coder, action, summary, details, undoable, status) "
            "VALUES (?, ?, ?, ?, ?, ?, 'done')",
            [now(), coder, action, summary, json.dumps(details) if details else None, int(undoable)],
        )
        event_id = inserted_id(cursor)
        if not undoable:
            # Logged for the audit trail, but nothing to replay: no capture.
            yield event_id
            return
        db.execute("UPDATE recorder SET event_id = ? WHERE id = 1", [event_id])
        try:
            yield event_id
        finally:
            db.execute("UPDATE recorder SET event_id = NULL WHERE id = 1")


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The row id the INSERT just run on ``cursor`` gave (SQLite always sets one)."""
    row_id = cursor.lastrowid
    assert row_id is not None
    return row_id
