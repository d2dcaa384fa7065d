"""Where the units of a transcript are: turns, sentences, words and the text between.

A mixin of :class:`~qualcode.tui.widgets.transcript_view.TranscriptView`, kept apart
because it is plain offset arithmetic over the view's sorted turn and sentence lists
(``text``, ``turns``, ``sentences``, ``_turn_items``, ``_turn_starts``,
``_sentence_items``, ``_sentence_starts``), with nothing to draw.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .transcript_rows import WORD
from .transcript_state import TranscriptState


class TranscriptUnits(TranscriptState):
    """Finding and stepping over units of the text."""

    def turn_index_at(self, offset: int) -> int:
        return max(0, bisect_right(self._turn_starts, offset) - 1)

    def unit_at(self, unit: str, offset: int) -> tuple[int, int]:
        """The sentence, turn or word containing ``offset`` (or the next one)."""
        if unit == "turn":
            turn = self.turns[self.turn_index_at(offset)]
            return turn.start, turn.end
        if unit == "sentence" and self.sentences:
            i = max(0, bisect_right(self._sentence_starts, offset) - 1)
            if self.sentences[i][1] <= offset and i + 1 < len(self.sentences):
                i += 1
            return self.sentences[i][0], self.sentences[i][1]
        offset = self._in_text(offset, 1)
        match = WORD.search(self.text, max(0, offset - 60))
        while match and match.end() <= offset:
            match = WORD.search(self.text, match.end())
        if match and not self._inside(match.start()):
            match = WORD.search(self.text, self._in_text(match.start(), 1))
        return (match.start(), match.end()) if match else (offset, min(len(self.text), offset + 1))

    def _in_text(self, offset: int, direction: int) -> int:
        """Text between turns (speaker labels, blank lines) is not shown: an offset
        there moves to the next turn's start (forward) or the previous turn's end."""
        if not self._turn_items:
            return offset
        i = self.turn_index_at(offset)
        start, end = self._turn_items[i]
        if offset < start:
            return start
        if offset <= end:
            return offset
        if direction > 0 and i + 1 < len(self._turn_items):
            return self._turn_items[i + 1][0]
        return end

    def _inside(self, offset: int) -> bool:
        return self._in_text(offset, 1) == offset

    def _step(self, unit: str, offset: int, direction: int, ends: bool) -> int:
        """The next/previous unit boundary: starts for moving, ends when extending forward."""
        if unit == "char":
            return self._in_text(min(max(0, offset + direction), len(self.text)), direction)
        if unit == "word":
            if direction > 0:
                # Moving on from inside a word (a word selected with e) skips the rest of it.
                match = WORD.search(self.text, offset)
                if match and not ends and match.start() <= offset:
                    match = WORD.search(self.text, match.end())
                if match and ends and match.end() <= offset:
                    match = WORD.search(self.text, match.end())
                if match and not self._inside(match.start()):  # a speaker label: skip it
                    match = WORD.search(self.text, self._in_text(match.start(), 1))
                if not match:
                    return self._in_text(len(self.text), -1)
                return match.end() if ends else match.start()
            starts = [m.start() for m in WORD.finditer(self.text, max(0, offset - 200), offset)]
            starts = [s for s in starts if s < offset and self._inside(s)]
            return starts[-1] if starts else self._in_text(max(0, offset - 1), -1)
        items = self._turn_items if unit == "turn" else self._sentence_items
        starts = self._turn_starts if unit == "turn" else self._sentence_starts
        if not items:
            return offset
        if direction > 0:
            if ends:
                i = self._first_end_after(items, offset)
                return items[min(i, len(items) - 1)][1]
            i = bisect_right(starts, offset)
            return items[min(i, len(items) - 1)][0]
        i = bisect_left(starts, offset) - 1
        return items[max(i, 0)][0]

    @staticmethod
    def _first_end_after(items: list[tuple[int, int]], offset: int) -> int:
        lo, hi = 0, len(items)
        while lo < hi:  # ends are sorted too: binary search without building a list
            mid = (lo + hi) // 2
            if items[mid][1] <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo
