"""REFI-QDA Project Exchange (``.qdpx``, or a bare ``.qde``) in, as a new project.

Liberal in what it accepts, because real exports demand it (see the pitfalls in
``shared/refi/SUMMARY.md``): any single ``*.qde`` at the zip root, ``sources/`` in
any case, paths with or without ``internal://`` (and files not named by GUID), an
empty ``.txt`` whose text is only in the ``.docx``, namespace variants (elements are
matched on local names), ids that are not GUIDs (mapped to stable UUIDs), hierarchy
written into code names (``A::B``), duplicate selections (merged), and NVivo for
Windows positions counted in UTF-16 code units (detected from the quoted text in a
selection's ``@name`` where there is one, else from ``origin``, and converted).
Anything that does not break the meaning is a warning in the report; everything
qualcode cannot hold (pictures, audio, video, PDF regions, graphs, links between
other things than memos) is counted in the report's ``dropped``.

The ``.qde`` is read as a stream in two passes (:mod:`.refi_import_reader`), one
source at a time, so memory does not grow with the project.

Safety, checked before anything is extracted or as the document is read:

* DTDs, entities and external references are refused; limits hold per element (size of
  a text or attribute, elements held at once, nesting), see :mod:`.refi_import_stream`;
* zip entries with ``..`` or absolute paths, symbolic links and encrypted entries are
  refused;
* a zip whose entries unpack to more than
  :data:`~qualcode.exchange.refi_container.MAX_UNPACKED_BYTES` in all, or with
  one entry over 1 MB that is compressed more than :data:`MAX_RATIO` times (a "zip
  bomb"), is refused; entries are read with a bound, whatever their headers claim.

Each refusal is one :class:`~qualcode.errors.InputError` naming the file. The project
is built under a hidden name beside the destination and renamed into place when it is
complete: an import, even a killed one, either completes or leaves nothing at the
destination (a killed one's hidden file is removed by the next import there).

Text is stored as every import stores it (NFC, ``\\n`` line endings, no BOM); the
selections' positions are mapped through that normalisation (a CRLF before a
selection shifts it by one), so codings cover the same characters.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from ..errors import QualcodeError
from ..records.exchange import RefiImportReport
from ..temp_files import move_into_place, remove_stale, remove_with_companions, temporary_beside
from .refi_container import _Container
from .refi_import_reader import MAX_TEXT_TOTAL, Report, _Reader  # noqa: F401  (part of this module's offer)
from .refi_import_stream import QdeStream

# Re-exported: the position helpers are part of what this module offers.
from .refi_positions import quote_matches, utf16_to_code_points  # noqa: F401

PARTICIPANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def import_qdpx(source: str | Path, dest: str | Path, *, coder: str | None = None) -> RefiImportReport:
    """Create the project ``dest`` from a REFI-QDA ``.qdpx`` (or bare ``.qde``); returns
    the report (counts, dropped, warnings, checks). Nothing is made at ``dest`` unless
    the import completes."""
    source, dest = Path(source), Path(dest)
    if dest.exists() or dest.is_symlink():
        raise QualcodeError(f"{dest.name}: already exists; choose a new project file")
    if not dest.parent.is_dir():
        raise QualcodeError(f"{dest.name}: folder {dest.parent} does not exist")
    container = _Container(source)
    try:
        label = f"{source.name}:{container.qde_name}" if container.archive else source
        stream = QdeStream(container.open_qde, label, source)
        report = Report(source=str(source), project=str(dest))
        reader = _Reader(stream, container, report)
        plan = reader.read()  # the first pass: all but the sources' selections and texts
        if stream.validation_error:
            report.warnings.insert(0, f"{container.qde_name} does not validate against Project.xsd "
                                      f"(first error: {stream.validation_error[:200]}); read leniently")
        plan["sources"] = reader.sources()  # the second pass, as the writer stores them
        plan["container"] = container  # recordings are copied out of it
        # The third, once every reference to notes is known (none without notes).
        plan["notes"] = reader.notes() if plan["note_guids"] else iter(())
        _build(dest, stream.root_attributes.get("name") or source.stem, plan, report, coder)
    finally:
        container.close()
    return report.record()


def _build(dest: Path, title: str, plan: dict, report: Report, coder: str | None) -> None:
    """The project built under a hidden name and renamed into place at the end: a killed
    import leaves no project at dest (only the hidden file, which the next import removes)."""
    from ..context import ProjectContext
    from ..ingest.service import TranscriptService
    from ..store import study as store_study
    from ..store import untrusted
    from ..study.service import StudyService
    from .refi_import_writer import _Writer  # it builds on the reader's types

    remove_stale(dest, "importing")
    tmp = temporary_beside(dest, "importing")
    tmp.unlink()  # the project file is made by create_project_file
    db = None
    writer = None
    try:
        db = store_study.create_project_file(tmp, title)  # cleans up after itself
        untrusted.honour_interrupts(db.conn)
        # The writer stores sources as an import does, through the transcripts service.
        ctx = ProjectContext(db, tmp)
        writer = _Writer(TranscriptService(ctx, StudyService(ctx)), plan, report, coder)
        writer.write()
        db.close()
        db = None
        try:
            move_into_place(tmp, dest)
        except FileExistsError:
            raise QualcodeError(f"{dest.name}: was created by something else during the import; "
                                "nothing was written there") from None
    except BaseException:
        if db is not None:
            with contextlib.suppress(Exception):
                db.close()
        remove_with_companions(tmp)
        for extracted in writer.extracted if writer is not None else ():
            extracted.unlink(missing_ok=True)
        raise
    remove_with_companions(tmp)  # the -wal and -shm of the closed connection, if any
