"""Code co-occurrence: counts, Jaccard and ATLAS.ti's c-coefficient, and networks.

Everything is counted in coded passages (:mod:`qualcode.analysis.passages`): codings of
one code that overlap in a transcript (two coders on one passage) are one passage.

Scopes (what "together" means) and the unit each counts
    ``overlap``     a passage of a and a passage of b in one transcript share at least
                    one character. n12 = number of such (passage, passage) pairs; n1, n2
                    = passages of a and of b.
    ``turn``        both codes have a coding starting in the same turn. n12 = turns
                    with both; n1, n2 = turns with a, with b.
    ``transcript``  both codes occur in the same transcript. n12 = transcripts with
                    both; n1, n2 = transcripts with a, with b.

Measures
    ``count``    n12.
    ``jaccard``  shared units / units with either code. Units are coded characters for
                 ``overlap`` (|A and B| / |A or B| over each code's passages), turns for
                 ``turn`` and transcripts for ``transcript``.
    ``c``        ATLAS.ti's c-coefficient c = n12 / (n1 + n2 - n12), n1, n2 and n12 in
                 the same unit (above): in the turn and transcript scopes it equals
                 Jaccard over turns or transcripts. In the overlap scope one long
                 passage can meet several passages of the other code, so n12 can exceed
                 the smaller count; c is then capped at 1. Pairs where one code is more
                 than five times as frequent as the other (n1 / n2 > 5) are flagged
                 (``freq_ratio_flag``), as that distorts c.

Same-code pairs never count. A coding belongs to the turn where it starts. Node sizes
(``freq``) are passages in every scope. The overlap scope is one query and sorted sweeps
over each transcript's codings; the turn and transcript scopes are counted in numpy
(:mod:`qualcode.analysis.unit_counts`) unless a participant filter needs the rows.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, groupby, repeat
from operator import itemgetter, mod, sub
from types import MappingProxyType

from ..errors import QualcodeError
from ..records.analysis import CooccurrenceEdge, CooccurrencePair, NetworkCode
from ..store import analysis as store
from ..store import study as store_study
from .cube import tree_order

SCOPES = ("overlap", "turn", "transcript")
MEASURES = ("count", "jaccard", "c")
FREQ_RATIO = 5.0


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    """The counts of one co-occurrence network, read-only: ``freq`` (code id -> coded
    passages), ``units`` (code id -> characters, turns or transcripts with the code),
    ``pairs`` ((a, b), a < b -> (n12, shared units)), ``codes`` (code id -> how the
    network shows it) and ``label`` (the waves, or the group, it counts).

    In the overlap scope the characters behind Jaccard cost a second sweep, so a result
    is made without them (``units`` None, the passages kept to count them); every
    measure then comes from :meth:`with_units`, a copy with them counted. The edges
    make that copy themselves: call it once first to read several things of one
    result."""

    scope: str
    freq: Mapping[int, int]
    units: Mapping[int, int] | None
    pairs: Mapping[tuple[int, int], tuple[int, int]]
    codes: Mapping[int, NetworkCode] = field(default_factory=dict)
    label: str | None = None
    #: Overlap scope without its characters counted: the passages to count them from.
    passages: Sequence[tuple] | None = field(default=None, repr=False, compare=False,
                                             metadata={"json": False})

    @classmethod
    def made(cls, scope: str, freq: dict, units: dict | None, pairs: dict, codes=None,
             label: str | None = None, passages: Sequence[tuple] | None = None) -> Cooccurrence:
        """A result from the counting functions' dicts (pairs' values as [n12, shared]),
        wrapped so that nobody can change them."""
        return cls(scope, MappingProxyType(freq),
                   None if units is None else MappingProxyType(units),
                   MappingProxyType({k: (v[0], v[1]) for k, v in pairs.items()}),
                   MappingProxyType(codes or {}), label, passages)

    def with_units(self) -> Cooccurrence:
        """This result with its units counted (in the overlap scope, the characters);
        itself when they are."""
        if self.units is not None:
            return self
        units, shared = shared_chars(self.passages or [])
        pairs = dict(self.pairs)
        get = pairs.get
        for key, value in shared.items():
            pairs[key] = (get(key, (0, 0))[0], value)
        return Cooccurrence(self.scope, self.freq, MappingProxyType(units),
                            MappingProxyType(pairs), self.codes, self.label)

    def n(self, code: int) -> int:
        """The count of ``code`` in the unit n12 counts: passages in the overlap scope,
        turns or transcripts with the code in the others (c = n12 / (n1 + n2 - n12)
        then compares like with like)."""
        if self.scope == "overlap":
            return self.freq.get(code, 0)
        units = self.with_units().units
        assert units is not None
        return units.get(code, 0)

    def edge(self, a: int, b: int, measure: str = "count") -> CooccurrenceEdge:
        """The measures of codes ``a`` and ``b`` (in either order), weighted by ``measure``."""
        full = self.with_units()
        key = (a, b) if a < b else (b, a)
        return full._edge(key, full.pairs.get(key, (0, 0)), measure)

    def _edge(self, key: tuple[int, int], counts: tuple[int, int], measure: str) -> CooccurrenceEdge:
        units = self.units
        assert units is not None
        a, b = key
        n12, shared = counts
        n1, n2 = self.n(a), self.n(b)
        either = units.get(a, 0) + units.get(b, 0) - shared
        denominator = n1 + n2 - n12
        c = min(1.0, n12 / denominator) if denominator > 0 else (1.0 if n12 else 0.0)
        jaccard = shared / either if either > 0 else 0.0
        low, high = min(n1, n2), max(n1, n2)
        weight = n12 if measure == "count" else jaccard if measure == "jaccard" else c
        return CooccurrenceEdge(a, b, weight, n12, jaccard, c, bool(low and high > FREQ_RATIO * low))

    def edges(self, measure: str = "count", minimum: float = 0) -> list[CooccurrenceEdge]:
        """The pairs that co-occur with ``measure`` at least ``minimum``, in code id order
        (each as :meth:`edge` gives it; written out here, as a network may have a million
        pairs)."""
        if measure not in MEASURES:
            raise QualcodeError(f"measure {measure!r} is not one of {', '.join(MEASURES)}")
        full = self.with_units()
        assert full.units is not None
        unit_of = full.units.get
        n_of = full.freq.get if full.scope == "overlap" else unit_of
        pairs = full.pairs
        index = MEASURES.index(measure)
        result: list[CooccurrenceEdge] = []
        append = result.append
        for key in sorted(pairs):
            n12, shared = pairs[key]
            if n12 <= 0:
                continue
            a, b = key
            n1, n2 = n_of(a, 0), n_of(b, 0)
            either = unit_of(a, 0) + unit_of(b, 0) - shared
            denominator = n1 + n2 - n12
            c = min(1.0, n12 / denominator) if denominator > 0 else 1.0
            jaccard = shared / either if either > 0 else 0.0
            weight = (n12, jaccard, c)[index]
            if weight >= minimum:
                low, high = (n1, n2) if n1 < n2 else (n2, n1)
                append(CooccurrenceEdge(a, b, weight, n12, jaccard, c,
                                        bool(low and high > FREQ_RATIO * low)))
        return result

    def name(self, code: int) -> str:
        """The code's name (its id as text when the network does not know it)."""
        found = self.codes.get(code)
        return found.name if found is not None else str(code)


def _overlap_keys(chunk: list, K: int) -> list[int]:
    """One transcript's rows ordered by start: ``a * K + b`` for every ordered pair of
    overlapping rows (codes a, b; a == b included). Row j overlaps an earlier row i
    exactly when s_i <= s_j < e_i, so the rows overlapping i are the run after it whose
    starts are below e_i (found by bisection, in C); only rows with at least one such
    follower are visited in Python."""
    m = len(chunk)
    starts = list(map(itemgetter(3), chunk))
    codes = list(map(itemgetter(1), chunk))
    his = list(map(bisect_left, repeat(starts), map(itemgetter(4), chunk)))
    keys: list[int] = []
    extend = keys.extend
    for x in compress(range(m), map(sub, his, range(1, m + 1))):
        base = codes[x] * K
        extend([base + o for o in codes[x + 1:his[x]]])
    return keys


def merge_chunk(chunk: list) -> list[tuple]:
    """The passages of one transcript's rows (ordered by start): a row that starts
    before the end of the current passage of its code joins it. Passages come in start
    order, as ``(transcript, code, coder of the first, start, end)``."""
    current: dict[int, list] = {}
    out: list[list] = []
    for row in chunk:
        code, start, end = row[1], row[3], row[4]
        passage = current.get(code)
        if passage is not None and start < passage[4]:
            if end > passage[4]:
                passage[4] = end
        else:
            passage = [row[0], code, row[2], start, end]
            current[code] = passage
            out.append(passage)
    return [tuple(p) for p in out]


def count_overlap(rows, *, chars: bool = True) -> tuple[dict, dict | None, dict, list]:
    """rows: (transcript_id, code_id, coder_id, start, end, ...), each transcript's rows
    together and ordered by start. Counts are of passages
    (:mod:`qualcode.analysis.passages`): a transcript where two codings of one code
    overlap (two coders on one passage) has its codings merged first
    (:func:`merge_chunk`); elsewhere a coding is a passage already.

    Returns (passages per code, coded characters per code or None, {(a, b): [n12,
    shared characters]}, the passages as rows). n12 counts pairs of overlapping
    passages of a and b. With ``chars`` also the characters (:func:`shared_chars`)."""
    if not rows:
        return {}, ({} if chars else None), {}, []
    # A pair (a, b) is counted as the int a * K + b while sweeping (ints hash faster
    # than tuples), in both orders; a * K + a (one code meeting itself) is the sign
    # that the transcript's codings must be merged into passages.
    K = max(map(itemgetter(1), rows)) + 1
    same = K + 1  # a * K + b is a multiple of K + 1 exactly when a == b
    directed: Counter = Counter()
    merged: list = []
    for _, group in groupby(rows, itemgetter(0)):
        chunk = list(group)
        keys = _overlap_keys(chunk, K)
        if keys and 0 in map(mod, keys, repeat(same)):
            chunk = merge_chunk(chunk)
            keys = _overlap_keys(chunk, K)
        directed.update(keys)   # counted in C
        merged += chunk
    freq = Counter(map(itemgetter(1), merged))
    pairs: dict[tuple[int, int], list[int]] = {}
    for key, count in directed.items():
        a, b = divmod(key, K)
        pair = (a, b) if a < b else (b, a)
        entry = pairs.get(pair)
        if entry is None:
            pairs[pair] = [count, 0]
        else:
            entry[0] += count
    units = None
    if chars:
        units, shared = shared_chars(merged)
        for key, value in shared.items():
            pairs.setdefault(key, [0, 0])[1] = value
    return dict(freq), units, pairs, merged


def shared_chars(passages) -> tuple[dict, dict]:
    """Characters coded with each code and characters shared by each pair of codes,
    from passages (one transcript's together, in start order; one code's passages never
    overlap, so the sum of the pairwise intersections is the size of the intersection
    of the codes' coverage)."""
    chars: Counter = Counter()
    shared: Counter = Counter()
    for row in passages:
        chars[row[1]] += row[4] - row[3]
    for _, group in groupby(passages, itemgetter(0)):
        chunk = list(group)
        m = len(chunk)
        starts = list(map(itemgetter(3), chunk))
        his = list(map(bisect_left, repeat(starts), map(itemgetter(4), chunk)))
        for x in compress(range(m), map(sub, his, range(1, m + 1))):
            _, kx, _, _, ex = chunk[x][:5]
            for row in chunk[x + 1:his[x]]:
                ky, sy, ey = row[1], row[3], row[4]
                shared[(kx, ky) if kx < ky else (ky, kx)] += (ey if ey < ex else ex) - sy
    return dict(chars), dict(shared)


def count_units(rows, unit_index: int) -> tuple[dict, dict, dict]:
    """Co-occurrence within units (turns: index 5; transcripts: index 0): passages per
    code, units with each code, and per pair [units with both, units with both]."""
    freq: Counter[int] = Counter()
    for _, group in groupby(rows, itemgetter(0)):
        freq.update(map(itemgetter(1), merge_chunk(list(group))))
    members: dict[object, set[int]] = defaultdict(set)
    for row in rows:
        unit = row[unit_index]
        if unit is None:
            continue
        members[unit].add(row[1])
    units: dict[int, int] = defaultdict(int)
    pairs: dict[tuple[int, int], list[int]] = {}
    for codes in members.values():
        ordered = sorted(codes)
        for i, a in enumerate(ordered):
            units[a] += 1
            for b in ordered[i + 1:]:
                entry = pairs.get((a, b))
                if entry is None:
                    pairs[(a, b)] = [1, 1]
                else:
                    entry[0] += 1
                    entry[1] += 1
    return dict(freq), dict(units), pairs


def compute(rows, scope: str, codes: dict[int, NetworkCode] | None = None,
            label: str | None = None) -> Cooccurrence:
    """Counts for one scope. In the overlap scope the characters behind Jaccard are
    counted on first use (they cost a second sweep)."""
    if scope == "overlap":
        freq, _units, pairs, merged = count_overlap(rows, chars=False)
        return Cooccurrence.made(scope, freq, None, pairs, codes, label, passages=merged)
    elif scope == "turn":
        freq, units, pairs = count_units(rows, 5)
    elif scope == "transcript":
        freq, units, pairs = count_units(rows, 0)
    else:
        raise QualcodeError(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    return Cooccurrence.made(scope, freq, units, pairs, codes, label)


def coding_filter(db, where: Sequence[str]):
    """A predicate on a coding row (transcript, code, coder, start, end, ...) from filters
    in the shared language (:mod:`qualcode.analysis.where`): the participant it belongs
    to (the speaker's in a focus group), the transcript's wave, its coder and transcript.
    ``speaker:`` is refused: a coding here belongs to a participant, not to a turn."""
    from .where import bind_where, parse_where

    wanted = parse_where(list(where))
    if "speaker" in wanted.fields():
        raise QualcodeError("co-occurrence cannot filter by speaker: (a coding counts for the "
                            "participant it belongs to, not for a turn)")
    parsed = bind_where(wanted, db)
    people = {p["id"]: p["pid"] for p in store_study.list_participants(db)}
    labels = {w["id"]: w["label"] for w in store_study.list_waves(db)}
    names = {t["id"]: t["name"] for t in store.transcripts_in_order(db)}
    coders = store.coder_names(db)
    transcripts = store.transcript_map(db)
    attribution = store.mixed_attribution(db)

    def keep(row) -> bool:
        pid, wave_id, _ = transcripts[row[0]]
        key = row[:5]
        if key in attribution:
            pid = attribution[key]
        return parsed.matches(people.get(pid), labels.get(wave_id), coder=coders.get(row[2], ""),
                              transcript=names.get(row[0], ""))

    return keep


def cooccurrence(db, *, scope: str = "overlap", waves=None, coders=None, category=None,
                 codes=None, where: Sequence[str] | None = None,
                 per_wave: bool = False) -> Cooccurrence | dict[str, Cooccurrence]:
    """Count co-occurrences with one query; ``per_wave`` gives one result per wave."""
    if scope not in SCOPES:
        raise QualcodeError(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    all_codes = {c["id"]: c for c in store.all_codes(db)}
    by_name = {c["name"]: c["id"] for c in all_codes.values()}
    code_ids = None
    if category or codes:
        code_ids = set()
        for name in ([category] if category else []) + list(codes or []):
            if name not in by_name:
                raise QualcodeError(f"no code named {name!r}")
        if category:
            children = defaultdict(list)
            for c in all_codes.values():
                children[c["parent_id"]].append(c["id"])
            stack = [by_name[category]]
            while stack:
                current = stack.pop()
                code_ids.add(current)
                stack.extend(children[current])
        code_ids.update(by_name[n] for n in codes or [])
    coder_ids = None
    if coders:
        coder_ids = store.coder_ids(db, coders)
        if not coder_ids:
            raise QualcodeError(f"no coder named {', '.join(coders)}")
    wave_rows = store_study.list_waves(db)
    wave_label = {w["id"]: w["label"] for w in wave_rows}
    wave_ids = None
    if waves:
        by_label = {w["label"]: w["id"] for w in wave_rows}
        for w in waves:
            if w not in by_label:
                raise QualcodeError(f"no wave labelled {w!r}")
        wave_ids = [by_label[w] for w in waves]
    wanted_codes = sorted(code_ids) if code_ids is not None else None
    if scope != "overlap" and not where:
        return _count_units_in_numpy(db, scope, _code_info(all_codes), coder_ids=coder_ids,
                                     code_ids=wanted_codes, wave_rows=wave_rows, wave_ids=wave_ids,
                                     label=",".join(waves) if waves else None, per_wave=per_wave)
    if scope == "overlap" and not where:
        # Passages merged in numpy straight from the index (see passages.passage_rows):
        # the sweep then meets no code overlapping itself.
        from .passages import passage_rows

        rows = passage_rows(db, coder_ids=coder_ids, wave_ids=wave_ids, code_ids=wanted_codes)
    else:
        rows = store.codings(db, coder_ids=coder_ids, wave_ids=wave_ids, code_ids=wanted_codes,
                             with_turn=scope == "turn")
    if where:
        keep = coding_filter(db, where)
        rows = [r for r in rows if keep(r)]
    info = _code_info(all_codes)
    if not per_wave:
        return compute(rows, scope, info, label=",".join(waves) if waves else None)
    wave_of = {tid: wid for tid, (_, wid, _) in store.transcript_map(db).items()}
    split: dict[int | None, list] = defaultdict(list)
    for r in rows:
        split[wave_of[r[0]]].append(r)
    return {wave_label[w["id"]]: compute(split.get(w["id"], []), scope, info, label=w["label"])
            for w in wave_rows if wave_ids is None or w["id"] in wave_ids}


def _count_units_in_numpy(db, scope: str, info: dict[int, NetworkCode], *, coder_ids, code_ids, wave_rows,
                          wave_ids, label: str | None, per_wave: bool,
                          ) -> Cooccurrence | dict[str, Cooccurrence]:
    """The turn and transcript scopes from two plain scans (see
    :mod:`qualcode.analysis.unit_counts`); the same counts as :func:`count_units`."""
    from .unit_counts import count_scope

    def counted(ids, label: str | None) -> Cooccurrence:
        freq, units, pairs = count_scope(db, scope, coder_ids=coder_ids, wave_ids=ids, code_ids=code_ids)
        return Cooccurrence.made(scope, freq, units, pairs, info, label)

    if not per_wave:
        return counted(wave_ids, label)
    return {w["label"]: counted([w["id"]], w["label"])
            for w in wave_rows if wave_ids is None or w["id"] in wave_ids}


def _code_info(codes: dict[int, dict]) -> dict[int, NetworkCode]:
    """Name, colour and category name of every code (colour inherited if unset). A
    category without a colour gets one of a colour-blind-safe palette, so pictures tell
    categories apart even when the codebook has no colours."""
    from ..export.colours import category_colours

    found: dict[int, tuple] = {}
    tops: dict[str, str | None] = {}
    for code_id in tree_order(codes):
        code = codes[code_id]
        parent = codes.get(code["parent_id"])
        category, colour, category_colour = None, code["colour"], None
        current = code
        while current["parent_id"] in codes:
            current = codes[current["parent_id"]]
            colour = colour or current["colour"]
            if category is None and current["is_category"]:
                category, category_colour = current["name"], current["colour"]
        if category is None:
            category, category_colour = current["name"], current["colour"]
        tops.setdefault(category, category_colour or colour)
        found[code_id] = (code["name"], parent["name"] if parent else None, colour, category,
                          category_colour or colour)
    palette = category_colours(list(tops), tops)
    return {code_id: NetworkCode(name=name, parent=parent, colour=colour or palette[category],
                                 category=category,
                                 category_colour=category_colour or palette[category])
            for code_id, (name, parent, colour, category, category_colour) in found.items()}


def to_graph(result: Cooccurrence, *, measure: str = "count", minimum: float = 0):
    """A networkx graph. Nodes: codes that occur (name, frequency, category, colour);
    edges: co-occurrences whose measure is at least ``minimum``, weighted by it."""
    import networkx as nx  # only when a network is wanted: it is slow to import

    wave = result.label or "all"
    graph = nx.Graph(scope=result.scope, measure=measure, wave=wave)
    unknown = NetworkCode(name="", parent=None, colour="#888888", category="",
                          category_colour="#888888")
    # Scope and wave on every node and edge too: Gephi drops graph-level attributes.
    for code_id in sorted(result.freq, key=result.name):
        info = result.codes.get(code_id, unknown)
        name = result.name(code_id)
        graph.add_node(name, label=name, frequency=result.freq[code_id],
                       category=info.category or "", colour=info.colour,
                       category_colour=info.category_colour or info.colour,
                       wave=wave, scope=result.scope)
    for edge in result.edges(measure, minimum):
        graph.add_edge(result.name(edge.source), result.name(edge.target), weight=float(edge.weight),
                       count=edge.count, jaccard=round(edge.jaccard, 6), c=round(edge.c, 6),
                       freq_ratio_flag=edge.freq_ratio_flag, wave=wave, scope=result.scope,
                       measure=measure)
    return graph


def table(result: Cooccurrence, *, measure: str = "count",
          minimum: float = 0) -> tuple[CooccurrencePair, ...]:
    """Edges as rows with code names, heaviest first, for printing."""
    rows = []
    for edge in result.edges(measure, minimum):
        rows.append(CooccurrencePair(
            code_a=result.name(edge.source), code_b=result.name(edge.target),
            n1=result.n(edge.source), n2=result.n(edge.target),
            count=edge.count, jaccard=round(edge.jaccard, 4),
            c=round(edge.c, 4), freq_ratio_flag=edge.freq_ratio_flag,
            weight=edge.weight if measure == "count" else round(edge.weight, 4),
        ))
    rows.sort(key=lambda r: (-r.weight, r.code_a, r.code_b))
    return tuple(rows)
