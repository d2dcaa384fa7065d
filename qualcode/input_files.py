"""Reading a file a user names: only regular files, and never more than a limit.

A named pipe (FIFO) given as a transcript, a codebook or a project blocks the first
``open()`` until something writes to it, which may be never; a device such as
``/dev/zero`` or ``/dev/urandom`` never ends. Both are refused before they are read:
the path is looked at with ``stat`` first, then opened without blocking
(``O_NONBLOCK``) and looked at again through the open descriptor, so a pipe put in
the file's place between the two cannot block us either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError
from .open_files import refuse_open_project_file

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is neither a regular file nor a
    folder ("a named pipe (FIFO)", "a character device"...), else None."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None


def refuse_special(path: str | Path, what: str = "file") -> None:
    """Refuse a path that is a pipe, a device or a socket (symbolic links followed),
    without opening it. A missing path passes: the caller says it does not exist."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    kind = special_kind(mode)
    if kind:
        raise InputError(path, f"is {kind}, not a {what}; give a regular file")


def describe_size(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"


def read_regular_file(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Refuses folders, pipes, devices and sockets before reading, and a file over the
    limit by its size; reads at most one byte past the limit in any case, so a file
    that grows while it is read cannot make us read without bound.
    """
    path = Path(path)
    refuse_special(path, what)
    # Opening the open project outside SQLite would drop this process's locks on it.
    refuse_open_project_file(path, f"a {what}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, "does not exist") from None
    except IsADirectoryError:
        raise InputError(path, f"is a folder, not a {what}") from None
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    problem = None
    if stat.S_ISDIR(info.st_mode):
        problem = f"is a folder, not a {what}"
    elif special_kind(info.st_mode):
        problem = f"is {special_kind(info.st_mode)}, not a {what}; give a regular file"
    if problem:
        os.close(fd)
        raise InputError(path, problem)
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise InputError(path, f"is too large ({info.st_size:,} bytes); the limit for a {what} "
                                   f"is {describe_size(limit)}")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(path, f"is too large; the limit for a {what} is {describe_size(limit)}")
    return data
