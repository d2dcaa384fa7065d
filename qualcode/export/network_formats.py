"""The file kinds a co-occurrence network is written as, told from the file's name.

Apart from :mod:`qualcode.export.graph` so that checking a name (and writing the CSV
edge list, which needs no graph) does not import networkx.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import QualcodeError

FORMATS = ("graphml", "gexf", "json", "csv", "png")


def format_of(path: str | Path, given: str | None = None) -> str:
    fmt = (given or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise QualcodeError(
            f"{Path(path).name}: cannot tell the format; use a name ending in "
            f"{', '.join('.' + f for f in FORMATS)}"
        )
    return fmt
