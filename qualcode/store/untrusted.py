"""Project files that may have been crafted, and SQLite queries that may not end.

A project file is a whole database: besides tables it can hold views, triggers and
schema SQL that SQLite runs when the file is read. A view put in place of a table (a
recursive one never ends), a trigger, or a damaged page can come with another coder's
copy in a merge, or be the project itself. This module holds the defences:

- :func:`open_untrusted_copy` opens another person's file read-only, copies it with
  SQLite's backup API into a private temporary folder, and works on the copy only (the
  file itself is never migrated or written, whatever its schema version), under
  SQLite's defensive settings (:func:`harden`) and a time budget;
- :func:`check_schema_objects` refuses a project whose tables are views or virtual
  tables they should not be, before anything is read from them;
- :func:`honour_interrupts` lets Ctrl-C stop a long query (Python's signal handler runs
  only between Python instructions, which a running SQLite statement never reaches).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from . import schema
from .connection import Database

BUDGET_SECONDS = 60.0
PROGRESS_STEPS = 10_000  # virtual machine steps between two looks at the clock
# Limits for a file from elsewhere, far above what qualcode writes (a transcript is at
# most 20 MB of text) and far below SQLite's defaults (1 GB strings, 1 GB statements).
LIMITS = {
    "SQLITE_LIMIT_LENGTH": 256 * 1024 * 1024,
    "SQLITE_LIMIT_SQL_LENGTH": 1024 * 1024,
    "SQLITE_LIMIT_EXPR_DEPTH": 200,
    "SQLITE_LIMIT_COMPOUND_SELECT": 50,
    "SQLITE_LIMIT_TRIGGER_DEPTH": 10,
    "SQLITE_LIMIT_ATTACHED": 0,
}
# sqlite3_db_config switches, where the sqlite3 module exposes them (Python 3.12+).
DBCONFIG = {
    "SQLITE_DBCONFIG_DEFENSIVE": True,  # no writable_schema, no writes to shadow tables
    "SQLITE_DBCONFIG_TRUSTED_SCHEMA": False,  # schema SQL may call innocuous functions only
    "SQLITE_DBCONFIG_ENABLE_VIEW": False,  # a view in the file is never run
    "SQLITE_DBCONFIG_ENABLE_TRIGGER": False,  # nor a trigger
}


class _Clock:
    """The progress handler: stops a statement when the budget is spent, or on Ctrl-C."""

    def __init__(self, budget: float | None) -> None:
        self.budget = budget
        self.deadline = None if budget is None else time.monotonic() + budget
        self.spent = False

    def __call__(self) -> int:
        # A KeyboardInterrupt raised while this runs makes SQLite stop the statement
        # ("interrupted") and is swallowed by the sqlite3 module: see interrupted().
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.spent = True
            return 1
        return 0


def honour_interrupts(conn: sqlite3.Connection) -> None:
    """Give Python a chance to see Ctrl-C while a statement runs; the statement then
    ends with ``OperationalError('interrupted')`` (see :func:`is_interrupt`)."""
    conn.set_progress_handler(_Clock(None), PROGRESS_STEPS * 10)


def is_interrupt(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and str(exc) == "interrupted"


def harden(conn: sqlite3.Connection, budget: float | None = BUDGET_SECONDS) -> _Clock:
    """SQLite's defences for a database from elsewhere; returns the budget's clock."""
    setconfig = getattr(conn, "setconfig", None)  # Python 3.12+
    for name, value in DBCONFIG.items():
        if setconfig is not None and hasattr(sqlite3, name):
            setconfig(getattr(sqlite3, name), value)
    # On Python 3.11 the switches above are out of reach: schema SQL is kept to innocuous
    # functions by the pragma, and views and triggers are dropped from the private copy
    # before anything is read (open_untrusted_copy).
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA mmap_size = 0")
    for name, limit in LIMITS.items():
        conn.setlimit(getattr(sqlite3, name), limit)
    clock = _Clock(budget)
    conn.set_progress_handler(clock, PROGRESS_STEPS)
    return clock


# The tables (real and virtual) of a project of the current schema; a test checks this
# against a new project, so a migration that adds a table must add it here too.
PROJECT_TABLES = frozenset({
    "_sqlite_migrations", "access_keys", "attendance", "attribute_types", "coders", "codes", "codings",
    "event_changes", "events", "media", "memo_links", "memos", "meta", "name_key",
    "participant_attributes", "participant_wave_attributes", "participants", "recorder",
    "sentence_spans", "sessions", "settings", "speakers", "summaries", "summary_citations",
    "transcripts", "turn_fts",
    "turn_fts_config", "turn_fts_data", "turn_fts_docsize", "turn_fts_idx", "turns", "waves",
    "query_sets", "query_set_passages",
})


def expected_tables() -> frozenset[str]:
    return PROJECT_TABLES


def check_schema_objects(db: Database, path: str | Path) -> None:
    """Refuse a project where a table qualcode reads is something else (a view runs SQL
    from the file; a recursive one never ends). Reads only the schema."""
    for name, kind in db.execute("SELECT name, type FROM sqlite_master WHERE name IN "
                                 f"({', '.join('?' * len(expected_tables()))})",
                                 sorted(expected_tables())).fetchall():
        if kind != "table":
            raise InputError(path, f"is damaged or crafted: {name} is a {kind}, not a table; "
                                   "qualcode does not read it")


def _uri(path: Path) -> str:
    """Read-only. Without a write-ahead log waiting beside it, also immutable: SQLite
    then takes no lock and makes no -shm or -wal beside someone else's file."""
    wal = path.with_name(path.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    return f"file:{urllib.parse.quote(str(path.resolve()))}?{'mode=ro' if pending else 'immutable=1'}"


def _regular_file(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, "does not exist") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a folder, not a project file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "is not a regular file (a pipe, device or socket)")


def _prepare(db: Database, path: Path) -> None:
    """Make the private copy safe to read and of the current schema."""
    conn = db.conn
    for name, kind in conn.execute(
            "SELECT name, type FROM sqlite_master WHERE type IN ('view', 'trigger')").fetchall():
        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
    conn.commit()
    check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if check != "ok":
        raise InputError(path, f"is damaged ({check})")
    tables = set(db.table_names())
    if "meta" not in tables or schema.MIGRATIONS.migrations_table not in tables:
        raise InputError(path, "is not a qualcode project")
    applied = [m.name for m in schema.MIGRATIONS.applied(db)]
    known = schema.migration_names()
    if [name for name in applied if name not in known]:
        raise InputError(path, f"was written by a newer qualcode (schema version {len(applied)}; "
                               f"this version reads up to {len(known)}); upgrade qualcode to read it")
    if len(applied) < len(known):
        schema.MIGRATIONS.apply(db)  # the copy only: the file itself stays as it is
    missing = sorted(expected_tables() - set(db.table_names()))
    if missing:
        raise InputError(path, f"is damaged or crafted: it has no {', '.join(missing)} table")


@contextlib.contextmanager
def open_untrusted_copy(path: str | Path, *, budget: float = BUDGET_SECONDS) -> Iterator[Database]:
    """A private, checked, current-schema copy of the project file ``path``, made
    without writing to ``path``; deleted when the block ends. Errors are one-line
    :class:`InputError`\\ s naming ``path``; Ctrl-C is a ``KeyboardInterrupt``."""
    path = Path(path)
    _regular_file(path)
    with path.open("rb") as handle:  # (a file no connection of ours has open)
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        raise InputError(path, "is not a qualcode project (not an SQLite database)")
    folder = Path(tempfile.mkdtemp(prefix="qualcode-untrusted-"))  # mode 700
    copy = folder / "copy.qualcode"
    db = None
    clock = _Clock(None)
    try:
        try:
            source = sqlite3.connect(_uri(path), uri=True)
            try:
                clock = harden(source, budget)
                target = sqlite3.connect(str(copy))
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
            conn = sqlite3.connect(str(copy), check_same_thread=False)
            clock = harden(conn, max(1.0, clock.deadline - time.monotonic()) if clock.deadline else budget)
            db = Database(conn)
            _prepare(db, path)
            yield db
        except sqlite3.DatabaseError as exc:
            if is_interrupt(exc) and not clock.spent:
                raise KeyboardInterrupt from None
            if clock.spent:
                raise InputError(path, f"took more than {clock.budget:.0f} s to read (a crafted or "
                                       "damaged file?); nothing was changed") from None
            raise InputError(path, f"is damaged or not a qualcode project ({exc})") from None
    finally:
        if db is not None:
            db.close()
        shutil.rmtree(folder, ignore_errors=True)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two names lead to one file (links included), by ``os.stat`` only."""
    try:
        return os.path.samestat(os.stat(a), os.stat(b))
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


__all__ = ["check_schema_objects", "expected_tables", "harden", "honour_interrupts", "is_interrupt",
           "open_untrusted_copy", "same_file"]
