"""Evaluating a code query over whole arrays of passages (numpy), never row by row.

Every intermediate result is a set of *spans*: two int64 arrays, starts and ends, each
value ``transcript_id << shift | offset``, sorted by start, no two sharing a character
(spans may touch). An operand's spans are its passages (qualcode.analysis.passages):
its codings merged where they overlap, across the code and every code under it. Each
operator takes two such sets and returns one; docs/query.md defines them in words.

Packing the transcript into the high bits makes one sorted array hold every
transcript, and two spans of different transcripts can never compare as overlapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..analysis.passages import merge_arrays
from .language import Binary, Code, Expr

Spans = tuple[np.ndarray, np.ndarray]


def merged(starts: np.ndarray, ends: np.ndarray) -> Spans:
    """Spans from any intervals: those that share a character become one."""
    if not len(starts):
        return starts, ends
    p_starts, p_ends, _, _ = merge_arrays(starts, ends)
    return p_starts, p_ends


def overlap_ranges(a: Spans, b: Spans) -> tuple[np.ndarray, np.ndarray]:
    """For each span of ``a``, the index range [lo, hi) of the spans of ``b`` sharing at
    least one character with it (b's ends are sorted too, as its spans are disjoint)."""
    lo = np.searchsorted(b[1], a[0], side="right")   # first b ending after a starts
    hi = np.searchsorted(b[0], a[1], side="left")    # b starting before a ends
    return lo, np.maximum(hi, lo)


def _pairs(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with lo[i] <= j < hi[i], i ascending then j ascending."""
    counts = hi - lo
    total = int(counts.sum())
    i = np.repeat(np.arange(len(lo)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    j = np.repeat(lo, counts) + (np.arange(total) - first)
    return i, j


def intersect(a: Spans, b: Spans) -> Spans:
    """The stretches coded by both: one span per overlapping pair (disjoint, sorted)."""
    i, j = _pairs(*overlap_ranges(a, b))
    return np.maximum(a[0][i], b[0][j]), np.minimum(a[1][i], b[1][j])


def union(a: Spans, b: Spans) -> Spans:
    return merged(np.concatenate((a[0], b[0])), np.concatenate((a[1], b[1])))


def take(spans: Spans, mask: np.ndarray) -> Spans:
    return spans[0][mask], spans[1][mask]


def overlapping(a: Spans, b: Spans) -> Spans:
    """Passages of a that overlap a passage of b, with those passages of b, each chain
    merged into one span (their union)."""
    lo, hi = overlap_ranges(a, b)
    a_hit = hi > lo
    b_hit = np.zeros(len(b[0]), dtype=bool)
    _, j = _pairs(lo, hi)
    b_hit[j] = True
    return union(take(a, a_hit), take(b, b_hit))


def difference(a: Spans, b: Spans) -> Spans:
    """Passages of a that share no character with any passage of b."""
    lo, hi = overlap_ranges(a, b)
    return take(a, hi == lo)


@dataclass
class Units:
    """Maps span starts (and ends) to unit keys: turns, sentences, transcripts,
    participant-waves. A key of -1 means "in no unit of that kind"."""

    shift: int
    turn_starts: np.ndarray            # packed, ascending
    turn_participant: np.ndarray       # participant id of each turn's speaker, -1 none
    sentence_starts: Callable[[], np.ndarray]  # packed, ascending (read on first use)
    transcript_participant: np.ndarray  # indexed by transcript id, -1 nobody
    transcript_wave: np.ndarray         # indexed by transcript id, -1 none

    def transcripts(self, packed: np.ndarray) -> np.ndarray:
        return packed >> self.shift

    def _index(self, starts_of_units: np.ndarray, packed: np.ndarray) -> np.ndarray:
        """Index of the last unit starting at or before each offset in the same
        transcript (the unit a coding "starts in", as the rest of qualcode counts)."""
        index = np.searchsorted(starts_of_units, packed, side="right") - 1
        valid = index >= 0
        same = np.zeros(len(packed), dtype=bool)
        same[valid] = (starts_of_units[index[valid]] >> self.shift) == (packed[valid] >> self.shift)
        return np.where(same, index, -1)

    def turn_index(self, packed: np.ndarray) -> np.ndarray:
        return self._index(self.turn_starts, packed)

    def sentence_index(self, packed: np.ndarray) -> np.ndarray:
        return self._index(self.sentence_starts(), packed)

    def participants(self, packed: np.ndarray) -> np.ndarray:
        """The participant of each position: the speaker of its turn if mapped to one,
        else the transcript's participant (-1: nobody)."""
        fallback = self.transcript_participant[self.transcripts(packed)]
        turn = self.turn_index(packed)
        speaker = np.where(turn >= 0, self.turn_participant[np.maximum(turn, 0)], -1) \
            if len(self.turn_participant) else np.full(len(packed), -1)
        return np.where(speaker >= 0, speaker, fallback)

    def waves(self, packed: np.ndarray) -> np.ndarray:
        return self.transcript_wave[self.transcripts(packed)]

    def keys(self, unit: str, packed: np.ndarray) -> np.ndarray:
        if unit == "turn":
            return self.turn_index(packed)
        if unit == "sentence":
            return self.sentence_index(packed)
        if unit == "transcript":
            return self.transcripts(packed)
        people, waves = self.participants(packed), self.waves(packed)
        return np.where((people >= 0) & (waves >= 0), people * (1 << 31) + waves, -1)


def within(a: Spans, b: Spans, unit: str, units: Units, *, keep_shared: bool) -> Spans:
    """AND ... WITHIN: passages of a and of b in units holding both (merged where they
    overlap); NOT ... WITHIN (``keep_shared=False``): passages of a in units with no
    passage of b. A passage is in the unit where it starts."""
    a_keys, b_keys = units.keys(unit, a[0]), units.keys(unit, b[0])
    if not keep_shared:
        return take(a, ~np.isin(a_keys, b_keys[b_keys >= 0]) | (a_keys < 0))
    shared = np.intersect1d(a_keys[a_keys >= 0], b_keys[b_keys >= 0])
    return union(take(a, np.isin(a_keys, shared)), take(b, np.isin(b_keys, shared)))


def near(a: Spans, b: Spans, unit: str, distance: int, units: Units) -> Spans:
    """Passages of a with a passage of b at most ``distance`` units (sentences or turns)
    away in the same transcript, and those passages of b; merged where they overlap.
    A passage spans the units from the one its first character is in to the one its
    last character is in; the distance between two passages is the number of units
    from the end of the first to the start of the second (0: they share a unit)."""
    index = units.sentence_index if unit == "sentence" else units.turn_index
    # A gap wider than any distance between transcripts: units of different
    # transcripts are never near.
    gap = distance + 1

    def span_units(spans: Spans) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        first, last = index(spans[0]), index(spans[1] - 1)
        offset = (spans[0] >> units.shift) * gap
        ok = (first >= 0) & (last >= 0)
        return first + offset, last + offset, ok

    a_first, a_last, a_ok = span_units(a)
    b_first, b_last, b_ok = span_units(b)
    b_first, b_last = b_first[b_ok], b_last[b_ok]
    b_index = np.flatnonzero(b_ok)
    # b's first and last units are ascending (its spans are disjoint and sorted).
    lo = np.searchsorted(b_last, a_first - distance, side="left")
    hi = np.searchsorted(b_first, a_last + distance, side="right")
    hi = np.maximum(hi, lo)
    a_hit = (hi > lo) & a_ok
    b_hit = np.zeros(len(b[0]), dtype=bool)
    _, j = _pairs(np.where(a_ok, lo, 0), np.where(a_ok, hi, 0))
    b_hit[b_index[j]] = True
    return union(take(a, a_hit), take(b, b_hit))


def evaluate(expr: Expr, operand: Callable[[Code], Spans], units: Units) -> Spans:
    if isinstance(expr, Code):
        return operand(expr)
    assert isinstance(expr, Binary)
    a = evaluate(expr.left, operand, units)
    b = evaluate(expr.right, operand, units)
    if expr.op == "OR":
        return union(a, b)
    if expr.op == "AND":
        return within(a, b, expr.unit, units, keep_shared=True) if expr.unit else intersect(a, b)
    if expr.op == "NOT":
        return within(a, b, expr.unit, units, keep_shared=False) if expr.unit else difference(a, b)
    if expr.op == "OVERLAPS":
        return overlapping(a, b)
    assert expr.op == "NEAR" and expr.unit is not None and expr.distance is not None
    return near(a, b, expr.unit, expr.distance, units)
