"""REFI-QDA project exchange use cases for :class:`qualcode.project.Project`.

``ExchangeMixin`` adds :meth:`export_refi`; importing makes a new project, so it is
the module-level :func:`import_refi` (no project is open yet).
"""

from __future__ import annotations

from pathlib import Path


class ExchangeMixin:
    """REFI-QDA project exchange (.qdpx) out."""

    def export_refi(self, path: str | Path | None = None) -> dict:
        """Write the whole project as a REFI-QDA ``.qdpx`` (validated against Project.xsd
        before it is written); returns counts of what was written. Without ``path``:
        ``<project>.qdpx`` in the ``exports/`` folder beside the project file."""
        from ..output_folder import default_output_folder, make_output_folder
        from .refi_export import export_qdpx

        if path is None:
            folder = make_output_folder(default_output_folder(self.path))
            path = folder / f"{Path(self.path).stem}.qdpx"
        return export_qdpx(self, path)


def import_refi(source: str | Path, dest: str | Path, *, coder: str | None = None) -> dict:
    """Create the new project ``dest`` from a REFI-QDA ``.qdpx`` or ``.qde``; returns the
    report (counts, dropped, warnings, checks). Nothing is left at ``dest`` on failure."""
    from .refi_import import import_qdpx

    return import_qdpx(source, dest, coder=coder)


__all__ = ["ExchangeMixin", "import_refi"]
