"""Hidden temporary files beside a file being made, and what a killed run left of them.

A file that takes a while to make (a project imported from REFI-QDA, and every output
file, through :mod:`qualcode.outputs`) is built under a hidden name beside its
destination and renamed into place at the end,
so the destination is whole or absent. The hidden name carries the id of the process
that made it: ``.NAME.PURPOSE-PID-XXXX.tmp``. A run that is killed cannot remove its
file; the next run removes every such file whose process is gone (and the ``-wal``,
``-shm`` and ``-journal`` companions a killed SQLite connection leaves).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_COMPANIONS = ("", "-wal", "-shm", "-journal")


def temporary_beside(dest: Path, purpose: str) -> Path:
    """A new, empty, owner-only hidden file in ``dest``'s folder (the same file system,
    so it can be renamed onto ``dest``)."""
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.{purpose}-{os.getpid()}-", suffix=".tmp", dir=dest.parent)
    os.close(fd)  # mkstemp makes it mode 600
    return Path(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale(dest: Path, purpose: str) -> list[Path]:
    """Remove the temporaries of ``purpose`` for ``dest`` whose process is gone;
    returns what was removed."""
    pattern = re.compile(rf"\.{re.escape(dest.name)}\.{re.escape(purpose)}-(\d+)-[^/]*\.tmp(?:-wal|-shm|-journal)?")
    removed: list[Path] = []
    try:
        candidates = list(dest.parent.iterdir())
    except OSError:
        return removed
    for path in candidates:
        match = pattern.fullmatch(path.name)
        if match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def remove_with_companions(path: Path) -> None:
    """Remove a database file and the companions SQLite may have left beside it."""
    for suffix in _COMPANIONS:
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


def move_into_place(tmp: Path, dest: Path) -> None:
    """Rename ``tmp`` to ``dest``, never over a file that appeared at ``dest`` meanwhile
    (a hard link fails if ``dest`` exists; where links are not supported, a check and a
    rename)."""
    try:
        os.link(tmp, dest)
    except FileExistsError:
        raise
    except OSError:
        if dest.exists():
            raise FileExistsError(dest) from None
        os.replace(tmp, dest)
        return
    tmp.unlink()
