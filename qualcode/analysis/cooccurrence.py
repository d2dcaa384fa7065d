"""Code co-occurrence: counts, Jaccard and ATLAS.ti's c-coefficient, and networks.

Scopes (what "together" means)
    ``overlap``     two codings of different codes in one transcript share at least one
                    character. n12 = number of such (coding, coding) pairs.
    ``turn``        both codes have a coding starting in the same turn. n12 = number
                    of turns with both.
    ``transcript``  both codes occur in the same transcript. n12 = number of
                    transcripts with both.

Measures
    ``count``    n12.
    ``jaccard``  shared units / units with either code. Units are coded characters for
                 ``overlap`` (|A and B| / |A or B| over the union of each code's
                 codings, so two coders coding one passage count it once), turns for
                 ``turn`` and transcripts for ``transcript``.
    ``c``        ATLAS.ti's c-coefficient c = n12 / (n1 + n2 - n12), n1 and n2 being the
                 number of codings of each code. In the overlap scope one long coding
                 can meet several codings of the other code, so n12 can exceed the
                 smaller frequency; c is then capped at 1. Pairs where one code is more
                 than five times as frequent as the other are flagged
                 (``freq_ratio_flag``), as that distorts c.

Same-code pairs never count. A coding belongs to the turn where it starts.
Computation is one query and sorted sweeps over each transcript's codings.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import accumulate, compress, groupby, repeat
from operator import gt, itemgetter, sub

from ..errors import QualcodeError
from ..store import analysis as store
from ..store import study as store_study
from .cube import tree_order

SCOPES = ("overlap", "turn", "transcript")
MEASURES = ("count", "jaccard", "c")
FREQ_RATIO = 5.0


@dataclass
class Cooccurrence:
    scope: str
    freq: dict[int, int]                    # code id -> number of codings
    units: dict[int, int] | None            # code id -> chars / turns / transcripts with it
    pairs: dict[tuple[int, int], list[int]]  # (a, b), a < b -> [n12, shared units]
    codes: dict[int, dict] = field(default_factory=dict)
    label: str | None = None
    rows: list | None = None                 # overlap scope: kept to count characters lazily

    def _ensure_units(self) -> None:
        if self.units is None:
            units, shared = shared_chars(self.rows or [])
            self.units = units
            for key, value in shared.items():
                self.pairs.setdefault(key, [0, 0])[1] = value
            self.rows = None

    def edge(self, a: int, b: int) -> dict:
        self._ensure_units()
        key = (a, b) if a < b else (b, a)
        n12, shared = self.pairs.get(key, (0, 0))
        n1, n2 = self.freq.get(a, 0), self.freq.get(b, 0)
        either = self.units.get(a, 0) + self.units.get(b, 0) - shared
        denominator = n1 + n2 - n12
        c = min(1.0, n12 / denominator) if denominator > 0 else (1.0 if n12 else 0.0)
        low, high = min(n1, n2), max(n1, n2)
        return {
            "count": n12,
            "jaccard": shared / either if either > 0 else 0.0,
            "c": c,
            "freq_ratio_flag": bool(low and high > FREQ_RATIO * low),
        }

    def edges(self, measure: str = "count", minimum: float = 0) -> list[dict]:
        if measure not in MEASURES:
            raise QualcodeError(f"measure {measure!r} is not one of {', '.join(MEASURES)}")
        result = []
        self._ensure_units()
        for a, b in sorted(self.pairs):
            values = self.edge(a, b)
            if values["count"] <= 0 or values[measure] < minimum:
                continue
            result.append({"source": a, "target": b, "weight": values[measure], **values})
        return result


def count_overlap(rows, *, chars: bool = True) -> tuple[dict, dict | None, dict]:
    """rows: (transcript_id, code_id, _, start, end, ...), each transcript's rows
    together and ordered by start. Coding j overlaps an earlier coding i exactly when
    s_i <= s_j < e_i, so the codings overlapping i are the run after it whose starts
    are below e_i (found by bisection). With ``chars`` also the shared coded
    characters per pair (:func:`shared_chars`)."""
    freq = Counter(map(itemgetter(1), rows))
    if not freq:
        return {}, ({} if chars else None), {}
    # A pair (a, b) is counted as the int a * K + b while sweeping (ints hash faster
    # than tuples), in both orders and with a == b; folded into (min, max) at the end.
    K = max(freq) + 1
    directed: Counter = Counter()
    get_start, get_end, get_code = itemgetter(3), itemgetter(4), itemgetter(1)
    for _, group in groupby(rows, itemgetter(0)):
        chunk = list(group)
        m = len(chunk)
        starts = list(map(get_start, chunk))
        codes = list(map(get_code, chunk))
        # his[x]: the first coding that starts at or after coding x ends (C-level
        # bisection); codings x+1 .. his[x]-1 overlap x. Only codings with at least one
        # such follower are visited in Python.
        his = list(map(bisect_left, repeat(starts), map(get_end, chunk)))
        followers = list(map(sub, his, range(1, m + 1)))
        keys: list[int] = []
        extend = keys.extend
        for x in compress(range(m), followers):
            base = codes[x] * K
            extend([base + o for o in codes[x + 1:his[x]]])
        directed.update(keys)   # counted in C
    pairs: dict[tuple[int, int], list[int]] = {}
    for key, count in directed.items():
        a, b = divmod(key, K)
        if a == b:
            continue
        pair = (a, b) if a < b else (b, a)
        entry = pairs.get(pair)
        if entry is None:
            pairs[pair] = [count, 0]
        else:
            entry[0] += count
    units = None
    if chars:
        units, shared = shared_chars(rows)
        for key, value in shared.items():
            pairs.setdefault(key, [0, 0])[1] = value
    return dict(freq), units, pairs


def shared_chars(rows) -> tuple[dict, dict]:
    """Characters coded with each code (the union of its codings, so overlapping codings
    by two coders count once) and characters shared by each pair of codes.

    Per transcript: sort by (code, start) and merge each code's codings with a running
    maximum of ends (codes packed as code * BIG + offset so that the maximum restarts
    at every code), then sweep the merged spans in start order as in
    :func:`count_overlap`; since one code's spans are disjoint, the sum of pairwise
    intersections is the size of the intersection of the unions."""
    chars: Counter = Counter()
    shared: Counter = Counter()
    BIG = 1 << 40
    for _, group in groupby(rows, itemgetter(0)):
        chunk = sorted(group, key=itemgetter(1, 3))
        n = len(chunk)
        S = [r[1] * BIG + r[3] for r in chunk]
        R = list(accumulate([r[1] * BIG + r[4] for r in chunk], max))
        firsts = [0, *compress(range(1, n), map(gt, S[1:], R[:-1]))]
        lasts = [i - 1 for i in firsts[1:]] + [n - 1]
        spans = sorted((S[a] % BIG, R[b] - (S[a] // BIG) * BIG, S[a] // BIG)
                       for a, b in zip(firsts, lasts))
        for s_, e_, k in spans:
            chars[k] += e_ - s_
        starts = [sp[0] for sp in spans]
        his = list(map(bisect_left, repeat(starts), [sp[1] for sp in spans]))
        m = len(spans)
        for x in compress(range(m), map(sub, his, range(1, m + 1))):
            _, ex, kx = spans[x]
            for sy, ey, ky in spans[x + 1:his[x]]:
                shared[(kx, ky) if kx < ky else (ky, kx)] += (ey if ey < ex else ex) - sy
    return dict(chars), dict(shared)


def count_units(rows, unit_index: int) -> tuple[dict, dict, dict]:
    """Co-occurrence within units (turns: index 5; transcripts: index 0)."""
    freq: dict[int, int] = defaultdict(int)
    members: dict[object, set[int]] = defaultdict(set)
    for row in rows:
        freq[row[1]] += 1
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


def compute(rows, scope: str, codes: dict[int, dict] | None = None,
            label: str | None = None) -> Cooccurrence:
    """Counts for one scope. In the overlap scope the characters behind Jaccard are
    counted on first use (they cost a second sweep)."""
    if scope == "overlap":
        freq, units, pairs = count_overlap(rows, chars=False)
        return Cooccurrence(scope, freq, None, pairs, codes or {}, label, rows=rows)
    elif scope == "turn":
        freq, units, pairs = count_units(rows, 5)
    elif scope == "transcript":
        freq, units, pairs = count_units(rows, 0)
    else:
        raise QualcodeError(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    return Cooccurrence(scope, freq, units, pairs, codes or {}, label)


def participant_filter(db, where: dict[str, str]):
    """A predicate on a coding row from attribute=value pairs (role, site, fixed
    attributes, or attributes at the coding's wave) of the participant it belongs to."""
    people = {p["id"]: p for p in store_study.list_participants(db)}
    labels = {w["id"]: w["label"] for w in store_study.list_waves(db)}
    transcripts = store.transcript_map(db)
    attribution = store.mixed_attribution(db)

    def value_of(person, key, wave_id):
        if key in ("role", "site", "pseudonym", "pid"):
            return person.get(key)
        wave_attrs = person["wave_attributes"].get(labels.get(wave_id), {})
        if key in wave_attrs:
            return wave_attrs[key]
        return person["attributes"].get(key)

    def keep(row) -> bool:
        pid, wave_id, _ = transcripts[row[0]]
        key = row[:5]
        if key in attribution:
            pid = attribution[key]
        person = people.get(pid)
        if person is None:
            return False
        return all(str(value_of(person, k, wave_id)) == str(v) for k, v in where.items())

    return keep


def cooccurrence(db, *, scope: str = "overlap", waves=None, coders=None, category=None,
                 codes=None, where: dict[str, str] | None = None,
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
    rows = store.codings(db, coder_ids=coder_ids, wave_ids=wave_ids,
                         code_ids=sorted(code_ids) if code_ids is not None else None,
                         with_turn=scope == "turn")
    if where:
        keep = participant_filter(db, where)
        rows = [r for r in rows if keep(r)]
    info = _code_info(all_codes)
    if not per_wave:
        return compute(rows, scope, info, label=",".join(waves) if waves else None)
    wave_of = {tid: wid for tid, (_, wid, _) in store.transcript_map(db).items()}
    split: dict[int, list] = defaultdict(list)
    for r in rows:
        split[wave_of[r[0]]].append(r)
    return {wave_label[w["id"]]: compute(split.get(w["id"], []), scope, info, label=w["label"])
            for w in wave_rows if wave_ids is None or w["id"] in wave_ids}


def _code_info(codes: dict[int, dict]) -> dict[int, dict]:
    """Name, colour and category name of every code (colour inherited if unset)."""
    info = {}
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
        info[code_id] = {"name": code["name"], "colour": colour or "#888888",
                         "category": category,
                         "category_colour": category_colour or colour or "#888888",
                         "parent": parent["name"] if parent else None}
    return info


def to_graph(result: Cooccurrence, *, measure: str = "count", minimum: float = 0):
    """A networkx graph. Nodes: codes that occur (name, frequency, category, colour);
    edges: co-occurrences whose measure is at least ``minimum``, weighted by it."""
    import networkx as nx  # only when a network is wanted: it is slow to import

    graph = nx.Graph(scope=result.scope, measure=measure, wave=result.label or "all")
    for code_id in sorted(result.freq, key=lambda k: result.codes.get(k, {}).get("name", str(k))):
        info = result.codes.get(code_id, {"name": str(code_id), "colour": "#888888",
                                          "category": ""})
        graph.add_node(info["name"], label=info["name"], frequency=result.freq[code_id],
                       category=info["category"] or "", colour=info["colour"],
                       category_colour=info.get("category_colour") or info["colour"])
    for edge in result.edges(measure, minimum):
        a = result.codes.get(edge["source"], {"name": str(edge["source"])})["name"]
        b = result.codes.get(edge["target"], {"name": str(edge["target"])})["name"]
        graph.add_edge(a, b, weight=float(edge["weight"]), count=edge["count"],
                       jaccard=round(edge["jaccard"], 6), c=round(edge["c"], 6),
                       freq_ratio_flag=edge["freq_ratio_flag"])
    return graph


def table(result: Cooccurrence, *, measure: str = "count", minimum: float = 0) -> list[dict]:
    """Edges as rows with code names, for printing."""
    rows = []
    for edge in result.edges(measure, minimum):
        rows.append({
            "code_a": result.codes.get(edge["source"], {"name": str(edge["source"])})["name"],
            "code_b": result.codes.get(edge["target"], {"name": str(edge["target"])})["name"],
            "n1": result.freq.get(edge["source"], 0), "n2": result.freq.get(edge["target"], 0),
            "count": edge["count"], "jaccard": round(edge["jaccard"], 4),
            "c": round(edge["c"], 4), "freq_ratio_flag": edge["freq_ratio_flag"],
            "weight": edge["weight"] if measure == "count" else round(edge["weight"], 4),
        })
    rows.sort(key=lambda r: (-r["weight"], r["code_a"], r["code_b"]))
    return rows
