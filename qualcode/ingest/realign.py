"""Carrying codings across to a corrected version of a transcript's text.

The two texts are aligned with :mod:`difflib` in three passes, each on the parts the
pass before left unmatched: lines (cheap, and most corrections leave most lines as they
were), then words, then characters. The result is a list of stretches that are the same
in both texts. A coded span keeps the characters of it that survive, in their new place:

* every character survives and the text reads the same: **kept** (perhaps moved by
  edits elsewhere);
* at least a quarter of it survives, close together: **changed** (shortened, or edited
  inside) and placed on what survives;
* less survives, but the passage is found elsewhere in the new text, exactly or nearly
  (rapidfuzz, a score of 90 or more): **moved** there;
* otherwise it **cannot be placed**: the caller reports it (and keeps it in the undo
  history), never drops it silently.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORDS = re.compile(r"\S+|\s+")
SURVIVING = 0.25  # share of a coded span that must survive for it to stay in place
FUZZY_SCORE = 90.0


@dataclass(frozen=True)
class Placement:
    """Where one coded span goes in the new text."""

    status: str  # "kept", "changed", "moved" or "unplaced"
    start: int | None = None
    end: int | None = None


def _tokens(text: str, start: int, end: int, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    if pattern is None:
        return [(i, i + 1) for i in range(start, end)]
    return [(start + m.start(), start + m.end()) for m in pattern.finditer(text[start:end])]


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, at = [], start
    while at < end:
        stop = text.find("\n", at, end)
        stop = end if stop < 0 else stop + 1
        spans.append((at, stop))
        at = stop
    return spans


def _align(old: str, new: str, a: tuple[int, int], b: tuple[int, int], level: int,
           out: list[tuple[int, int, int]]) -> None:
    """Append (old start, new start, length) of the stretches equal in both ranges."""
    if a[0] >= a[1] or b[0] >= b[1]:
        return
    if level == 0:
        ta, tb = _lines(old, *a), _lines(new, *b)
    else:
        pattern = _WORDS if level == 1 else None
        ta, tb = _tokens(old, *a, pattern), _tokens(new, *b, pattern)
    sa = [old[s:e] for s, e in ta]
    sb = [new[s:e] for s, e in tb]
    matcher = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append((ta[i1][0], tb[j1][0], ta[i2 - 1][1] - ta[i1][0]))
        elif op == "replace" and level < 2:
            _align(old, new, (ta[i1][0], ta[i2 - 1][1]), (tb[j1][0], tb[j2 - 1][1]), level + 1, out)


class Alignment:
    """Equal stretches of an old and a new text, and offsets mapped between them."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        stretches: list[tuple[int, int, int]] = []
        _align(old, new, (0, len(old)), (0, len(new)), 0, stretches)
        stretches.sort()
        self.stretches = stretches
        self._starts = [s for s, _, _ in stretches]

    def surviving(self, start: int, end: int) -> list[tuple[int, int]]:
        """The parts of old [start, end) that survive, as spans of the new text."""
        result = []
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        while i < len(self.stretches) and self.stretches[i][0] < end:
            a, b, length = self.stretches[i]
            lo, hi = max(start, a), min(end, a + length)
            if lo < hi:
                result.append((b + lo - a, b + hi - a))
            i += 1
        return result

    def place(self, start: int, end: int) -> Placement:
        """Where old [start, end) goes (see the module docstring)."""
        quote = self.old[start:end]
        parts = self.surviving(start, end)
        kept = sum(e - s for s, e in parts)
        if parts and kept == end - start and self.new[parts[0][0]:parts[-1][1]] == quote:
            return Placement("kept", parts[0][0], parts[-1][1])
        if parts and kept >= SURVIVING * (end - start):
            new_start, new_end = parts[0][0], parts[-1][1]
            while new_start < new_end and self.new[new_start].isspace():
                new_start += 1
            while new_end > new_start and self.new[new_end - 1].isspace():
                new_end -= 1
            # What survives must read as a passage: some words, not spread far apart.
            together = new_end - new_start <= 2 * (end - start) + 40
            if new_end > new_start and together and any(ch.isalnum() for ch in self.new[new_start:new_end]):
                return Placement("changed", new_start, new_end)
        found = self._find(quote, parts[0][0] if parts else None)
        if found is not None:
            return Placement("moved", *found)
        return Placement("unplaced")

    def _find(self, quote: str, near: int | None) -> tuple[int, int] | None:
        """The passage elsewhere in the new text: exactly (the occurrence nearest where it
        was), else nearly."""
        if not quote.strip():
            return None
        hits = [m.start() for m in re.finditer(re.escape(quote), self.new)]
        if hits:
            best = min(hits, key=lambda h: abs(h - near)) if near is not None else hits[0]
            return best, best + len(quote)
        if len(quote) < 12:
            return None  # a word or two found somewhere else is not the same passage
        from rapidfuzz import fuzz

        match = fuzz.partial_ratio_alignment(quote, self.new, score_cutoff=FUZZY_SCORE)
        if match is None or match.dest_end - match.dest_start < 0.8 * len(quote):
            return None  # a good score for a part of the passage is not the passage
        return match.dest_start, match.dest_end


def place_all(old: str, new: str, spans: Sequence[tuple[int, int]]) -> list[Placement]:
    """Placements of many old spans (one alignment for them all)."""
    alignment = Alignment(old, new)
    return [alignment.place(start, end) for start, end in spans]
