"""A Word file (.docx) as a zip package, read on a budget.

python-docx opens every part of a package whole, and trusts the sizes the zip headers
state; a 4 MB file whose headers lie took 2 GB before it was refused. Here only the
parts a transcript needs are read (the content types, the relationships, the main
document and its styles), each as a stream of bounded chunks whose inflated bytes are
counted as they come, whatever the headers say: a part that inflates past its limit is
refused at that point.

The main document is found as python-docx finds it (the package's officeDocument
relationship) and must have the content type of a Word document (a template or a
macro-enabled file is refused as python-docx refuses it).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from lxml import etree

from ..errors import InputError
from ..input_files import describe_size

#: Most inflated bytes of the main document part (a long interview's is a few MB).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: Most inflated bytes of a small part (content types, relationships, styles).
MAX_SMALL_PART_BYTES = 8 * 1024 * 1024
#: Sum of the sizes the headers state: a zip that says it unpacks to more is refused
#: before anything is read (what it really unpacks to is counted as it is read).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_CHUNK = 64 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTENT_TYPES = "[Content_Types].xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Small parts hold no text of the transcript; they are parsed without entities or DTDs.
_SMALL_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class WordPackage:
    """The parts of a .docx that hold a transcript; every problem is an InputError
    naming the file."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        if data.startswith(_OLE_MAGIC):
            raise InputError(
                name,
                "is encrypted (password-protected) or an old .doc file; save it as .docx without a password",
            )
        if not data.startswith(b"PK"):
            raise InputError(name, "is not a Word .docx file")
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except Exception:
            raise InputError(name, "is a damaged or truncated .docx file (the zip archive cannot be read)") from None
        # Part names are case-insensitive in a package (OPC).
        self.parts = {info.filename.lower(): info for info in infos}
        names = set(self.parts)
        if "word/document.xml" not in names and not any(re.fullmatch(r"word/document\d*\.xml", n) for n in names):
            raise InputError(name, "is a zip archive but not a Word document")
        if any(info.flag_bits & 0x1 for info in infos):
            raise InputError(name, "is encrypted; save it as .docx without a password")
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            limit = MAX_UNPACKED_BYTES // (1024 * 1024)
            raise InputError(name, f"unpacks to more than {limit} MB; it is not a transcript")
        self.document = self._main_part()
        self._check_content_type()

    def damaged(self, why: str) -> InputError:
        return InputError(self.name, f"is a damaged Word file ({why})")

    # --- reading parts ------------------------------------------------------------------
    def stream(self, part: str, limit: int) -> Iterator[bytes]:
        """A part's inflated bytes in chunks, refused once more than ``limit`` came."""
        info = self.parts.get(part.lower())
        if info is None:
            raise self.damaged(f"{part} is missing")
        total = 0
        try:
            with self.archive.open(info) as handle:
                while True:
                    # A bounded read inflates at most this much, whatever the header says.
                    chunk = handle.read(_CHUNK)
                    if not chunk:
                        return
                    total += len(chunk)
                    if total > limit:
                        raise InputError(self.name, f"{part} unpacks to more than {describe_size(limit)}; "
                                                    "it is not a transcript")
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
            # A bad CRC, an unsupported compression, a truncated member.
            raise self.damaged(type(exc).__name__) from None

    def read(self, part: str, limit: int = MAX_SMALL_PART_BYTES) -> bytes | None:
        """A small part's bytes, or None when the package has no such part."""
        if part.lower() not in self.parts:
            return None
        return b"".join(self.stream(part, limit))

    def xml(self, part: str) -> etree._Element | None:
        data = self.read(part)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _SMALL_PARSER)
        except etree.XMLSyntaxError:
            raise self.damaged(f"{part} is not well-formed") from None

    # --- finding the parts ----------------------------------------------------------------
    def _relationships(self, source: str) -> list[tuple[str, str]]:
        """(type, target part name) of a part's relationships ("" for the package)."""
        folder, base = posixpath.split(source)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        if root is None:
            return []
        found = []
        for rel in root.iter(f"{_REL_NS}Relationship"):
            if rel.get("TargetMode") == "External" or not rel.get("Target"):
                continue
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.append((rel.get("Type") or "", path))
        return found

    def _main_part(self) -> str:
        for kind, target in self._relationships(""):
            if kind == RELATIONSHIP_TYPE.OFFICE_DOCUMENT:
                if target.lower() not in self.parts:
                    raise self.damaged(f"its main document {target} is missing")
                return self.parts[target.lower()].filename
        if "word/document.xml" in self.parts:  # no package relationships: the usual name
            return self.parts["word/document.xml"].filename
        raise self.damaged("it names no main document")

    def _check_content_type(self) -> None:
        types = self.xml(_CONTENT_TYPES)
        if types is None:
            return
        declared = None
        for override in types.iter(f"{_CT_NS}Override"):
            if (override.get("PartName") or "").lstrip("/").lower() == self.document.lower():
                declared = override.get("ContentType")
        if declared is not None and declared != CONTENT_TYPE.WML_DOCUMENT_MAIN:
            raise InputError(
                self.name, "is not a plain Word document (perhaps a template or macro file); save it as .docx"
            )

    def styles_part(self) -> str | None:
        for kind, target in self._relationships(self.document):
            if kind == RELATIONSHIP_TYPE.STYLES and target.lower() in self.parts:
                return self.parts[target.lower()].filename
        return None

    def close(self) -> None:
        self.archive.close()
