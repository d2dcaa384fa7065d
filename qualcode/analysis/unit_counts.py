"""Co-occurrence within turns or transcripts, counted in numpy from two plain scans.

The codings come packed from the identity index (:func:`store.analysis.packed_codings`:
``(transcript * codes_top + code) << shift | offset``), the turn starts from the index on
(transcript, start) packed as ``transcript << shift | start``; a binary search then finds
the turn each coding starts in (the turn with the greatest start at or before it, in the
same transcript). No correlated subquery, no sort in SQL.

Pairs: the distinct (unit, code) keys, sorted, put each unit's codes in one run; the
pairs of a run are (code at i, code at i + d) for every d below the run's length. Rows
whose run is shorter than d drop out as d grows, so the work is the number of pairs,
like a sparse product X^T X of the unit x code incidence matrix.

The counts are those of :func:`qualcode.analysis.cooccurrence.count_units`: passages per
code (codings of one code that overlap are one passage, whoever coded them), units with
each code, and units with both codes of a pair.
"""

from __future__ import annotations

from typing import Any

from ..store import analysis as store
from .passages import merge_arrays

# Up to this many (code, code) cells the pair counts are a bincount (a dense array of
# int64 of this size: 128 MB at most); beyond it they are sorted and counted.
DENSE_PAIR_CELLS = 1 << 24


def count_scope(db: Any, scope: str, *, coder_ids=None, wave_ids=None, code_ids=None,
                ) -> tuple[dict[int, int], dict[int, int], dict[tuple[int, int], list[int]]]:
    """(passages per code, units with each code, {(a, b): [units with both] * 2}) for
    ``scope`` "turn" or "transcript"."""
    import numpy as np

    starts, ends, shift, codes_top = store.packed_codings(
        db, coder_ids=coder_ids, wave_ids=wave_ids, code_ids=code_ids, skip_mixed=False)
    if not len(starts):
        return {}, {}, {}
    # Passages per code: the passages of each (transcript, code) group, summed by code.
    passage_starts = merge_arrays(starts, ends)[0]
    freq = _nonzero(np.bincount((passage_starts >> shift) % codes_top, minlength=codes_top))
    groups = starts >> shift
    transcripts, codes = np.divmod(groups, codes_top)
    if scope == "turn":
        turn_starts = store.packed_turn_starts(db, shift)
        at = (transcripts << shift) | (starts & ((1 << shift) - 1))
        # The turn where each coding starts: the last turn start at or before it...
        units = np.searchsorted(turn_starts, at, side="right") - 1
        # ...if it is one of the same transcript (else: before the first turn).
        found = units >= 0
        found[found] = (turn_starts[units[found]] >> shift) == transcripts[found]
        units, codes = units[found], codes[found]
    else:
        units = transcripts
    if not len(units):
        return freq, {}, {}
    keys = distinct(units * codes_top + codes)  # (unit, code), each unit's codes in one run
    units, codes = np.divmod(keys, codes_top)
    unit_counts = _nonzero(np.bincount(codes, minlength=codes_top))
    a, b, n = _pair_counts(units, codes, codes_top)
    n_list = n.tolist()
    pairs = dict(zip(zip(a.tolist(), b.tolist()), map(list, zip(n_list, n_list))))
    return freq, unit_counts, pairs


def distinct(keys):
    """The distinct values of an int64 array, ascending (a sort: faster than np.unique's
    hashing for these sizes)."""
    import numpy as np

    keys = np.sort(keys)
    if len(keys) > 1:
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys


def _nonzero(counts) -> dict[int, int]:
    """{index: count} of the non-zero entries of a bincount."""
    import numpy as np

    where = np.flatnonzero(counts)
    return dict(zip(where.tolist(), counts[where].tolist()))


def _pair_counts(units, codes, codes_top: int):
    """(a, b, units with both), three arrays, one entry per pair of codes that share a
    unit, from distinct (unit, code) rows sorted by unit then code (so a < b)."""
    import numpy as np

    rows = np.arange(len(units) - 1)
    found = []
    step = 1
    while len(rows):
        rows = rows[units[rows + step] == units[rows]]
        found.append(codes[rows] * codes_top + codes[rows + step])
        step += 1
        rows = rows[rows + step < len(units)]
    keys = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    if codes_top * codes_top <= DENSE_PAIR_CELLS:
        counted = np.bincount(keys)
        keys = np.flatnonzero(counted)
        counts = counted[keys]
    else:
        keys, counts = np.unique(keys, return_counts=True)
    a, b = np.divmod(keys, codes_top)
    return a, b, counts
