"""Redrawing only what changed: after codings are removed, the turns still coded are
exactly those the remaining codings touch."""

from __future__ import annotations

import random
from bisect import bisect_right

from qualcode.tui.widgets.transcript_rows import Span, coded_turns, spans_by_row, still_coded, turns_touched


def test_turns_still_coded_after_removals_match_a_full_recount():
    rng = random.Random(15)
    # 40 turns of 100 characters with a 10-character label gap before each; 4 rows per turn.
    turn_starts = [10 + 110 * t for t in range(40)]
    row_starts = sorted({0, *(s + 25 * k for s in turn_starts for k in range(4))})
    row_of = lambda offset: max(0, bisect_right(row_starts, offset) - 1)
    for _ in range(200):
        spans = []
        for i in range(rng.randint(1, 30)):
            start = rng.randrange(0, 4390)
            spans.append(Span(i, "A", start, min(4400, start + rng.randint(1, 400))))
        removed = set(rng.sample(range(len(spans)), rng.randint(1, len(spans))))
        kept = [s for s in spans if s.id not in removed]
        rows = spans_by_row(row_starts, kept)
        touched = set().union(*(turns_touched(turn_starts, s) for s in spans if s.id in removed))
        before = coded_turns(turn_starts, spans)
        after = before - (touched - still_coded(touched, turn_starts, row_of, rows))
        assert after == coded_turns(turn_starts, kept)


def test_a_coding_between_turns_keeps_the_turn_before_it_coded():
    turn_starts = [10, 120]
    row_starts = [0, 10, 60, 110, 120]
    row_of = lambda offset: max(0, bisect_right(row_starts, offset) - 1)
    in_gap = Span(2, "A", 112, 118)  # the label before the second turn
    assert coded_turns(turn_starts, [in_gap]) == {0}
    assert still_coded({0}, turn_starts, row_of, spans_by_row(row_starts, [in_gap])) == {0}
    assert still_coded({0}, turn_starts, row_of, spans_by_row(row_starts, [])) == set()
