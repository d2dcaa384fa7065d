"""Which project files this process has open, so that nothing but SQLite touches them.

SQLite's locks on a project file are POSIX advisory locks, and those belong to the
process, not to the descriptor: closing *any* descriptor on the file drops every lock
the process holds on it ("How To Corrupt An SQLite Database File", section 2.2). A
process that opened its own project file with ``open()`` while a connection was open
would silently unlock that connection; another program closing its connection would
then find itself alone, checkpoint and delete the ``-wal`` and ``-shm`` files, and the
first process would go on writing into a log nobody else can see. So while a
connection exists, the project file and its companions are reached through SQLite
only: headers through queries, sizes through ``os.stat``, copies through the backup
API. This module keeps the list of open project files, so that input paths can be
checked against it (``refuse_open_project_file``) and tests can watch every ``open()``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .errors import InputError

COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")

_lock = threading.Lock()
_open: dict[str, int] = {}  # real path of a project file -> connections open to it


def companions(path: str | Path) -> list[Path]:
    """The project file and the files SQLite keeps beside it."""
    return [Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES]


def register(path: str | Path) -> str:
    """Note one more connection to ``path``; returns the key to pass to :func:`unregister`."""
    key = os.path.realpath(path)
    with _lock:
        _open[key] = _open.get(key, 0) + 1
    return key


def unregister(key: str) -> None:
    with _lock:
        left = _open.get(key, 0) - 1
        if left > 0:
            _open[key] = left
        else:
            _open.pop(key, None)


def open_project_files() -> list[Path]:
    """The project files (real paths) this process has at least one connection to."""
    with _lock:
        return [Path(key) for key in _open]


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def is_open_project_file(path: str | Path) -> bool:
    """Whether ``path`` is (by name, link or hard link) a project file this process has
    open, or one of its companions."""
    projects = open_project_files()
    if not projects:
        return False
    real = os.path.realpath(path)
    names = {str(c) for p in projects for c in companions(p)}
    if real in names:
        return True
    identity = _identity(path)
    return identity is not None and any(
        _identity(c) == identity for p in projects for c in companions(p))


def refuse_open_project_file(path: str | Path, what: str = "an input file") -> None:
    """Refuse to read the open project (or its -wal/-shm) as ``what``: opening it
    outside SQLite would drop this process's locks on it."""
    if is_open_project_file(path):
        raise InputError(path, f"is the open project file (or one SQLite keeps beside it), "
                               f"not {what}")
