"""An online copy of the project while coders work on it (``qualcode backup``).

SQLite's backup API copies the pages under a read transaction, so the copy is one
consistent state of the project whatever the other programs commit meanwhile, and the
file is never opened by anything but SQLite (which would drop this process's locks:
see :mod:`qualcode.open_files`). The copy is written into a temporary file beside
the destination and renamed into place (:func:`qualcode.outputs.output_path`), readable
by its owner only; the destination may not be the project itself, its companions or any
other SQLite database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..context import ProjectContext
from ..errors import QualcodeError
from ..outputs import output_path
from ..store import team_live as store_team


def backup_project(ctx: ProjectContext, dest: str | Path) -> dict[str, Any]:
    """Copy the open project to ``dest``; returns its path, size and page count."""
    dest = Path(dest)
    with output_path(dest, protect=(ctx.path,)) as tmp:
        try:
            verdict, pages = store_team.copy_database(ctx.db, tmp)
        except sqlite3.Error as exc:
            raise QualcodeError(f"{dest.name}: the copy failed ({exc})") from None
        if verdict != "ok":
            raise QualcodeError(f"{dest.name}: the copy did not pass SQLite's check ({verdict})")
    return {"path": str(dest), "bytes": dest.stat().st_size, "pages": pages}
