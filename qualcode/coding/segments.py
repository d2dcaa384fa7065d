"""Constant comparison: every segment under a code, side by side, across people and time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import QualcodeError
from ..model import SEGMENT_GROUPINGS
from ..store import codes as store_codes
from ..store import transcripts as store_tx

if TYPE_CHECKING:
    from .service import CodingService


GROUPINGS = SEGMENT_GROUPINGS


def segments(self: CodingService, code: str, *, include_subcodes: bool = False, context: int = 0,
             participant: str | None = None, wave: str | None = None, role: str | None = None,
             site: str | None = None, coder: str | None = None,
             transcript: str | None = None) -> list[dict]:
    if context < 0:
        raise QualcodeError(f"context {context} is negative (give characters either side, 0 or more)")
    code_ids = self.codebook.code_ids_with_descendants([code], include_subcodes)
    filters = dict(participant=participant, wave=wave, role=role, site=site, coder=coder,
                   transcript=transcript)
    rows = store_codes.segments(self.db, code_ids, filters)
    texts: dict[int, str] = {}
    for row in rows:
        tid = row.pop("transcript_id")
        text = texts.get(tid)
        if text is None:
            text = texts[tid] = store_tx.transcript_text(self.db, tid)
        row["text"] = text[row["start"]:row["end"]]
        row["exemplar"] = bool(row["exemplar"])
        # The case is the interview's participant; who spoke is `speaker`, and
        # `interviewer` says the words are the researcher's, not the participant's.
        row["interviewer"] = bool(row["interviewer"])
        if context:
            row["before"] = text[max(0, row["start"] - context):row["start"]]
            row["after"] = text[row["end"]:row["end"] + context]
    return rows

def group_segments(rows: list[dict], by: str) -> dict[str, list[dict]]:
    """Group segments (already in wave order) by one of :data:`GROUPINGS`."""
    if by not in GROUPINGS:
        raise QualcodeError(f"cannot group by {by!r}: use one of {', '.join(GROUPINGS)}")
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(str(row.get(by) or "-"), []).append(row)
    return groups
