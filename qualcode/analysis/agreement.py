"""Inter-coder agreement: pure functions over codings, no SQL, no I/O.

Everything here works on plain tuples ``(transcript, code, coder, start, end)`` whose
``transcript``, ``code`` and ``coder`` are any hashable keys (the service passes database
ids and turns them into names afterwards). Offsets are code points, ``end`` exclusive.

Which transcripts count
    A coder *has coded* a transcript when they applied any code to it (any code of the
    codebook, not only the codes being compared). A transcript enters the comparison when
    at least two of the chosen coders have coded it. Within such a transcript, a chosen
    coder who has not coded it contributes a *missing value* (``None``) for every unit of
    it: Krippendorff's alpha allows missing values; Cohen's kappa (two coders) never
    meets one, because with two coders both must have coded a transcript for it to count.

Units and values (``unit=``)
    ``char``: every character of every compared transcript is a unit, once per code. A
        coder's value for (character, code) is 1 if one of the coder's codings of that
        code covers the character, else 0. Counting is done by sweeping over the coding
        boundaries of one transcript and code: between two consecutive boundaries every
        character has the same values, so that *elementary interval* is counted once with
        a weight equal to its length. No list with one entry per character is ever built;
        the results equal a per-character count exactly (the tests check this).
    ``turn``: every turn (speaker turn, of non-zero length) of the compared transcripts is
        a unit, once per code; a coder's value is 1 if any coding of that code by that
        coder overlaps the turn by at least one character, else 0. Each turn weighs 1.
    ``segment``: the units are the codings themselves. For each code, transcript and pair
        of coders, a coding of one coder *matches* a coding of the other when they overlap
        by at least ``min_overlap`` of the longer one's length. Matching is one-to-one,
        greedy by the largest overlap share (ties: earlier start first). A matched pair is
        one agreement; every unmatched coding is one disagreement. With three or more
        coders every pair of coders is compared and the counts are summed.

Measures, per code and overall
    ``percent_agreement``: the weighted share of units (with at least two values) in which
        all the coders' values are equal, times 100. For ``segment``: matches / (matches +
        unmatched codings) times 100.
    ``kappa`` (Cohen, exactly two coders): ``(po - pe) / (1 - pe)`` with ``po`` the observed
        share of agreeing units and ``pe = sum over values v of pA(v) * pB(v)``, where
        ``pA(v)`` is the share of units coder A gave value v (each coder's own marginal
        distribution, not a pooled one: that is Cohen's definition; the pooled one is
        Scott's pi).
    ``alpha`` (Krippendorff, nominal, two or more coders, missing values allowed):
        ``1 - Do / De`` computed through the coincidence matrix. A unit with ``m >= 2``
        values adds, for every ordered pair of values (c, k) from different coders,
        ``weight / (m - 1)`` to ``o[c][k]``; units with fewer than two values are left out.
        With ``n_c = sum_k o[c][k]`` and ``n = sum_c n_c``:
        ``alpha = 1 - (n - 1) * sum_{c != k} o[c][k] / sum_{c != k} n_c * n_k``.
        A character weighs 1 (an elementary interval weighs its length), so ``n`` counts
        characters, exactly as if every character had been listed.
    *Overall* pools the codes: every (unit, code) pair is one unit, i.e. the 2x2 tables
    (or coincidence matrices) of the codes are summed, and the measures are computed once
    on the sum. It is not the mean of the per-code values.
    A measure that is undefined is ``None``: kappa when ``pe = 1`` (both coders gave one
    and the same value to every unit, e.g. neither used the code), alpha when ``De = 0``
    (only one value occurs at all). For ``segment`` units kappa and alpha are ``None``:
    there is no unit that both coders left uncoded, so chance agreement has no meaning
    there; use ``char`` or ``turn`` units for chance-corrected figures.

Which codes are reported: the codes the caller asks for (``codes=``), else every code
that at least one chosen coder applied in a compared transcript.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

UNITS = ("char", "segment", "turn")
Coding = tuple  # (transcript, code, coder, start, end)
State = tuple  # one value per coder: 1, 0, or None (missing)

SEGMENT_NOTE = ("kappa and alpha are not defined for segment units (no unit is left "
                "uncoded by both coders); use --unit char or turn")


# --- the measures, on weighted unit tables ------------------------------------------

def coincidence_matrix(counts: Mapping[State, float]) -> dict[tuple, float]:
    """Krippendorff's coincidence matrix ``{(c, k): o_ck}`` from ``{values: weight}``,
    where ``values`` holds one value per coder (``None`` = missing)."""
    matrix: dict[tuple, float] = defaultdict(float)
    for values, weight in counts.items():
        present = [v for v in values if v is not None]
        m = len(present)
        if m < 2 or not weight:
            continue
        share = weight / (m - 1)
        for i, c in enumerate(present):
            for j, k in enumerate(present):
                if i != j:
                    matrix[(c, k)] += share
    return dict(matrix)


def alpha_from_counts(counts: Mapping[State, float]) -> float | None:
    """Krippendorff's alpha (nominal) of a weighted unit table ``{values: weight}``."""
    matrix = coincidence_matrix(counts)
    n_c: dict = defaultdict(float)
    for (c, _k), o in matrix.items():
        n_c[c] += o
    n = sum(n_c.values())
    observed = sum(o for (c, k), o in matrix.items() if c != k)
    expected = n * n - sum(v * v for v in n_c.values())  # sum over c != k of n_c * n_k
    if n <= 1 or expected <= 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha (nominal) of a reliability table: one row per coder, one
    column per unit, ``None`` for a missing value."""
    if not data:
        return None
    width = len(data[0])
    if any(len(row) != width for row in data):
        raise ValueError("every coder's row must have one value per unit")
    return alpha_from_counts(Counter(tuple(row[u] for row in data) for u in range(width)))


def kappa_from_counts(counts: Mapping[State, float]) -> float | None:
    """Cohen's kappa of a weighted two-coder table ``{(a, b): weight}``; units where
    either value is missing are left out."""
    total = 0.0
    agree = 0.0
    first: dict = defaultdict(float)
    second: dict = defaultdict(float)
    for values, weight in counts.items():
        if len(values) != 2:
            raise ValueError("Cohen's kappa compares exactly two coders")
        a, b = values
        if a is None or b is None or not weight:
            continue
        total += weight
        first[a] += weight
        second[b] += weight
        if a == b:
            agree += weight
    if total <= 0:
        return None
    po = agree / total
    pe = sum((first[v] / total) * (second.get(v, 0.0) / total) for v in first)
    if pe >= 1.0:
        return None
    return (po - pe) / (1.0 - pe)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' values for the same units."""
    if len(a) != len(b):
        raise ValueError("both coders need one value per unit")
    return kappa_from_counts(Counter(zip(a, b)))


def percent_from_counts(counts: Mapping[State, float]) -> tuple[float, float]:
    """(pairable weight, agreeing weight): units with at least two values, and those
    among them where all values are equal."""
    units = agree = 0.0
    for values, weight in counts.items():
        present = [v for v in values if v is not None]
        if len(present) < 2:
            continue
        units += weight
        if all(v == present[0] for v in present):
            agree += weight
    return units, agree


def summarize(counts: Mapping[State, float], n_coders: int) -> dict:
    """Percent agreement, kappa (two coders) and alpha of one weighted unit table."""
    units, agree = percent_from_counts(counts)
    result: dict[str, object] = {
        "units": units,
        "agreed": agree,
        "percent_agreement": 100.0 * agree / units if units else None,
        "kappa": kappa_from_counts(counts) if n_coders == 2 else None,
        "alpha": alpha_from_counts(counts),
    }
    if n_coders == 2:
        result["table"] = {
            "both": counts.get((1, 1), 0), "only_first": counts.get((1, 0), 0),
            "only_second": counts.get((0, 1), 0), "neither": counts.get((0, 0), 0),
        }
    return result


# --- preparing the codings ------------------------------------------------------------

@dataclass
class Prepared:
    """Codings grouped by transcript and code, and which coders coded each transcript."""

    coders: list
    transcripts: list  # compared transcripts, in the order given
    present: dict  # transcript -> tuple of bools, one per coder
    groups: dict = field(default_factory=dict)  # (transcript, code) -> [(i, start, end)]
    codes: list = field(default_factory=list)


def prepare(codings: Iterable[Coding], coders: Sequence, coded_by: Mapping[Hashable, Iterable],
            lengths: Mapping[Hashable, int], codes: Sequence | None = None) -> Prepared:
    """Group ``codings`` for the comparison.

    ``coded_by`` maps each transcript to the coders who applied any code to it;
    ``lengths`` maps each transcript to its length (offsets are clipped to it).
    """
    coders = list(coders)
    index = {c: i for i, c in enumerate(coders)}
    present = {}
    for transcript in lengths:
        who = set(coded_by.get(transcript, ()))
        flags = tuple(c in who for c in coders)
        if sum(flags) >= 2:
            present[transcript] = flags
    prepared = Prepared(coders, [t for t in lengths if t in present], present)
    seen: dict = {}
    wanted = set(codes) if codes is not None else None
    for transcript, code, coder, start, end in codings:
        if transcript not in present or coder not in index:
            continue
        if wanted is not None and code not in wanted:
            continue
        i = index[coder]
        if not present[transcript][i]:
            continue
        length = lengths[transcript]
        start, end = max(0, min(start, length)), max(0, min(end, length))
        if end <= start:
            continue
        seen.setdefault(code, None)
        prepared.groups.setdefault((transcript, code), []).append((i, start, end))
    prepared.codes = list(codes) if codes is not None else list(seen)
    return prepared


def _zero_state(flags: Sequence[bool]) -> State:
    return tuple(0 if f else None for f in flags)


# --- char units: the sweep --------------------------------------------------------------

def sweep(spans: Sequence[tuple[int, int, int]], length: int, flags: Sequence[bool]):
    """Yield ``(start, end, values)`` elementary intervals covering ``[0, length)``.

    ``spans`` are ``(coder index, start, end)``; a coder's own overlapping codings are
    fine (a depth count per coder). ``flags`` says which coders have coded the transcript
    (the others are missing, ``None``)."""
    events = []
    for i, start, end in spans:
        events.append((start, 1, i))
        events.append((end, -1, i))
    events.sort()
    depth = [0] * len(flags)
    state = list(_zero_state(flags))
    previous = 0
    for position, delta, i in events:
        if position > previous:
            yield previous, position, tuple(state)
            previous = position
        depth[i] += delta
        state[i] = 1 if depth[i] > 0 else 0
    if length > previous:
        yield previous, length, tuple(state)


def char_tables(prepared: Prepared, lengths: Mapping[Hashable, int]) -> dict:
    """``{code: {values: characters}}`` for every reported code."""
    base: Counter = Counter()
    for transcript in prepared.transcripts:
        base[_zero_state(prepared.present[transcript])] += lengths[transcript]
    tables = {code: Counter(base) for code in prepared.codes}
    for (transcript, code), spans in prepared.groups.items():
        table = tables[code]
        flags = prepared.present[transcript]
        table[_zero_state(flags)] -= lengths[transcript]
        for start, end, state in sweep(spans, lengths[transcript], flags):
            table[state] += end - start
    return {code: +table for code, table in tables.items()}


def char_disagreements(prepared: Prepared, lengths: Mapping[Hashable, int]) -> list[dict]:
    """Maximal stretches of one transcript and code where the coders' values differ
    (split where the pattern of who coded changes)."""
    rows = []
    for (transcript, code), spans in prepared.groups.items():
        current = None
        for start, end, state in sweep(spans, lengths[transcript], prepared.present[transcript]):
            if _agrees(state):
                current = None
                continue
            if current and current["values"] == state and current["end"] == start:
                current["end"] = end
                continue
            current = {"transcript": transcript, "code": code, "start": start, "end": end,
                       "values": state}
            rows.append(current)
    return [_who(row, prepared.coders) for row in rows]


def _agrees(state: State) -> bool:
    present = [v for v in state if v is not None]
    return len(present) < 2 or all(v == present[0] for v in present)


def _who(row: dict, coders: Sequence) -> dict:
    values = row.pop("values")
    row["coded_by"] = [c for c, v in zip(coders, values) if v == 1]
    row["not_coded_by"] = [c for c, v in zip(coders, values) if v == 0]
    return row


# --- turn units -----------------------------------------------------------------------

def _clean_turns(turns: Sequence[tuple]) -> tuple[list[tuple[int, int]], list[tuple]]:
    """Non-empty turns sorted by start; returns (bounds, original rows)."""
    rows = sorted((t for t in turns if t[1] > t[0]), key=lambda t: (t[0], t[1]))
    return [(r[0], r[1]) for r in rows], rows


def _coded_turns(prepared: Prepared, turns: Mapping[Hashable, Sequence[tuple]]):
    """Yield (transcript, code, {turn index: values}, number of turns, rows)."""
    cache: dict = {}
    for (transcript, code), spans in prepared.groups.items():
        if transcript not in cache:
            bounds, rows = _clean_turns(turns.get(transcript, ()))
            monotone = all(bounds[k][1] <= bounds[k + 1][0] for k in range(len(bounds) - 1))
            cache[transcript] = (bounds, rows, monotone,
                                 [b[0] for b in bounds], [b[1] for b in bounds])
        bounds, rows, monotone, starts, ends = cache[transcript]
        flags = prepared.present[transcript]
        marks: dict[int, list] = {}
        for i, start, end in spans:
            hits: Iterable[int]
            if monotone:
                hits = range(bisect.bisect_right(ends, start), bisect.bisect_left(starts, end))
            else:
                hits = [k for k, (s, e) in enumerate(bounds) if s < end and e > start]
            for k in hits:
                marks.setdefault(k, list(_zero_state(flags)))[i] = 1
        yield transcript, code, {k: tuple(v) for k, v in marks.items()}, len(bounds), rows


def turn_tables(prepared: Prepared, turns: Mapping[Hashable, Sequence[tuple]]) -> dict:
    """``{code: {values: turns}}``; ``turns`` maps a transcript to ``(start, end, ...)``
    rows (extra fields are kept for the disagreement listing)."""
    base: Counter = Counter()
    counts = {}
    for transcript in prepared.transcripts:
        n = len([t for t in turns.get(transcript, ()) if t[1] > t[0]])
        counts[transcript] = n
        base[_zero_state(prepared.present[transcript])] += n
    tables = {code: Counter(base) for code in prepared.codes}
    for transcript, code, marks, _n, _rows in _coded_turns(prepared, turns):
        table = tables[code]
        table[_zero_state(prepared.present[transcript])] -= len(marks)
        for state in marks.values():
            table[state] += 1
    return {code: +table for code, table in tables.items()}


def turn_disagreements(prepared: Prepared, turns: Mapping[Hashable, Sequence[tuple]]) -> list[dict]:
    rows = []
    for transcript, code, marks, _n, turn_rows in _coded_turns(prepared, turns):
        for k in sorted(marks):
            if _agrees(marks[k]):
                continue
            turn = turn_rows[k]
            row = {"transcript": transcript, "code": code, "start": turn[0], "end": turn[1],
                   "values": marks[k]}
            if len(turn) > 2:
                row["turn"] = turn[2]
            rows.append(_who(row, prepared.coders))
    return rows


# --- segment units ----------------------------------------------------------------------

def overlap_share(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two spans as a share of the longer one's length."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    longer = max(a[1] - a[0], b[1] - b[0])
    return overlap / longer if overlap > 0 and longer > 0 else 0.0


def match_segments(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]],
                   min_overlap: float) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """One-to-one matches between two coders' spans of one code in one transcript.

    Returns (matched index pairs, unmatched indices of ``first``, of ``second``). A pair
    can match when its :func:`overlap_share` is at least ``min_overlap`` (and positive);
    pairs are taken greedily, largest share first, then earliest starts."""
    order = sorted(range(len(second)), key=lambda j: second[j][0])
    starts = [second[j][0] for j in order]
    candidates = []
    for i, a in enumerate(first):
        for j in order[:bisect.bisect_left(starts, a[1])]:
            share = overlap_share(a, second[j])
            if share > 0 and share >= min_overlap:
                candidates.append((-share, a[0], second[j][0], i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = []
    for _share, _sa, _sb, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched.append((i, j))
    return (sorted(matched), [i for i in range(len(first)) if i not in used_a],
            [j for j in range(len(second)) if j not in used_b])


def _segment_pairs(prepared: Prepared, min_overlap: float):
    """Yield (transcript, code, coder i, coder j, spans i, spans j, match result)."""
    m = len(prepared.coders)
    for (transcript, code), spans in prepared.groups.items():
        flags = prepared.present[transcript]
        by_coder: dict[int, list] = defaultdict(list)
        for i, start, end in spans:
            by_coder[i].append((start, end))
        for i in range(m):
            for j in range(i + 1, m):
                if not (flags[i] and flags[j]) or not (by_coder[i] or by_coder[j]):
                    continue
                a, b = sorted(set(by_coder[i])), sorted(set(by_coder[j]))
                yield transcript, code, i, j, a, b, match_segments(a, b, min_overlap)


def segment_tables(prepared: Prepared, min_overlap: float) -> dict:
    """``{code: {(1, 1): matches, (1, 0): unmatched of the first coder of a pair,
    (0, 1): unmatched of the second}}``, summed over coder pairs."""
    tables: dict[Hashable, Counter[tuple[int, int]]] = {code: Counter() for code in prepared.codes}
    for _t, code, _i, _j, _a, _b, (matched, only_a, only_b) in _segment_pairs(prepared, min_overlap):
        table = tables[code]
        table[(1, 1)] += len(matched)
        table[(1, 0)] += len(only_a)
        table[(0, 1)] += len(only_b)
    return {code: +table for code, table in tables.items()}


def segment_disagreements(prepared: Prepared, min_overlap: float) -> list[dict]:
    rows = []
    coders = prepared.coders
    for transcript, code, i, j, a, b, (_m, only_a, only_b) in _segment_pairs(prepared, min_overlap):
        for mine, theirs, unmatched, who, other in ((a, b, only_a, i, j), (b, a, only_b, j, i)):
            for k in unmatched:
                span = mine[k]
                best = max((overlap_share(span, s) for s in theirs), default=0.0)
                rows.append({"transcript": transcript, "code": code, "start": span[0],
                             "end": span[1], "coded_by": [coders[who]],
                             "not_coded_by": [coders[other]], "best_overlap": best})
    return rows


def summarize_segments(table: Mapping[State, float]) -> dict:
    matched = table.get((1, 1), 0)
    unmatched = table.get((1, 0), 0) + table.get((0, 1), 0)
    units = matched + unmatched
    return {
        "units": units,
        "agreed": matched,
        "percent_agreement": 100.0 * matched / units if units else None,
        "kappa": None,
        "alpha": None,
        "table": {"matched": matched, "only_first": table.get((1, 0), 0),
                  "only_second": table.get((0, 1), 0)},
    }


# --- the whole comparison -------------------------------------------------------------

def check_request(coders: Sequence, unit: str, min_overlap: float) -> None:
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    if len(set(coders)) != len(coders):
        raise ValueError("a coder is named twice")
    if len(coders) < 2:
        raise ValueError("agreement needs at least two coders")
    if not 0.0 <= min_overlap <= 1.0:
        raise ValueError("min_overlap must be between 0 and 1")


def agreement(codings: Iterable[Coding], coders: Sequence, coded_by: Mapping, lengths: Mapping,
              *, unit: str = "char", turns: Mapping | None = None, min_overlap: float = 0.8,
              codes: Sequence | None = None) -> dict:
    """Agreement per code and overall (see the module docstring for the definitions).

    Returns ``{"unit", "coders", "transcripts": [...], "codes": {code: summary},
    "overall": summary}``; a summary has ``units``, ``agreed``, ``percent_agreement``,
    ``kappa``, ``alpha`` and, for two coders, ``table``."""
    check_request(coders, unit, min_overlap)
    prepared = prepare(codings, coders, coded_by, lengths, codes)
    if unit == "char":
        tables = char_tables(prepared, lengths)
    elif unit == "turn":
        tables = turn_tables(prepared, turns or {})
    else:
        tables = segment_tables(prepared, min_overlap)
    pooled: Counter = Counter()
    for table in tables.values():
        pooled.update(table)
    if unit == "segment":
        per_code = {code: summarize_segments(t) for code, t in tables.items()}
        overall = summarize_segments(pooled)
    else:
        per_code = {code: summarize(t, len(coders)) for code, t in tables.items()}
        overall = summarize(pooled, len(coders))
    return {"unit": unit, "coders": list(coders), "transcripts": prepared.transcripts,
            "codes": per_code, "overall": overall}


def disagreements(codings: Iterable[Coding], coders: Sequence, coded_by: Mapping, lengths: Mapping,
                  *, unit: str = "char", turns: Mapping | None = None, min_overlap: float = 0.8,
                  codes: Sequence | None = None) -> list[dict]:
    """Where the coders differ: rows with ``transcript``, ``code``, ``start``, ``end``,
    ``coded_by`` and ``not_coded_by`` (and ``turn`` or ``best_overlap``), sorted."""
    check_request(coders, unit, min_overlap)
    prepared = prepare(codings, coders, coded_by, lengths, codes)
    if unit == "char":
        rows = char_disagreements(prepared, lengths)
    elif unit == "turn":
        rows = turn_disagreements(prepared, turns or {})
    else:
        rows = segment_disagreements(prepared, min_overlap)
    position = {t: k for k, t in enumerate(prepared.transcripts)}
    rows.sort(key=lambda r: (position[r["transcript"]], r["start"], r["end"], str(r["code"])))
    return rows
