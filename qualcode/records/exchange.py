"""Records of REFI-QDA exchange: what an export wrote, what an import made.

The tallies inside them (``counts``, ``dropped``, ``checks`` of an import) stay
``{what: number}`` mappings: their keys are open-ended (one per kind of thing kept,
dropped or checked) and a face only prints or sums them. The JSON is what
``qualcode export refi --json`` and ``qualcode import-refi --json`` have always printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class RefiExport:
    """A ``.qdpx`` written: where, and how many of each thing went into it."""

    path: str
    users: int = 0
    codes: int = 0
    participants: int = 0
    sources: int = 0
    selections: int = 0
    codings: int = 0
    memos: int = 0
    waves: int = 0
    recordings: int = 0
    #: Transcripts whose linked recording was not found, so not carried.
    recordings_missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        # Every field in its declared order; the missing recordings only when there are some.
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)
                                if f.name != "recordings_missing"}
        if self.recordings_missing:
            data["recordings_missing"] = list(self.recordings_missing)
        return data


@dataclass(frozen=True, slots=True)
class RefiImportReport:
    """A project made from a REFI-QDA file: what it holds (``counts``), what of the
    file was not kept (``dropped``), what to look at (``warnings``) and the checks run
    on the file's selections (``checks``)."""

    source: str
    project: str
    origin: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)
    dropped: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    checks: Mapping[str, int] = field(default_factory=dict)
