"""sqlite3's errors as the project's own, for the ones a person can act on.

The store raises :mod:`qualcode.errors` for what it checks itself; these two come from
SQLite in the middle of any statement, so the facade asks here, as an open project is
left, whether what escaped was one of them (the faces never see ``sqlite3``).
"""

from __future__ import annotations

import sqlite3

from ..errors import ActionInterrupted, ProjectBusyError, QualcodeError, is_busy_error
from .untrusted import is_interrupt


def translated(exc: BaseException | None) -> QualcodeError | None:
    """The project's error for ``exc``, or None when it is not one of ours to name."""
    if not isinstance(exc, sqlite3.OperationalError):
        return None
    if is_interrupt(exc):  # Ctrl-C during a statement (see store.untrusted)
        return ActionInterrupted("interrupted; nothing half-done was saved")
    if is_busy_error(exc):
        return ProjectBusyError("the project is busy in another program for too long; try again")
    return None
