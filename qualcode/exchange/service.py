"""REFI-QDA project exchange (``project.exchange``).

Exporting is :meth:`ExchangeService.export_refi`; importing makes a new project, so it
is :meth:`qualcode.project.Project.from_refi` (no project is open yet), which calls
the module-level :func:`import_refi`.
"""

from __future__ import annotations

from pathlib import Path

from ..coding.codebook import CodebookService
from ..coding.memos import MemoService
from ..context import ProjectContext, Service
from ..records.exchange import RefiExport, RefiImportReport
from ..study.service import StudyService


class ExchangeService(Service):
    """REFI-QDA project exchange (.qdpx) out."""

    def __init__(self, ctx: ProjectContext, study: StudyService, codebook: CodebookService,
                 memos: MemoService) -> None:
        super().__init__(ctx)
        self.study, self.codebook, self.memos = study, codebook, memos

    def export_refi(self, path: str | Path | None = None) -> RefiExport:
        """Write the whole project as a REFI-QDA ``.qdpx`` (validated against Project.xsd
        before it is written); returns counts of what was written. Without ``path``:
        ``<project>.qdpx`` in the ``exports/`` folder beside the project file."""
        from ..output_folder import default_output_folder, make_output_folder
        from .refi_export import export_qdpx

        if path is None:
            folder = make_output_folder(default_output_folder(self.path))
            path = folder / f"{Path(self.path).stem}.qdpx"
        return export_qdpx(self, path)


def import_refi(source: str | Path, dest: str | Path, *, coder: str | None = None) -> RefiImportReport:
    """Create the new project ``dest`` from a REFI-QDA ``.qdpx`` or ``.qde``; returns the
    report (counts, dropped, warnings, checks). Nothing is left at ``dest`` on failure."""
    from .refi_import import import_qdpx

    return import_qdpx(source, dest, coder=coder)


__all__ = ["ExchangeService", "import_refi"]
