"""Constant comparison: every segment under a code, side by side, across people and time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..analysis import passages as _passages
from ..analysis.where import bind_where
from ..errors import QualcodeError
from ..model import SEGMENT_GROUPINGS, format_number, recording_clock
from ..records.codings import Segment
from ..store import codes as store_codes
from ..store import study as store_study
from ..store import transcripts as store_tx

if TYPE_CHECKING:
    from .service import CodingService


GROUPINGS = SEGMENT_GROUPINGS


def segments(self: CodingService, code: str, *, include_subcodes: bool = False, context: int = 0,
             participant: str | None = None, wave: str | None = None, role: str | None = None,
             site: str | None = None, coder: str | None = None,
             transcript: str | None = None, merge_coders: bool = False,
             where: Sequence[str] | None = None) -> list[Segment]:
    """Every coding of ``code`` (and its sub-codes) with its text, attribution and,
    with ``context``, the characters either side. ``merge_coders``: one row per coded
    passage (codings of the code that overlap in a transcript, whoever made them; see
    :mod:`qualcode.analysis.passages`) with ``coders`` and ``ids`` listing them, its
    span the union of theirs, so that a passage two coders coded shows once. ``where``:
    filters in the shared language (:mod:`qualcode.analysis.where`) on the segment's
    participant, wave, coder, speaker and transcript."""
    if context < 0:
        raise QualcodeError(f"context {context} is negative (give characters either side, 0 or more)")
    code_ids = self.codebook.code_ids_with_descendants([code], include_subcodes)
    filters = dict(participant=participant, wave=wave, role=role, site=site, coder=coder,
                   transcript=transcript)
    rows = store_codes.segments(self.db, code_ids, filters)
    if where:
        bound = bind_where(list(where), self.db)
        rows = [row for row in rows
                # ("": no speaker or coder known, which a speaker: or coder: filter leaves out)
                if bound.matches(row["participant"], row["wave"], coder=row["coder"] or "",
                                 speaker=row["speaker"] or "", transcript=row["transcript"] or "")]
    if merge_coders:
        rows = _one_per_passage(rows)
    texts: dict[int, str] = {}
    result = []
    for row in rows:
        tid = row["transcript_id"]
        text = texts.get(tid)
        if text is None:
            text = texts[tid] = store_tx.transcript_text(self.db, tid)
        start, end, coders, ids = row["start"], row["end"], row.get("coders"), row.get("ids")
        estimated = bool(row["turn_time_estimated"])
        # Positional, in the record's field order: the listing of 10,000 segments is timed
        # (benchmarks/bench_coding.py).
        result.append(Segment(
            row["id"], start, end, row["memo"], bool(row["exemplar"]), row["code"], row["coder"],
            row["transcript"], row["kind"], row["wave"], row["wave_order"], row["turn"],
            row["turn_start"], row["turn_end"], row["speaker"],
            # The case is the interview's participant; who spoke is `speaker`, and
            # `interviewer` says the words are the researcher's, not the participant's.
            bool(row["interviewer"]), row["participant"], row["pseudonym"], row["role"], row["site"],
            # Where the turn starts in the recording: quotes cite it ("C05_W2, turn 12, 00:14:32").
            row["turn_time"], estimated,
            None if coders is None else tuple(coders), None if ids is None else tuple(ids),
            text[start:end], recording_clock(row["turn_time"], estimated),
            text[max(0, start - context):start] if context else None,
            text[end:end + context] if context else None))
    return result


def _one_per_passage(rows: list[dict]) -> list[dict]:
    """Rows merged into passages of one code in one transcript, in the rows' order (the
    earliest coding of each passage speaks for it: its attribution, turn and memo)."""
    merged = []
    for members in _passages.merge(rows, key=lambda r: (r["transcript_id"], r["code"])):
        first = dict(members[0])
        first["start"], first["end"] = _passages.extent(members)
        first["coders"] = sorted({m["coder"] for m in members if m["coder"]})
        first["ids"] = [m["id"] for m in members]
        first["exemplar"] = any(m["exemplar"] for m in members)
        merged.append(first)
    place = {row["id"]: i for i, row in enumerate(rows)}
    merged.sort(key=lambda row: place[row["id"]])
    return merged


def group_segments(self: CodingService, rows: Sequence[Segment], by: str) -> dict[str, list[Segment]]:
    """Group segments (already in wave order) by one of :data:`GROUPINGS`, or by an
    attribute of the segment's participant at its wave (fixed or per wave; ``W2.key``
    picks a wave), groups in the order of the attribute's declared type."""
    if by in GROUPINGS:
        groups: dict[str, list[Segment]] = {}
        for row in rows:
            groups.setdefault(str(getattr(row, by) or "-"), []).append(row)
        return groups
    known = set(store_study.attribute_types(self.db))
    for person in store_study.list_participants(self.db):
        known |= set(person["attributes"])
        known |= {key for values in person["wave_attributes"].values() for key in values}
    if by.split("@")[0].split(".")[-1] not in known:
        raise QualcodeError(f"cannot group by {by!r}: use one of {', '.join(GROUPINGS)} or an attribute")
    bound = bind_where(None, self.db)
    typed: dict[object, list[Segment]] = {}
    for row in rows:
        value = bound.value(row.participant, row.wave, by) if row.participant else None
        typed.setdefault(value, []).append(row)
    return {("-" if value is None else _shown(value)): typed[value]
            for value in sorted(typed, key=lambda v: bound.sort_key(by, v))}


def _shown(value: object) -> str:
    if isinstance(value, float):
        return format_number(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
