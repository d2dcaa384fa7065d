"""Running a parsed query against a project: code names to ids, filters, evaluation,
and the passages with their attribution. Read-only; see :mod:`.evaluate` for the
operators and docs/query.md for what each returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..analysis.where import BoundWhere, bind_where
from ..errors import QueryError
from ..filter_language import Where, parse_where
from ..records import QueryPassage
from ..store import analysis as store_analysis
from ..store import query as store
from ..store import study as store_study
from .evaluate import Spans, Units, evaluate, merged
from .language import Code, ParsedQuery, parse_query

CONTEXT_CHARS = 60


@dataclass
class Evaluation:
    """The passages of a query as arrays (one entry per passage, text order)."""

    query: ParsedQuery
    shift: int
    starts: np.ndarray          # packed transcript << shift | offset
    ends: np.ndarray
    transcript: np.ndarray
    participant: np.ndarray     # participant row id, -1 nobody
    wave: np.ndarray            # wave row id, -1 none
    turn: np.ndarray            # turn row id, -1 none
    code_ids: tuple[int, ...]
    coder_ids: tuple[int, ...] | None

    def __len__(self) -> int:
        return len(self.starts)

    def offsets(self) -> tuple[np.ndarray, np.ndarray]:
        mask = (1 << self.shift) - 1
        return self.starts & mask, self.ends & mask

    def totals(self) -> dict[str, int]:
        people = self.participant[self.participant >= 0]
        pw = np.unique(np.stack((self.participant, self.wave))[:, self.participant >= 0], axis=1) \
            if len(people) else np.zeros((2, 0))
        return {
            "passages": len(self),
            "participants": len(np.unique(people)),
            "participant_waves": int(pw.shape[1]),
            "transcripts": len(np.unique(self.transcript)),
            "turns": len(np.unique(self.turn[self.turn >= 0])),
        }


def _suggest(name: str, names: Sequence[str]) -> str:
    from rapidfuzz import process

    near = [match for match, score, _ in process.extract(name, names, limit=3) if score >= 50]
    return f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""


def resolve_codes(db, parsed: ParsedQuery) -> dict[str, tuple[int, ...]]:
    """Each code name of the query -> the ids of the code and every code under it."""
    codes = store_analysis.all_codes(db)
    by_name = {c["name"]: c["id"] for c in codes}
    folded: dict[str, list[str]] = {}
    for name in by_name:
        folded.setdefault(name.casefold(), []).append(name)
    children: dict[int | None, list[int]] = {}
    for c in codes:
        children.setdefault(c["parent_id"], []).append(c["id"])
    result: dict[str, tuple[int, ...]] = {}
    for name, position in parsed.code_names():
        found = by_name.get(name)
        if found is None and len(folded.get(name.casefold(), [])) == 1:
            found = by_name[folded[name.casefold()][0]]
        if found is None:
            raise QueryError(f"no code named {name!r}{_suggest(name, list(by_name))}",
                             text=parsed.text, position=position)
        ids, stack = [], [found]
        while stack:
            current = stack.pop()
            ids.append(current)
            stack.extend(children.get(current, []))
        result[name] = tuple(sorted(ids))
    return result


@dataclass
class Filters:
    coders: BoundWhere | None     # coder: conditions, applied to the codings first
    rest: BoundWhere | None       # every other condition, applied to the passages found


def read_filters(db, parsed: ParsedQuery, extra: Sequence[str] = ()) -> Filters:
    """The query's filters (and ``extra`` ones, each a filter text) checked against the
    project (unknown waves, attributes, coders are named with the nearest ones)."""
    conditions = list(parsed.conditions)
    for text in extra:
        conditions.extend(parse_where(text).conditions)
    coder = tuple(c for c in conditions if c.is_field and c.name == "coder")
    rest = tuple(c for c in conditions if not (c.is_field and c.name == "coder"))
    return Filters(bind_where(Where(coder), db) if coder else None,
                   bind_where(Where(rest), db) if rest else None)


def _coder_ids(db, bound: BoundWhere | None) -> tuple[int, ...] | None:
    if bound is None:
        return None
    return tuple(cid for name, cid in sorted(store_study.coder_ids(db).items())
                 if bound.matches(None, None, coder=name))


def _units(db, shift: int) -> tuple[Units, np.ndarray]:
    turn_starts, turn_ids, turn_people = store.turn_arrays(db, shift)
    transcripts = store.transcripts(db)
    cache: list[np.ndarray] = []

    def sentences() -> np.ndarray:
        if not cache:
            cache.append(store.sentence_starts(db, shift))
        return cache[0]

    top = max(transcripts, default=0) + 1
    people = np.full(top, -1, dtype=np.int64)
    waves = np.full(top, -1, dtype=np.int64)
    for tid, (_, person, wave) in transcripts.items():
        people[tid] = -1 if person is None else person
        waves[tid] = -1 if wave is None else wave
    units = Units(shift, turn_starts, turn_people, sentences, people, waves)
    return units, turn_ids


def run(db, text: str, *, extra_filters: Sequence[str] = ()) -> Evaluation:
    """Parse and evaluate ``text``; ``extra_filters`` are more filter atoms (the TUI's)."""
    parsed = parse_query(text)
    code_ids = resolve_codes(db, parsed)
    filters = read_filters(db, parsed, extra_filters)
    coder_ids = _coder_ids(db, filters.coders)
    shift = store.offset_shift(db)
    every_code = tuple(sorted({k for ids in code_ids.values() for k in ids}))
    tids, codes, _coders, starts, ends = store.codings_arrays(db, every_code, coder_ids)
    packed_starts, packed_ends = (tids << shift) | starts, (tids << shift) | ends
    units, turn_ids = _units(db, shift)

    def operand(code: Code) -> Spans:
        mask = np.isin(codes, code_ids[code.name])
        return merged(packed_starts[mask], packed_ends[mask])

    result_starts, result_ends = evaluate(parsed.expr, operand, units)
    turn_index = units.turn_index(result_starts)
    evaluation = Evaluation(
        parsed, shift, result_starts, result_ends, result_starts >> shift,
        units.participants(result_starts), units.waves(result_starts),
        np.where(turn_index >= 0, turn_ids[np.maximum(turn_index, 0)], -1) if len(turn_ids)
        else np.full(len(result_starts), -1),
        every_code, coder_ids)
    if filters.rest is not None:
        evaluation = _filtered(db, evaluation, filters.rest)
    return evaluation


def _filtered(db, evaluation: Evaluation, bound: BoundWhere) -> Evaluation:
    """Keep the passages ``bound`` accepts, asked once per distinct (participant, wave,
    transcript, speaker) rather than once per passage."""
    people = store.people(db)
    waves = store_study.wave_labels(db)
    transcripts = store.transcripts(db)
    speakers: dict[int, tuple[int, str | None]] = {}
    by_speaker = "speaker" in bound.where.fields()
    if by_speaker:
        speakers = store.turns_by_id(db, evaluation.turn[evaluation.turn >= 0].tolist())
    keys = np.stack((evaluation.participant, evaluation.wave, evaluation.transcript,
                     evaluation.turn if by_speaker else np.zeros(len(evaluation), dtype=np.int64)))
    distinct, inverse = np.unique(keys, axis=1, return_inverse=True) if len(evaluation) else (keys, keys[0])
    verdicts = np.array([
        # A passage outside any turn has no speaker: "" matches no speaker: filter.
        bound.matches(people[p][0] if p in people else None, waves.get(w) if w >= 0 else None,
                      speaker=(speakers.get(turn, (0, None))[1] or "") if by_speaker else None,
                      transcript=transcripts[t][0])
        for p, w, t, turn in distinct.T.tolist()], dtype=bool)
    keep = verdicts[np.asarray(inverse).reshape(-1)] if len(evaluation) else np.zeros(0, dtype=bool)
    return Evaluation(evaluation.query, evaluation.shift, evaluation.starts[keep], evaluation.ends[keep],
                      evaluation.transcript[keep], evaluation.participant[keep], evaluation.wave[keep],
                      evaluation.turn[keep], evaluation.code_ids, evaluation.coder_ids)


def passages(db, evaluation: Evaluation, *, limit: int | None = None) -> list[QueryPassage]:
    """The passages as records with their text, context, turn and coders."""
    people = store.people(db)
    waves = store_study.wave_labels(db)
    transcripts = store.transcripts(db)
    count = len(evaluation) if limit is None else min(limit, len(evaluation))
    turns = store.turns_by_id(db, evaluation.turn[:count][evaluation.turn[:count] >= 0].tolist())
    starts, ends = evaluation.offsets()
    texts: dict[int, str] = {}
    result = []
    for i in range(count):
        tid, start, end = int(evaluation.transcript[i]), int(starts[i]), int(ends[i])
        if tid not in texts:
            texts = {tid: store.transcript_text(db, tid)}
        text = texts[tid]
        pid = int(evaluation.participant[i])
        person = people.get(pid, (None, None, None, None))
        seq, speaker = turns.get(int(evaluation.turn[i]), (None, None))
        codings = store.codings_in(db, tid, start, end, evaluation.code_ids, evaluation.coder_ids)
        result.append(QueryPassage(
            transcripts[tid][0], start, end, person[0], person[1], person[2], person[3],
            waves.get(int(evaluation.wave[i])), speaker, seq,
            tuple(dict.fromkeys(code for code, _ in codings)),
            tuple(sorted({coder for _, coder in codings})),
            text[start:end], text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS]))
    return result


COUNT_BY = ("wave", "participant", "participant-wave")


def counts(db, evaluation: Evaluation, by: str) -> list[dict]:
    """Passages per wave, participant or participant x wave (only those with any), in
    wave order and participant id order."""
    if by not in COUNT_BY:
        raise QueryError(f"--count-by is one of {', '.join(COUNT_BY)}, not {by!r}")
    people = store.people(db)
    waves = {w["id"]: (w["ordinal"], w["label"]) for w in store_study.list_waves(db)}
    tally: dict[tuple, int] = {}
    for p, w in zip(evaluation.participant.tolist(), evaluation.wave.tolist()):
        key = {"wave": (w,), "participant": (p,), "participant-wave": (p, w)}[by]
        tally[key] = tally.get(key, 0) + 1

    def wave_label(w: int) -> str | None:
        return waves[w][1] if w in waves else None

    def pid(p: int) -> str | None:
        return people[p][0] if p in people else None

    rows: list[tuple[dict, tuple]] = []
    for key, n in tally.items():
        if by == "wave":
            rows.append(({"wave": wave_label(key[0]), "passages": n}, (waves.get(key[0], (1e9,))[0],)))
        elif by == "participant":
            rows.append(({"participant": pid(key[0]), "passages": n}, (pid(key[0]) or "",)))
        else:
            rows.append(({"participant": pid(key[0]), "wave": wave_label(key[1]), "passages": n},
                         (pid(key[0]) or "", waves.get(key[1], (1e9,))[0])))
    return [row for row, _ in sorted(rows, key=lambda r: r[1])]


def from_spans(db, text: str, rows: Sequence[tuple[int, int, int]]) -> Evaluation:
    """An evaluation made of stored passages (a named set): (transcript id, start, end)."""
    parsed = parse_query(text)
    try:
        code_ids = tuple(sorted({k for ids in resolve_codes(db, parsed).values() for k in ids}))
    except QueryError:   # a code of the query was deleted since: show no codes
        code_ids = ()
    shift = store.offset_shift(db)
    array = np.array(rows, dtype=np.int64).reshape(-1, 3)
    starts = (array[:, 0] << shift) | array[:, 1]
    ends = (array[:, 0] << shift) | array[:, 2]
    units, turn_ids = _units(db, shift)
    turn_index = units.turn_index(starts)
    return Evaluation(parsed, shift, starts, ends, array[:, 0], units.participants(starts),
                      units.waves(starts),
                      np.where(turn_index >= 0, turn_ids[np.maximum(turn_index, 0)], -1)
                      if len(turn_ids) else np.full(len(starts), -1),
                      code_ids, _coder_ids(db, read_filters(db, parsed).coders))
