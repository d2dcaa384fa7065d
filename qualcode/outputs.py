"""Writing an output file: the one way every export, listing and key file reaches disk.

Every writer (the CLI's and the TUI's, Word, Markdown, CSV, JSON, REFI-QDA, YAML,
network files, pictures, the name key) goes through :func:`output_path` or one of the
helpers built on it, which

- refuses a target that is, or resolves to (through symbolic links, hard links or a
  linked folder), a project file open in this process or its ``-wal``/``-shm``/
  ``-journal``, and refuses to replace any existing SQLite database (another project,
  a backup): an export must never take the place of data;
- refuses a target that is a folder or a special file (a FIFO, a device, a socket);
- writes into a temporary file in the target's folder and renames it into place, so a
  failure or a kill never leaves half a file where the old one was, and a symbolic link
  at the target is replaced, never followed;
- leaves the file readable by its owner only (mode 600) whatever was there before:
  exports hold quotes from interviews, and the key file holds real names.

Every connection to a project registers its file while it is open
(:mod:`qualcode.open_files`), so a writer needs no argument to be protected. A
project file is never opened here (closing any descriptor on it would drop SQLite's
locks): it is compared by ``os.stat`` and by path.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from . import open_files
from .errors import QualcodeError
from .temp_files import remove_stale, temporary_beside

SQLITE_MAGIC = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal")
OUTPUT_MODE = 0o600
# Temporary files are hidden and end in .tmp: ".NAME.output-PID-<random>.tmp" beside
# NAME (qualcode.temp_files); the process id lets the next run remove what a killed one left.
TEMP_SUFFIX = ".tmp"
TEMP_PURPOSE = "output"

def _protected() -> list[str]:
    """The project files open in this process (real paths)."""
    return [str(path) for path in open_files.open_project_files()]


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _is_sqlite_file(path: Path, info: os.stat_result) -> bool:
    """Whether a regular file that is not open as a project here starts like a database."""
    if not stat.S_ISREG(info.st_mode) or info.st_size < len(SQLITE_MAGIC):
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def check_target(path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> Path:
    """The checked target of an output file, or a one-line :class:`QualcodeError`."""
    path = Path(path)
    name = path.name or str(path)
    if not str(path) or path.name in ("", ".", ".."):
        raise QualcodeError(f"{path}: give a file name to write")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise QualcodeError(f"{name}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise QualcodeError(f"{name}: folder {folder} is not writable")
    resolved = os.path.realpath(path)
    target_id = _identity(str(path))
    for project in [*_protected(), *(os.path.realpath(p) for p in protect)]:
        for companion in ("", *COMPANIONS):
            guarded = project + companion
            same_path = resolved == guarded
            same_file = target_id is not None and target_id == _identity(guarded)
            if same_path or same_file:
                what = "the open project" if not companion else f"the open project's {companion} file"
                raise QualcodeError(f"{name}: is {what} ({Path(project).name}); "
                                    "write the output to another file")
    try:
        info = os.stat(path)  # follows links: what the name leads to now
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise QualcodeError(f"{name}: cannot be checked ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise QualcodeError(f"{name}: is a folder; give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise QualcodeError(f"{name}: is not a regular file (a device, pipe or socket); "
                            "give a file name")
    if _is_sqlite_file(path, info):
        raise QualcodeError(f"{name}: is an SQLite database (a project or a backup); "
                            "an output never replaces one, choose another file name")
    return path


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder is; not every system allows it.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def output_path(path: str | Path, *, protect: tuple[str | Path, ...] = ()) -> Iterator[Path]:
    """A temporary file to write the output into; renamed to ``path`` when the block
    ends without an error, removed otherwise.

    For writers that take a path (python-docx, matplotlib, networkx, zipfile)::

        with output_path(target) as tmp:
            document.save(tmp)
    """
    path = check_target(path, protect=protect)
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale(path, TEMP_PURPOSE)  # what a killed run left beside this output
    try:
        tmp = temporary_beside(path, TEMP_PURPOSE)
    except OSError as exc:
        raise QualcodeError(f"{path.name}: cannot be written ({exc.strerror})") from None
    try:
        yield tmp
        # Checked again: the target may have changed while the output was made.
        check_target(path, protect=protect)
        os.chmod(tmp, OUTPUT_MODE)  # a writer may have made the file anew
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_folder(folder)
    except OSError as exc:
        raise QualcodeError(f"{path.name}: cannot be written ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes(path: str | Path, data: bytes, *, protect: tuple[str | Path, ...] = ()) -> Path:
    path = Path(path)
    with output_path(path, protect=protect) as tmp:
        tmp.write_bytes(data)
    return path


def write_text(path: str | Path, text: str, *, bom: bool = False,
               protect: tuple[str | Path, ...] = ()) -> Path:
    """Write ``text`` as UTF-8 (newlines as given); ``bom`` puts a byte order mark first,
    which Excel on Windows needs to read a CSV file as UTF-8."""
    return write_bytes(path, (("\ufeff" if bom else "") + text).encode("utf-8"), protect=protect)


__all__ = ["check_target", "output_path", "write_bytes",
           "write_text"]
