"""REFI-QDA Project Exchange (``.qdpx``) out.

A zip with ``project.qde`` first, one UTF-8 ``sources/<GUID>.txt`` per transcript and
the linked recordings (``sources/<GUID>.<ext>``).
The ``.qde`` holds, in the order the schema requires, one section per builder:

* ``Users`` and ``Variables``/``Cases`` and ``Sets``: :mod:`.refi_export_study`;
* ``CodeBook``: :mod:`.refi_export_codebook`;
* ``Sources``: :mod:`.refi_export_sources`;
* ``Notes``, ``Links`` and the project's own ``NoteRef``s: :mod:`.refi_export_notes`.

The document is written as a stream into the zip and validated against
``Project.xsd`` as it is written (:mod:`.refi_export_context`), so memory does not grow
with the project. The zip is built in a temporary file beside the target and renamed
into place only when the document validated: an invalid document is a bug of ours and
nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from .. import outputs
from ..errors import QualcodeError
from ..records.exchange import RefiExport
from ..store import refi as store_refi
from ..store import study as store_study
from ..version import __version__
from .refi_export_codebook import write_codebook
from .refi_export_context import ExportContext, document
from .refi_export_notes import write_links, write_notes, write_project_note_refs
from .refi_export_sources import internal_files, write_sources
from .refi_export_study import write_sets, write_users, write_variables_and_cases
from .refi_vocabulary import xml_datetime

if TYPE_CHECKING:
    from .service import ExchangeService

#: The builders of the sections of ``Project``, in the order the schema requires.
SECTIONS: tuple[Callable[[ExportContext], None], ...] = (
    write_users, write_codebook, write_variables_and_cases, write_sources, write_notes, write_links,
    write_sets, write_project_note_refs,
)


def export_context(exchange: ExchangeService) -> ExportContext:
    """What the builders read: the project's small use cases, and its store."""
    db, study = exchange.db, exchange.study
    return ExportContext(
        db=db, project_guid=store_study.get_meta(db, "project_guid") or str(uuid.uuid4()),
        coders={c.id: c for c in study.coders()}, codebook=exchange.codebook.tree(),
        participants=store_study.list_participants(db), waves=store_study.list_waves(db),
        time_points=study.time_points(),
        study_facts=study.study_facts(), transcripts=store_refi.transcript_outlines(db),
        project_folder=exchange.path.resolve().parent)


def _root_attributes(exchange: ExchangeService) -> dict[str, object | None]:
    return {"name": exchange.title, "origin": f"qualcode {__version__}",
            "creationDateTime": xml_datetime(store_study.get_meta(exchange.db, "created")),
            "modifiedDateTime": xml_datetime(dt.datetime.now(dt.UTC).isoformat())}


def export_qdpx(exchange: ExchangeService, path: str | Path) -> RefiExport:
    """Write the project as a REFI-QDA ``.qdpx``; returns what was written (counts)."""
    path = outputs.check_target(path)  # refused before anything is written
    ctx = export_context(exchange)
    with outputs.output_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open("project.qde", "w") as entry:
                with document(entry, _root_attributes(exchange)) as (out, validator):
                    ctx.out = out
                    for build in SECTIONS:
                        build(ctx)
            error = validator.close()
            if error:  # a bug of ours, never the user's: refuse to write an invalid file
                raise QualcodeError(f"{path.name}: the project does not validate against Project.xsd ({error})")
            for name, content in internal_files(ctx):
                if isinstance(content, Path):  # a recording: streamed from its file, not compressed again
                    archive.write(content, name, compress_type=zipfile.ZIP_STORED)
                else:
                    archive.writestr(name, content)
    return RefiExport(str(path), **asdict(ctx.counts), recordings_missing=tuple(ctx.missing_recordings))
