"""Carrying codings across to a corrected version of a transcript's text.

The two texts are aligned with :mod:`difflib` in two passes: words (the white space
between them aside, so re-wrapped text still aligns; in a long text, words used
everywhere only extend matches), then the characters of each short stretch of words
that differ (a typo fixed inside a word). The result is a list of stretches that are the same
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

from ..nlp import UNSPACED

_WORDS = re.compile(r"\S+|\s+")
SURVIVING = 0.25  # share of a coded span that must survive for it to stay in place
FUZZY_SCORE = 90.0


@dataclass(frozen=True)
class Placement:
    """Where one coded span goes in the new text."""

    status: str  # "kept", "changed", "moved" or "unplaced"
    start: int | None = None
    end: int | None = None


# Words; in scripts written without spaces (Chinese, Japanese, Thai...) each character
# is a word, or an edited paragraph would be one long word that no longer matches.
_WORD_SPANS = re.compile(f"{UNSPACED.pattern}|(?:(?!{UNSPACED.pattern})\\S)+")
# Above this many words on the new side, words used everywhere ("the", "and") only
# extend matches and do not start them (difflib's autojunk): an unrelated text is then
# compared in about a second rather than minutes.
_JUNK_ABOVE = 2000
_CHARS_AT_MOST = 400  # a replaced stretch of words is compared by characters up to this size


def _spans(text: str, start: int, end: int, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    if pattern is None:
        return [(i, i + 1) for i in range(start, end)]
    return [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]


def _align(old: str, new: str, a: tuple[int, int], b: tuple[int, int], level: int,
           out: list[tuple[int, int, int]]) -> None:
    """Append (old start, new start, length) of the stretches equal in both ranges:
    level 0 compares words (the white space between them aside, so re-wrapped text
    still aligns), level 1 the characters of a short stretch of words that differ."""
    if a[0] >= a[1] or b[0] >= b[1]:
        return
    pattern = _WORD_SPANS if level == 0 else None
    ta, tb = _spans(old, *a, pattern), _spans(new, *b, pattern)
    if not ta or not tb:
        return
    sa = [old[s:e] for s, e in ta]
    sb = [new[s:e] for s, e in tb]
    matcher = difflib.SequenceMatcher(None, sa, sb, autojunk=len(sb) > _JUNK_ABOVE)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            if level == 0:  # word by word: the white space between may differ
                out.extend((ta[i][0], tb[j][0], ta[i][1] - ta[i][0]) for i, j in zip(range(i1, i2), range(j1, j2)))
            else:
                out.append((ta[i1][0], tb[j1][0], ta[i2 - 1][1] - ta[i1][0]))
        elif op == "replace" and level == 0:
            ra, rb = (ta[i1][0], ta[i2 - 1][1]), (tb[j1][0], tb[j2 - 1][1])
            if max(ra[1] - ra[0], rb[1] - rb[0]) <= _CHARS_AT_MOST:
                _align(old, new, ra, rb, 1, out)


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
        if parts and self.new[parts[0][0]:parts[-1][1]] == quote:
            return Placement("kept", parts[0][0], parts[-1][1])
        # Shares of the passage's visible characters (white space may change freely).
        kept = sum(len("".join(self.new[s:e].split())) for s, e in parts)
        if parts and kept >= SURVIVING * len("".join(quote.split())):
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
            # Found unchanged where what survives of it is: it did not move.
            here = bool(parts) and parts[0][0] <= found[0] < parts[-1][1] and self.new[found[0]:found[1]] == quote
            return Placement("kept" if here else "moved", *found)
        return Placement("unplaced")

    def _find(self, quote: str, near: int | None) -> tuple[int, int] | None:
        """The passage elsewhere in the new text: exactly (the occurrence nearest where it
        was), else nearly."""
        if not quote.strip():
            return None
        hits = [m.start() for m in re.finditer(re.escape(quote), self.new)]
        if len(hits) > 1 and len("".join(quote.split())) < 12:
            return None  # "Right." is everywhere: which one was it?
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
