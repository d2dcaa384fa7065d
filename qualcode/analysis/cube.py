"""The participant x wave x code cube, its attendance mask, matrices and the framework
matrix.

Cells
    For each (participant, wave, code): the number of codings (``count``), the
    characters they cover summed over codings (``chars``; two coders coding the same
    passage count it twice; filter by coder to avoid that) and ``presence`` (1 if at
    least one coding). A coding belongs to the participant who speaks the turn where it
    starts, else to the transcript's participant (the rule of the segment view);
    codings nobody is attributed to (an unmapped interviewer in a focus group) are kept
    apart as ``unattributed``. Codings in transcripts without a wave are not in the
    cube.

Attendance mask
    Each (participant, wave) has a status: the recorded attendance (``interviewed``,
    ``missed``, ``withdrawn``, ``not_yet``), upgraded to ``focus-group`` (or
    ``document``) when the participant was not interviewed but took part in a focus
    group (or another transcript) of that wave as a mapped speaker, and ``none`` when
    nothing is recorded. A cell is *observed* when the status is ``interviewed``,
    ``focus-group`` or ``document``; an unobserved cell is **missing** (value ``None``),
    which is not the same as a code that is absent (value 0). Focus groups give data
    (presence of the codes their mapped speakers said) but never count as interviews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import QualcodeError
from ..records.analysis import FrameworkMatrix, FrameworkRow, Matrix, MatrixRow
from ..store import analysis as store
from ..store import study as store_study
from ..store import transcripts as store_tx
from . import passages

MEASURES = ("count", "chars", "presence")
BY = ("participant", "wave", "role", "site")
OBSERVED = ("interviewed", "focus-group", "document")
_PARTICIPATION_STATUS = {"interview": "interviewed", "focus-group": "focus-group"}


@dataclass
class Cube:
    participants: dict[int, dict]          # id -> participant (pid, role, site, attributes...)
    waves: list[dict]                      # in order: id, label, ordinal
    codes: dict[int, dict]                 # id -> code (name, parent_id, is_category, colour)
    cells: dict[tuple[int, int, int], tuple[int, int]]   # (participant, wave, code) -> (n, chars)
    status: dict[tuple[int, int], str]     # (participant, wave) -> attendance status
    # (participant, wave) -> every way they took part: interviewed, focus-group, document
    modes: dict[tuple[int, int], frozenset] = field(default_factory=dict)
    unattributed: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # code id -> rolled-up id  =>  cells (participant, wave, rolled-up id) -> (n, chars),
    # passages merged across the codes of a roll-up (see qualcode.analysis.passages).
    rollup: Callable[[dict[int, int]], dict] | None = None
    # The (participant, wave) pairs a filter kept (see restrict); None: every pair.
    scope: frozenset[tuple[int, int]] | None = None

    # --- the mask ------------------------------------------------------------------

    def status_of(self, participant_id: int, wave_id: int) -> str:
        return self.status.get((participant_id, wave_id), "none")

    def observed(self, participant_id: int, wave_id: int) -> bool:
        return self.status_of(participant_id, wave_id) in OBSERVED

    def value(self, participant_id: int, wave_id: int, code_id: int, measure: str = "count"):
        """The cell's value, or None when the participant has no data at that wave."""
        if not self.observed(participant_id, wave_id):
            return None
        n, chars = self.cells.get((participant_id, wave_id, code_id), (0, 0))
        return measure_of(n, chars, measure)

    # --- helpers -------------------------------------------------------------------

    def wave_by_label(self, label: str) -> dict:
        for wave in self.waves:
            if wave["label"] == label:
                return wave
        raise QualcodeError(f"no wave labelled {label!r}")

    def code_by_name(self, name: str) -> dict:
        for code in self.codes.values():
            if code["name"] == name:
                return code
        raise QualcodeError(f"no code named {name!r}")

    def participant_by_pid(self, pid: str) -> dict:
        for person in self.participants.values():
            if person["pid"] == pid:
                return person
        raise QualcodeError(f"no participant with id {pid!r}")

    def code_order(self) -> list[int]:
        """Code ids in codebook (depth-first) order."""
        return tree_order(self.codes)

    def descendants(self, code_id: int) -> list[int]:
        children = defaultdict(list)
        for code in self.codes.values():
            children[code["parent_id"]].append(code["id"])
        result, stack = [], [code_id]
        while stack:
            current = stack.pop()
            result.append(current)
            stack.extend(children[current])
        return result

    def category_of(self, code_id: int) -> int:
        """The nearest ancestor marked as a category (or the top of the tree)."""
        code = self.codes[code_id]
        seen = set()
        while code["parent_id"] is not None and code["parent_id"] in self.codes:
            if code["id"] in seen:  # pragma: no cover (the store forbids cycles)
                break
            seen.add(code["id"])
            parent = self.codes[code["parent_id"]]
            if parent["is_category"]:
                return parent["id"]
            code = parent
        return code["id"]

    def coded_ids(self) -> set[int]:
        return {k for (_, _, k) in self.cells}

    def restrict(self, keep: Callable[[dict, str], bool]) -> Cube:
        """The cube of the (participant, wave) pairs ``keep(participant, wave label)``
        accepts: the others lose their cells and their attendance (they are not in the
        analysis, so neither observed nor counted as missing), participants with no pair
        left go, and so do waves nobody is kept at. Roll-ups (categories) stay restricted."""
        kept = {(p, w["id"]) for p, person in self.participants.items() for w in self.waves
                if (self.scope is None or (p, w["id"]) in self.scope) and keep(person, w["label"])}
        people = {p: person for p, person in self.participants.items()
                  if any((p, w["id"]) in kept for w in self.waves)}
        waves = [w for w in self.waves if any((p, w["id"]) in kept for p in people)]
        rollup = self.rollup

        def restricted_rollup(group_of: dict[int, int]) -> dict:
            assert rollup is not None
            return {key: value for key, value in rollup(group_of).items() if key[:2] in kept}

        return Cube(
            participants=people, waves=waves, codes=self.codes,
            cells={key: value for key, value in self.cells.items() if key[:2] in kept},
            status={key: value for key, value in self.status.items() if key in kept},
            modes={key: value for key, value in self.modes.items() if key in kept},
            unattributed={},
            rollup=restricted_rollup if rollup is not None else None,
            scope=frozenset(kept))


def measure_of(n: int, chars: int, measure: str):
    if measure == "count":
        return n
    if measure == "chars":
        return chars
    if measure == "presence":
        return 1 if n else 0
    raise QualcodeError(f"measure {measure!r} is not one of {', '.join(MEASURES)}")


def tree_order(codes: dict[int, dict]) -> list[int]:
    children = defaultdict(list)
    for code in codes.values():
        parent = code["parent_id"] if code["parent_id"] in codes else None
        children[parent].append(code)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.get("position") or 0, c["name"]))
    order: list[int] = []

    def walk(parent):
        for code in children.get(parent, []):
            order.append(code["id"])
            walk(code["id"])

    walk(None)
    return order


def attendance_status(attendance_rows, participation_rows) -> dict[tuple[int, int], str]:
    """Merge recorded attendance with who took part in which wave's transcripts."""
    status = {(p, w): s for p, w, s in attendance_rows}
    took_part: dict[tuple[int, int], set[str]] = defaultdict(set)
    for p, w, kind in participation_rows:
        took_part[(p, w)].add(kind)
    for key, kinds in took_part.items():
        if status.get(key) == "interviewed":
            continue
        if "interview" in kinds and key not in status:
            status[key] = "interviewed"
        elif "focus-group" in kinds:
            status[key] = "focus-group"
        else:
            status[key] = "document"
    return status


def participation_modes(attendance_rows, participation_rows) -> dict[tuple[int, int], frozenset]:
    """Every way each participant took part at each wave: ``interviewed`` (recorded, or
    the participant of an interview), ``focus-group`` (a mapped speaker in a focus
    group), ``document`` (mapped in another transcript). Someone interviewed who also
    joined a focus group that wave has both."""
    modes: dict[tuple[int, int], set[str]] = defaultdict(set)
    for p, w, s in attendance_rows:
        if s == "interviewed":
            modes[(p, w)].add("interviewed")
    for p, w, kind in participation_rows:
        modes[(p, w)].add({"interview": "interviewed", "focus-group": "focus-group"}.get(kind, "document"))
    return {key: frozenset(value) for key, value in modes.items()}


def load_cube(db, *, coders=None, waves=None) -> Cube:
    """Build the cube with three bulk queries (cells, attendance, participation)."""
    coder_ids = store.coder_ids(db, coders) if coders else None
    if coders and not coder_ids:
        raise QualcodeError(f"no coder named {', '.join(coders)}")
    wave_rows = store_study.list_waves(db)
    wave_ids = None
    if waves:
        by_label = {w["label"]: w["id"] for w in wave_rows}
        missing = [w for w in waves if w not in by_label]
        if missing:
            raise QualcodeError(f"no wave labelled {missing[0]!r}")
        wave_ids = [by_label[w] for w in waves]
    def cells_of(group_of=None) -> tuple[dict, dict]:
        cells, unattributed = {}, {}
        for p, w, k, n, chars in passages.cube_cells(db, coder_ids=coder_ids, wave_ids=wave_ids,
                                                     group_of=group_of):
            if w is None:
                continue
            if p is None:
                unattributed[(w, k)] = (n, chars)
            else:
                cells[(p, w, k)] = (n, chars)
        return cells, unattributed

    cells, unattributed = cells_of()
    attendance_rows, participation_rows = store.attendance(db), store.participation(db)
    return Cube(
        participants={p["id"]: p for p in store_study.list_participants(db)},
        waves=[{k: w[k] for k in ("id", "label", "ordinal")} for w in wave_rows
               if wave_ids is None or w["id"] in wave_ids],
        codes={c["id"]: c for c in store.all_codes(db)},
        cells=cells,
        status=attendance_status(attendance_rows, participation_rows),
        modes=participation_modes(attendance_rows, participation_rows),
        unattributed=unattributed,
        rollup=lambda group_of: cells_of(group_of)[0],
    )


# --- matrices ----------------------------------------------------------------------

def select_columns(cube: Cube, *, codes=None, category=None, level="code") -> tuple[list[str], dict[int, int]]:
    """Columns (names) and code id -> column index. ``level='category'`` rolls codes up
    into their nearest category."""
    if codes:
        chosen = [cube.code_by_name(name)["id"] for name in codes]
    elif category:
        top = cube.code_by_name(category)["id"]
        chosen = [c for c in cube.descendants(top) if c != top or not cube.codes[c]["is_category"]]
    else:
        chosen = cube.code_order()
    order = {k: i for i, k in enumerate(cube.code_order())}
    coded = cube.coded_ids()
    if not codes:
        # Categories that are not codable and never coded are headings, not columns.
        chosen = [c for c in chosen if cube.codes[c]["codable"] or c in coded]
        chosen.sort(key=lambda c: order.get(c, 0))
    columns: list[str] = []
    col_of: dict[int, int] = {}
    if level == "category":
        index: dict[int, int] = {}
        for code_id in chosen:
            cat = cube.category_of(code_id)
            if cat not in index:
                index[cat] = len(columns)
                columns.append(cube.codes[cat]["name"])
            col_of[code_id] = index[cat]
    else:
        for code_id in chosen:
            col_of[code_id] = len(columns)
            columns.append(cube.codes[code_id]["name"])
    return columns, col_of


@dataclass(frozen=True)
class Grouping:
    """Rows grouped by an attribute: ``value_of(participant id, wave label)`` gives the
    group (a per-wave attribute can put one person in other groups at other waves),
    ``sort_key(value)`` orders the groups by the attribute's declared type, ``shown``
    writes a value as a row label."""

    name: str
    value_of: Callable[[str, str], object]
    sort_key: Callable[[object], tuple]
    shown: Callable[[object], str] = str


def matrix(cube: Cube, *, by: str = "participant", measure: str = "count", codes=None,
           category=None, level: str = "code", grouping: Grouping | None = None) -> Matrix:
    """Aggregate the cube. ``by='participant'``: one row per participant and wave,
    missing cells None. Otherwise rows are groups (wave; role, site or an attribute's
    value (``grouping``) x wave): count and chars are summed over the group's observed
    participants, presence is the number of them with the code; ``n`` is how many were
    observed."""
    if grouping is not None:
        by = grouping.name
    elif by not in BY:
        raise QualcodeError(f"--by {by!r} is not one of {', '.join(BY)}")
    measure_of(0, 0, measure)  # validates
    columns, col_of = select_columns(cube, codes=codes, category=category, level=level)
    width = len(columns)
    # per (participant, wave): raw per-column (n, chars)
    per_pw: dict[tuple[int, int], list[list[int]]] = {}
    source, key_of = cube.cells, col_of
    if level == "category" and cube.rollup is not None:
        # A passage coded with two codes of one category is one passage of it.
        source, key_of = cube.rollup(col_of), {c: c for c in set(col_of.values())}
    for (p, w, k), (n, chars) in source.items():
        col = key_of.get(k)
        if col is None:
            continue
        acc = per_pw.setdefault((p, w), [[0, 0] for _ in range(width)])
        acc[col][0] += n
        acc[col][1] += chars
    people = sorted(cube.participants.values(), key=lambda p: p["pid"])
    if by == "participant":
        rows = _participant_rows(cube, people, per_pw, width, measure)
        return Matrix(by, measure, ("participant", "wave"), tuple(columns), tuple(rows))
    value_of, sort_key, shown = _grouping(by, grouping)
    group_at = {(person["id"], wave["id"]): value_of(person, wave["label"])
                for person in people for wave in cube.waves}
    groups = sorted(set(group_at.values()), key=sort_key)
    rows = []
    for group in groups:
        for wave in cube.waves:
            n_obs = 0
            totals = [0] * width
            for person in people:
                if group_at[(person["id"], wave["id"])] != group or not cube.observed(person["id"], wave["id"]):
                    continue
                n_obs += 1
                found = per_pw.get((person["id"], wave["id"]))
                if not found:
                    continue
                for i in range(width):
                    totals[i] += measure_of(found[i][0], found[i][1], measure)
            if grouping is not None and not any(
                    group_at[(person["id"], wave["id"])] == group for person in people):
                continue  # a per-wave value nobody has at this wave: no row
            labels = [wave["label"]] if by == "wave" else [shown(group), wave["label"]]
            rows.append(MatrixRow(tuple(labels), None, n_obs,
                                  tuple(totals) if n_obs else (None,) * width))
    keys = ("wave",) if by == "wave" else (by, "wave")
    return Matrix(by, measure, keys, tuple(columns), tuple(rows))


def _grouping(by: str, grouping: Grouping | None):
    """(value of a person at a wave, sort key, label) for a grouped matrix."""
    if grouping is not None:
        value_at = grouping.value_of

        def shown(value) -> str:
            return "(missing)" if value is None else grouping.shown(value)
        return (lambda person, wave: value_at(person["pid"], wave)), grouping.sort_key, shown
    if by == "wave":
        return (lambda person, wave: ""), (lambda value: value), str
    return (lambda person, wave: person.get(by) or "(missing)"), (lambda value: value), str


def _participant_rows(cube: Cube, people: list[dict], per_pw: dict, width: int,
                      measure: str) -> list[MatrixRow]:
    rows: list[MatrixRow] = []
    for person in people:
        statuses = [cube.status_of(person["id"], w["id"]) for w in cube.waves]
        if all(s == "none" for s in statuses) and not any(
                (person["id"], w["id"]) in per_pw for w in cube.waves):
            continue
        for wave, status in zip(cube.waves, statuses):
            if cube.scope is not None and (person["id"], wave["id"]) not in cube.scope:
                continue  # filtered out, not missing
            observed = status in OBSERVED
            found = per_pw.get((person["id"], wave["id"]))
            values = tuple(
                (measure_of(found[i][0], found[i][1], measure) if found else 0) if observed else None
                for i in range(width)
            )
            rows.append(MatrixRow((person["pid"], wave["label"]), status, int(observed), values))
    return rows


# --- the framework matrix ----------------------------------------------------------

def framework(db, cube: Cube, *, by: str = "participant", content: str = "text", codes=None,
              category=None, level: str = "code", max_chars: int = 300, coders=None,
              grouping: Grouping | None = None) -> FrameworkMatrix:
    """Cases x codes (or categories) with the coded text (or the codings' memos) in the
    cells, one sheet per wave. Cases are participants, or sites or roles (rows then read
    "Riverside at W1, Riverside at W3", the shape of a case-study comparison of
    services at start-up and follow-up), or the values of an attribute (``grouping``:
    its value at each wave, in the order of its declared type). A case that did not
    take part at a wave has no row in that wave's sheet."""
    if grouping is None and by not in ("participant", "role", "site"):
        raise QualcodeError("framework cases are participants, roles, sites or an attribute's values")
    if content not in ("text", "memo"):
        raise QualcodeError("framework cells hold 'text' or 'memo'")
    columns, col_of = select_columns(cube, codes=codes, category=category, level=level)
    coder_ids = store.coder_ids(db, coders) if coders else None

    wave_label = {wave["id"]: wave["label"] for wave in cube.waves}

    def case_of(person, wave_id: int) -> str:
        if grouping is not None:
            value = grouping.value_of(person["pid"], wave_label.get(wave_id, ""))
            return "(missing)" if value is None else grouping.shown(value)
        return person["pid"] if by == "participant" else (person.get(by) or "(missing)")

    spans: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
    for p, w, k, tid, start, end, memo in store.coded_spans(db, code_ids=list(col_of),
                                                             coder_ids=coder_ids):
        if p is None or w is None or p not in cube.participants:
            continue
        if cube.scope is not None and (p, w) not in cube.scope:
            continue  # filtered out (--where)
        spans[(case_of(cube.participants[p], w), w, col_of[k])].append(
            {"transcript": tid, "start": start, "end": end, "memo": memo})
    # A cell shows each coded passage once: codings that overlap in one transcript
    # (two coders, or two codes of one category column) are merged into their union.
    texts: dict[int, str] = {}
    pieces: dict[tuple[str, int, int], list[str]] = {}
    for cell, rows in spans.items():
        found = []
        for members in passages.merge(rows):
            if content == "text":
                tid = members[0]["transcript"]
                if tid not in texts:
                    texts[tid] = store_tx.transcript_text(db, tid)
                start, end = passages.extent(members)
                found.append(" ".join(texts[tid][start:end].split()))
            else:
                found += [" ".join(m["memo"].split()) for m in members if m["memo"]]
        pieces[cell] = [piece for piece in dict.fromkeys(found) if piece]
    # Every case in order: by name, or an attribute's values in its type's order, then
    # "(missing)"; each wave's sheet keeps this order.
    typed = {} if grouping is None else {
        grouping.shown(v): v for p in cube.participants.values() for wave in cube.waves
        if (v := grouping.value_of(p["pid"], wave["label"])) is not None}
    everyone = {case_of(p, wave["id"]) for p in cube.participants.values() for wave in cube.waves}
    if grouping is None:
        order = sorted(everyone)
    else:
        order = sorted((c for c in everyone if c in typed), key=lambda c: grouping.sort_key(typed[c]))
        order += sorted(c for c in everyone if c not in typed)
    sheets: dict[str, tuple[FrameworkRow, ...]] = {}
    for wave in cube.waves:
        sheet = []
        cases_here = {case_of(p, wave["id"]) for p in cube.participants.values()}
        for case in (c for c in order if c in cases_here):
            members = [p for p in cube.participants.values() if case_of(p, wave["id"]) == case]
            observed = any(cube.observed(p["id"], wave["id"]) for p in members)
            if not observed:
                continue
            cells = []
            for i in range(len(columns)):
                text = " | ".join(pieces.get((case, wave["id"], i), []))
                if max_chars and len(text) > max_chars:
                    text = text[: max_chars - 1].rstrip() + "\u2026"
                cells.append(text)
            sheet.append(FrameworkRow(case, tuple(cells)))
        sheets[wave["label"]] = tuple(sheet)
    return FrameworkMatrix(by, content, tuple(columns), sheets, tuple(order))
