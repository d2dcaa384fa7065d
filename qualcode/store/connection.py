"""The connection every store function is given: Python's ``sqlite3`` connection with the
few helpers qualcode uses, and sqlite-utils' full ``Database`` only when it is asked for.

Importing sqlite-utils costs about a third of a second on a slow machine (it imports
numpy and probes for pandas), which every command paid before it could run one query.
Opening a project and reading it needs none of it: the hot path stays on ``sqlite3``,
and :attr:`Database.tools` builds sqlite-utils' object over the same connection for the
code that wants its table helpers (migrations, mainly).

Writes behave as they did under sqlite-utils: a statement run outside a transaction is
committed at once, and one that fails leaves no transaction open behind it.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils
    import sqlite_utils.db

# Statements that start or end a transaction themselves: never committed behind them.
_TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)

Parameters = Sequence[Any] | Mapping[str, Any]
# Savepoint names, unique within the process (the secrets module would cost start-up time).
_savepoints = itertools.count(1)


class Database:
    """An open SQLite connection with the project's transaction rules."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._tools: sqlite_utils.Database | None = None
        # Triggers that fire triggers (the capture of changes for undo relies on them).
        conn.execute("PRAGMA recursive_triggers = ON")

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        """Run one statement; outside a transaction a write is committed at once."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except BaseException:
            # sqlite3 opens a transaction before a write on its own; one that failed must
            # not stay open and swallow the writes that come after it.
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if (not was_in_transaction and conn.in_transaction and cursor.description is None
                and not _TRANSACTION_CONTROL.match(sql)):
            conn.execute("COMMIT")
        return cursor

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    @contextlib.contextmanager
    def atomic(self, *, immediate: bool = False) -> Iterator[Database]:
        """One transaction, or a savepoint inside the one already open.

        ``immediate`` takes the write lock at the start of a new transaction (``BEGIN
        IMMEDIATE``), so that it waits for other writers there rather than failing later."""
        conn = self.conn
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            return
        savepoint = f"qualcode_savepoint_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield self
        except BaseException:
            # An error can have ended the whole transaction, savepoint and all.
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")

    @property
    def tools(self) -> sqlite_utils.Database:
        """sqlite-utils' ``Database`` over this same connection (imported on first use)."""
        if self._tools is None:
            import sqlite_utils

            self._tools = sqlite_utils.Database(self.conn)
        return self._tools

    def table(self, name: str) -> sqlite_utils.db.Table:
        """sqlite-utils' helpers for one table (sqlite-utils is imported then)."""
        return self.tools.table(name)

    def __getitem__(self, name: str) -> sqlite_utils.db.Table:
        return self.table(name)

    def close(self) -> None:
        self.conn.close()


def full_database(db: Database | sqlite_utils.Database) -> sqlite_utils.Database:
    """sqlite-utils' ``Database`` for ``db``, whichever of the two it is."""
    return db.tools if isinstance(db, Database) else db
