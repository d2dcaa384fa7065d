"""What every service of an open project shares: the connection, who is working, and
the one way to change the project (an action).

:class:`qualcode.project.Project` makes one :class:`ProjectContext` when it opens a file
and builds each service on it; a service never sees ``Project`` (so the domain code
cannot reach back into the facade, and a service can be built on a context of its own:
a new project written by an import, another coder's copy).
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import QualcodeError
from .store import db as store_db
from .store import study as store_study
from .store.connection import Database


class ProjectContext:
    """An open project file as the services see it."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._coder: str | None = None

    @property
    def coder(self) -> str:
        """The current coder: set explicitly, else $QUALCODE_CODER, else the project's
        default coder, else the login name."""
        return (
            self._coder
            or os.environ.get("QUALCODE_CODER")
            or store_study.get_setting(self.db, "default_coder")
            or getpass.getuser()
        )

    @coder.setter
    def coder(self, name: str | None) -> None:
        if name is not None and not name.strip():
            raise QualcodeError("coder name is empty")
        self._coder = name.strip() if name else None

    def coder_id(self) -> int:
        """The current coder's row id (the coder is registered on first use)."""
        return store_study.coder_id(self.db, self.coder)

    @property
    def title(self) -> str:
        return store_study.get_meta(self.db, "title") or self.path.stem

    @contextlib.contextmanager
    def action(
        self, action: str, summary: str, *, details: dict[str, Any] | None = None,
        undoable: bool = True,
    ) -> Iterator[int]:
        """One user action: one transaction, one event in the log."""
        with store_db.recording(
            self.db, action, summary, coder=self.coder, details=details, undoable=undoable
        ) as event_id:
            yield event_id


class Service:
    """A group of use cases built on a context. Subclasses take the services they use
    (lower ones only) as further constructor arguments."""

    def __init__(self, ctx: ProjectContext) -> None:
        self.ctx = ctx

    # The context's parts under their short names: the domain code reads ``self.db``.
    @property
    def db(self) -> Database:
        return self.ctx.db

    @property
    def path(self) -> Path:
        return self.ctx.path

    @property
    def coder(self) -> str:
        return self.ctx.coder

    @property
    def title(self) -> str:
        return self.ctx.title

    def action(self, action: str, summary: str, *, details: dict[str, Any] | None = None,
               undoable: bool = True) -> contextlib.AbstractContextManager[int]:
        return self.ctx.action(action, summary, details=details, undoable=undoable)
