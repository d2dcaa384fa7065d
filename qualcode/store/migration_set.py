"""A set of named schema migrations that costs nothing until it is applied.

sqlite-utils' ``Migrations`` runs each migration in a transaction and records it; this
wrapper keeps the registration (a decorator per migration) and the question "which
migrations has this file had" free of any sqlite-utils import, so that opening a
project does not pay for it (see :mod:`qualcode.store.schema`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from .connection import Database as Connection
from .connection import full_database

if TYPE_CHECKING:
    import sqlite_utils

Migration = TypeVar("Migration", bound=Callable[..., None])


@dataclass(frozen=True)
class AppliedMigration:
    name: str
    applied_at: str


class MigrationSet:
    """sqlite-utils' migration set, made only when migrations are to be applied.

    Registering a migration and reading which ones a file has had need no sqlite-utils
    (importing it would cost every command its start-up time); :meth:`apply` hands the
    registered functions to ``sqlite_utils.migrations.Migrations``, which runs each one
    in a transaction with its record in ``_sqlite_migrations``.
    """

    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str) -> None:
        self.name = name
        self._registered: list[tuple[str, Callable[..., None], bool]] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable[[Migration], Migration]:
        def register(func: Migration) -> Migration:
            self._registered.append((name or func.__name__, func, transactional))
            return func

        return register

    def names(self) -> list[str]:
        return [name for name, _func, _transactional in self._registered]

    def applied(self, db: Connection | sqlite_utils.Database) -> list[AppliedMigration]:
        """The migrations applied to ``db``, oldest first (read with plain SQL)."""
        exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            [self.migrations_table]).fetchone()
        if not exists:
            return []
        rows = db.execute(f"SELECT name, applied_at FROM {self.migrations_table} "
                          "WHERE migration_set = ? ORDER BY rowid", [self.name]).fetchall()
        return [AppliedMigration(name, applied_at) for name, applied_at in rows]

    def apply(self, db: Connection | sqlite_utils.Database, *,
              stop_before: str | Iterable[str] | None = None) -> None:
        from sqlite_utils.migrations import Migrations

        migrations = Migrations(self.name)
        for name, func, transactional in self._registered:
            migrations(name=name, transactional=transactional)(func)
        migrations.apply(full_database(db), stop_before=stop_before)
