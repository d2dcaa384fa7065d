"""Coded passages: the unit every count of qualcode is made of.

A *passage* of a code is a maximal stretch of one transcript covered by codings of that
code that overlap one another (share at least one character), whoever made them: when
anna codes a sentence and ben codes the same sentence or a clause of it, that is one
passage, not two. Overlap chains: codings [0, 10), [5, 15) and [12, 20) are one passage
[0, 20). Codings that only touch ([0, 10) and [10, 20)) are two passages. A passage
belongs to the participant who speaks where it starts (its earliest coding), and to
the transcript's wave. Its characters are the union of its codings.

Where codes are rolled up (a category, a theme with its sub-codes) the same rule is
applied to all the codings of the codes rolled up: a sentence coded with two sub-codes
is one passage of the theme.

Why: coders' codings of one passage differ by a word or a clause at either end, and
counting codings counts a passage once per coder who coded it, so that a project with
a second coder looks as if more had been said. Choosing one coder (``--coded-by``)
counts that coder's passages.

Two implementations of one rule: :func:`count_arrays` for the bulk counts (the cube,
codebook counts; numpy over integers packing group and offset) and :func:`merge` for
lists of segment records (exports), which keeps the codings of each passage.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from operator import itemgetter
from typing import Any


def count_packed(rows: list[tuple[int, int]], shift: int) -> dict[int, tuple[int, int]]:
    """Passages per group from ``rows`` of ``(group << shift | start, group << shift |
    end)``, each group's rows in any order: ``{group: (passages, characters)}``. See
    :func:`count_arrays`."""
    import numpy as np

    if not rows:
        return {}
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return count_arrays(pairs[:, 0], pairs[:, 1], shift)


def merge_arrays(starts, ends):
    """Passages from packed starts and ends (numpy int64 arrays, group in the high
    bits): (passage starts, passage ends, index of each passage's first coding in start
    order, the order). Coding i starts a new passage when its start is at or after the
    largest end of the codings before it in start order; a new group always does."""
    import numpy as np

    order = None
    if len(starts) > 1 and not bool((starts[1:] >= starts[:-1]).all()):
        order = np.lexsort((ends, starts))     # several coders: merge their runs
        starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    first = np.empty(len(starts), dtype=bool)
    first[:1] = True
    first[1:] = starts[1:] >= reach[:-1]
    index = np.flatnonzero(first)
    last = np.append(index[1:] - 1, len(starts) - 1)
    return starts[index], reach[last], index, order


def count_arrays(starts, ends, shift: int) -> dict[int, tuple[int, int]]:
    """Passages and their characters per group (``group << shift | offset`` packing),
    in C-level numpy operations: a million codings take a few hundredths of a second."""
    import numpy as np

    if not len(starts):
        return {}
    p_starts, p_ends, _, _ = merge_arrays(starts, ends)
    groups = p_starts >> shift
    cut = np.concatenate(([0], np.flatnonzero(np.diff(groups)) + 1))
    counts = np.diff(np.append(cut, len(groups)))
    chars = np.add.reduceat(p_ends - p_starts, cut)
    return dict(zip(groups[cut].tolist(), zip(counts.tolist(), chars.tolist())))


def pack(rows: Iterable[tuple[int, int, int]], shift: int) -> list[tuple[int, int]]:
    """``(group, start, end)`` -> the packed pairs :func:`count_packed` takes."""
    return [((g << shift) | s, (g << shift) | e) for g, s, e in rows]


def offset_bits(longest: int) -> int:
    """Bits that hold any offset of a text of ``longest`` characters (at least 1)."""
    return max(1, int(longest).bit_length())


def merge(rows: Sequence[Any], key: Callable[[Any], Hashable] = itemgetter("transcript"),
          span: Callable[[Any], tuple[int, int]] = itemgetter("start", "end"),
          ) -> list[list[Any]]:
    """Group segment records into passages: lists of the records of one passage, the
    earliest first. ``key`` says what must be equal for two records to be one passage
    (default: the transcript; give the transcript and code to count per code);
    ``span`` reads a record's (start, end) (default: its ``start`` and ``end`` items;
    ``attrgetter("start", "end")`` for records with fields). Passages come in key, then
    start order."""
    try:
        ordered = sorted(rows, key=lambda r: (key(r), *span(r)))
    except TypeError:  # a None beside strings or numbers (no wave, no participant)
        ordered = sorted(rows, key=lambda r: (_sortable(key(r)), *span(r)))
    result: list[list[Any]] = []
    current_key, reach = object(), -1
    for row in ordered:
        k = key(row)
        start, end = span(row)
        if k != current_key or start >= reach:
            result.append([row])
            current_key, reach = k, end
        else:
            result[-1].append(row)
            reach = max(reach, end)
    return result


def _sortable(value):
    """Keys may hold None (no wave, no participant): sort it first, beside strings."""
    if isinstance(value, tuple):
        return tuple(_sortable(v) for v in value)
    return (value is not None, "" if value is None else value)


def extent(members: Sequence[dict]) -> tuple[int, int]:
    """(start, end) of a passage: the union of its codings (they chain, so no gaps)."""
    return min(r["start"] for r in members), max(r["end"] for r in members)


def regroup(starts, ends, shift: int, codes_top: int, group_of: dict[int, int]):
    """Packed arrays with each code replaced by ``group_of[code]`` (codes without a
    group left out): passages are then taken over all the codes of a group."""
    import numpy as np

    mask = (1 << shift) - 1
    groups = starts >> shift
    tid, kid = np.divmod(groups, codes_top)
    table = np.full(codes_top, -1, dtype=np.int64)
    for code, group in group_of.items():
        if 0 <= code < codes_top:
            table[code] = group
    mapped = table[kid]
    keep = mapped >= 0
    base = (tid[keep] * codes_top + mapped[keep]) << shift
    return base | (starts[keep] & mask), base | (ends[keep] & mask)


def cube_cells(db, *, coder_ids=None, wave_ids=None, code_ids=None,
               group_of: dict[int, int] | None = None) -> list[tuple]:
    """(participant_id, wave_id, code_id, passages, characters) per non-empty cell of
    the cube; participant_id is None for passages nobody is attributed to (a focus
    group's unmapped interviewer). With ``group_of`` (code id -> the code id it rolls up
    into, e.g. its category) cells are per group, passages merged across its codes."""
    from ..store import analysis as store

    transcripts = store.transcript_map(db)
    starts, ends, shift, codes_top = store.packed_codings(db, coder_ids=coder_ids,
                                                          wave_ids=wave_ids, code_ids=code_ids)
    if group_of is not None:
        starts, ends = regroup(starts, ends, shift, codes_top, group_of)
    cells: dict[tuple, list[int]] = {}
    for group, (n, chars) in count_arrays(starts, ends, shift).items():
        tid, kid = divmod(group, codes_top)
        pid, wid, _ = transcripts[tid]
        cell = cells.get((pid, wid, kid))
        if cell is None:
            cells[(pid, wid, kid)] = [n, chars]
        else:
            cell[0] += n
            cell[1] += chars
    mixed = []
    for t, k, s, e, p, w in store.mixed_codings(db, coder_ids=coder_ids, wave_ids=wave_ids,
                                                code_ids=code_ids):
        if group_of is not None:
            k = group_of.get(k)
            if k is None:
                continue
        mixed.append({"transcript": t, "code": k, "start": s, "end": e, "pid": p, "wave": w})
    for members in merge(mixed, key=itemgetter("transcript", "code")):
        first = members[0]
        cell = cells.setdefault((first["pid"], first["wave"], first["code"]), [0, 0])
        cell[0] += 1
        cell[1] += max(r["end"] for r in members) - first["start"]
    return [(*key, n, chars) for key, (n, chars) in cells.items()]


def code_counts(db, *, coder_ids=None) -> dict[int, dict]:
    """Passages of every live code, by wave label ("-": no wave): ``own`` counts the
    code's own codings, ``inclusive`` the code and everything under it, merged across
    those codes (a passage coded with two sub-codes counts once for their category).
    ``{code_id: {"own": {wave: n}, "inclusive": {wave: n}}}``."""
    from ..store import analysis as store
    from ..store import study as store_study

    codes = {c["id"]: c for c in store.all_codes(db)}
    ancestors: dict[int, list[int]] = {}
    for code_id in codes:
        chain, current, seen = [code_id], codes[code_id]["parent_id"], {code_id}
        while current in codes and current not in seen:
            chain.append(current)
            seen.add(current)
            current = codes[current]["parent_id"]
        ancestors[code_id] = chain
    waves = store_study.wave_labels(db)
    wave_of = {t: waves.get(w, "-") if w is not None else "-" for t, (_, w, _) in store.transcript_map(db).items()}
    import numpy as np

    starts, ends, shift, codes_top = store.packed_codings(db, coder_ids=coder_ids, skip_mixed=False)
    own = count_arrays(starts, ends, shift)
    # Each coding once more for every ancestor of its code, merged across the codes.
    depth = max((len(chain) for chain in ancestors.values()), default=1)
    parts_s, parts_e = [starts], [ends]
    for level in range(1, depth):
        group_of = {k: chain[level] for k, chain in ancestors.items() if len(chain) > level}
        s_, e_ = regroup(starts, ends, shift, codes_top, group_of)
        parts_s.append(s_)
        parts_e.append(e_)
    inclusive = count_arrays(np.concatenate(parts_s), np.concatenate(parts_e), shift)
    result: dict[int, dict[str, dict[str, int]]] = {k: {"own": {}, "inclusive": {}} for k in codes}
    for kind, counts in (("own", own), ("inclusive", inclusive)):
        for group, (n, _) in counts.items():
            tid, kid = divmod(group, codes_top)
            if kid in result:
                by_wave = result[kid][kind]
                by_wave[wave_of[tid]] = by_wave.get(wave_of[tid], 0) + n
    return result


def passage_rows(db, *, coder_ids=None, wave_ids=None, code_ids=None) -> list[tuple]:
    """Every passage as ``(transcript_id, code_id, None, start, end)``, each
    transcript's together in start order: the rows co-occurrence sweeps (all
    transcripts, mixed ones too: passages are per transcript and code)."""
    import numpy as np

    from ..store import analysis as store

    starts, ends, shift, codes_top = store.packed_codings(
        db, coder_ids=coder_ids, wave_ids=wave_ids, code_ids=code_ids, skip_mixed=False)
    if not len(starts):
        return []
    p_starts, p_ends, _, _ = merge_arrays(starts, ends)
    mask = (1 << shift) - 1
    tid, code = np.divmod(p_starts >> shift, codes_top)
    start, end = p_starts & mask, p_ends & mask
    order = np.lexsort((end, start, tid))
    columns = (tid[order].tolist(), code[order].tolist(), start[order].tolist(), end[order].tolist())
    return [(t, k, None, s, e) for t, k, s, e in zip(*columns)]
