"""Opening a REFI-QDA container (a ``.qdpx`` zip or a bare ``.qde``) safely.

Checked before anything is extracted: entries with ``..`` or absolute paths, symbolic
links and encrypted entries are refused; so is an archive whose entries unpack to more
than :data:`MAX_UNPACKED_BYTES`, or with an entry over 1 MB compressed more than
:data:`MAX_RATIO` times (a "zip bomb"). Entries are read with a bound, whatever their
headers claim.

The ``.qde`` is never read whole: :meth:`_Container.open_qde` gives a stream of it (read
as often as the import needs), whose limits are per element
(:mod:`.refi_import_stream`); the files it refers to are read one at a time.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from ..errors import InputError
from ..input_files import refuse_special

#: Sum of the uncompressed sizes of a .qdpx's entries we accept (documented limit).
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: An entry larger than 1 MB compressed more than this many times is a zip bomb;
#: real text and XML compress 3 to 20 times.
MAX_RATIO = 200
MAX_ENTRIES = 50_000
#: A .qde is read as a stream and held in pieces, so its size only bounds how long an
#: import may take: as much as a .qdpx may unpack to.
MAX_QDE_BYTES = MAX_UNPACKED_BYTES
MAX_SOURCE_BYTES = 256 * 1024 * 1024

TEXT_EXTENSIONS = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf")


class _Container:
    """A stream of the .qde and a way to read the files it refers to."""

    def __init__(self, path: Path):
        self.path = path
        self.archive: zipfile.ZipFile | None = None
        self.by_name: dict[str, zipfile.ZipInfo] = {}
        self.by_base: dict[str, zipfile.ZipInfo] = {}
        self.folder: Path | None = None
        self.qde_info: zipfile.ZipInfo | None = None
        self.qde_file: IO[bytes] | None = None
        refuse_special(path, ".qdpx or .qde file")  # a named pipe would block the open
        try:
            with open(path, "rb") as handle:
                magic = handle.read(4)
        except FileNotFoundError:
            raise InputError(path, "does not exist") from None
        except IsADirectoryError:
            raise InputError(path, "is a folder, not a .qdpx or .qde file") from None
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
        if magic.startswith(b"PK"):
            self._open_zip()
        else:
            size = path.stat().st_size
            if size == 0:
                raise InputError(path, "is empty")
            if size > MAX_QDE_BYTES:
                raise InputError(path, f"is larger than {MAX_QDE_BYTES // 2**20} MB")
            self.qde_name = path.name
            # Opened once and read from the start on every pass: each pass reads the same
            # file, even if another is put at the path meanwhile.
            self.qde_file = open(path, "rb")  # noqa: SIM115  (closed by close())
            for candidate in path.parent.iterdir():
                if candidate.is_dir() and candidate.name.lower() == "sources":
                    self.folder = candidate
                    break

    def _open_zip(self) -> None:
        path = self.path
        try:
            archive = zipfile.ZipFile(path)
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise InputError(path, f"is a damaged zip archive ({exc})") from None
        if len(infos) > MAX_ENTRIES:
            raise InputError(path, f"refused: it has {len(infos)} entries (more than {MAX_ENTRIES})")
        total = 0
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
                raise InputError(path, f"refused: zip entry {name!r} has an absolute path")
            if ".." in parts:
                raise InputError(path, f"refused: zip entry {name!r} points outside the archive ('..')")
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise InputError(path, f"refused: zip entry {name!r} is a symbolic link")
            if info.flag_bits & 0x1:
                raise InputError(path, f"refused: zip entry {name!r} is encrypted")
            total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise InputError(path, f"refused: it unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB "
                                       "(a zip bomb?)")
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(path, f"refused: zip entry {name!r} is compressed "
                                       f"{info.file_size // max(info.compress_size, 1)} times (a zip bomb?)")
        self.archive = archive
        for info in infos:
            if info.is_dir():
                continue
            self.by_name.setdefault(info.filename.lower(), info)
            base = info.filename.rsplit("/", 1)[-1].lower()
            in_sources = info.filename.lower().startswith("sources/")
            if in_sources or base not in self.by_base:
                self.by_base[base] = info
        qdes = [i for i in infos if "/" not in i.filename.strip("/") and i.filename.lower().endswith(".qde")]
        if not qdes:
            raise InputError(path, "is not a REFI-QDA project: no .qde file at the root of the zip")
        if len(qdes) > 1:
            named = [i for i in qdes if i.filename.lower() == "project.qde"]
            if len(named) != 1:
                raise InputError(path, f"has {len(qdes)} .qde files at its root "
                                       f"({', '.join(i.filename for i in qdes)}); expected one")
            qdes = named
        self.qde_name = qdes[0].filename
        if qdes[0].file_size > MAX_QDE_BYTES:
            raise InputError(path, f"refused: {self.qde_name} is larger than {MAX_QDE_BYTES // 2**20} MB")
        self.qde_info = qdes[0]

    @contextlib.contextmanager
    def open_qde(self) -> Iterator[_Bounded]:
        """The .qde as a binary stream, read with a bound whatever the zip header says."""
        if self.qde_info is None:
            assert self.qde_file is not None
            self.qde_file.seek(0)
            yield _Bounded(self.qde_file, self.path, self.qde_name, MAX_QDE_BYTES)
            return
        assert self.archive is not None  # a .qde in a zip
        try:
            handle = self.archive.open(self.qde_info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise InputError(self.path, f"zip entry {self.qde_name!r} cannot be read ({exc})") from None
        with handle:
            yield _Bounded(handle, self.path, self.qde_name, min(self.qde_info.file_size, MAX_QDE_BYTES))

    def _read_member(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """An entry's bytes, read with a bound whatever its header says."""
        assert self.archive is not None  # entries are read only from a zip
        try:
            with self.archive.open(info) as handle:
                data = handle.read(min(info.file_size, limit) + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise InputError(self.path, f"zip entry {info.filename!r} cannot be read ({exc})") from None
        if len(data) > min(info.file_size, limit):
            raise InputError(self.path, f"refused: zip entry {info.filename!r} is larger than its header says")
        return data

    def read(self, reference: str | None) -> tuple[bytes | None, str]:
        """The bytes of a referenced file (``internal://X.txt``, ``X.txt``, ...) and its
        base name; None when it is not in the container."""
        if not reference:
            return None, ""
        ref = reference.strip().replace("\\", "/")
        scheme = re.match(r"^(internal|relative|absolute|file):/*", ref, re.IGNORECASE)
        rest = ref[scheme.end():] if scheme else ref
        base = rest.rsplit("/", 1)[-1]
        if not base or base in (".", ".."):
            return None, base
        if self.archive is not None:
            info = self.by_name.get(rest.lower()) or self.by_name.get(f"sources/{base}".lower()) \
                or self.by_base.get(base.lower())
            if info is None:
                return None, base
            return self._read_member(info, MAX_SOURCE_BYTES), base
        if self.folder is not None:
            for candidate in self.folder.iterdir():
                if candidate.name.lower() == base.lower() and candidate.is_file() and not candidate.is_symlink():
                    if candidate.stat().st_size > MAX_SOURCE_BYTES:
                        return None, base
                    return candidate.read_bytes(), base
        return None, base

    def extract(self, reference: str | None, target: Path) -> bool:
        """Copy a referenced internal file (a recording) to ``target``, streamed and bounded
        as any entry is; False when it is not in the container."""
        if not reference or not re.match(r"^internal:/*", reference.strip(), re.IGNORECASE):
            return False
        base = reference.strip().replace("\\", "/").rsplit("/", 1)[-1]
        if not base or base in (".", ".."):
            return False
        if self.archive is not None:
            info = self.by_name.get(f"sources/{base}".lower()) or self.by_base.get(base.lower())
            if info is None:
                return False
            written = 0
            try:
                with self.archive.open(info) as handle, open(target, "xb") as out:
                    while block := handle.read(1 << 20):
                        written += len(block)
                        if written > info.file_size:
                            raise InputError(self.path, f"refused: zip entry {info.filename!r} is larger "
                                                        "than its header says")
                        out.write(block)
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
                raise InputError(self.path, f"zip entry {info.filename!r} cannot be read ({exc})") from None
            return True
        if self.folder is not None:
            for candidate in self.folder.iterdir():
                if candidate.name.lower() == base.lower() and candidate.is_file() and not candidate.is_symlink():
                    shutil.copyfile(candidate, target)
                    return True
        return False

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
        if self.qde_file is not None:
            self.qde_file.close()


class _Bounded:
    """A stream of the .qde that refuses to give more bytes than its zip header (or the
    limit) says, and turns read errors into one line naming the file."""

    def __init__(self, handle: IO[bytes], path: Path, name: str, limit: int) -> None:
        self.handle, self.path, self.name, self.left = handle, path, name, limit

    def read(self, size: int) -> bytes:
        try:
            data = self.handle.read(min(size, self.left + 1))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise InputError(self.path, f"zip entry {self.name!r} cannot be read ({exc})") from None
        self.left -= len(data)
        if self.left < 0:
            raise InputError(self.path, f"refused: zip entry {self.name!r} is larger than its header says")
        return data
