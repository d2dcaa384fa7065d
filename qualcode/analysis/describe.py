"""Attendance grid, retention and the sample description.

Attendance grid: one row per participant with a recorded or observed status at any
wave (see :mod:`qualcode.analysis.cube` for the statuses).

Retention at wave w: of the participants interviewed at the first wave, those who
have a status recorded at w (they were due), the share interviewed at w. Participants
not due at a wave (no status; e.g. managers only seen at W1 and W3) do not count
against it. Focus-group participation is shown but is not an interview.

The counts per wave count a participant in every way they took part: someone
interviewed who also joined a focus group that wave counts in ``interviewed`` and in
``focus-group`` (``observed`` counts them once).

Describe: counts and percentages of every value of every attribute (role, site, the
fixed attributes, and the attributes recorded for the wave), within groups (``by``:
a fixed field or attribute, or ``wave``: those observed at each wave). Participants
without a value count as ``(missing)``; percentages are of the group's size. An
attribute whose every recorded value is a number is also summarised as its median and
range, with how many have a value (``numeric``).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import partial

from ..records.analysis import (
    AttendanceGrid,
    AttendanceRow,
    NumberSummary,
    SampleDescription,
    ValueCount,
    WaveAttendance,
)
from .cube import OBSERVED, Cube

MISSING = "(missing)"


def attendance_grid(cube: Cube) -> AttendanceGrid:
    waves = [w["label"] for w in cube.waves]
    rows = []
    for person in sorted(cube.participants.values(), key=lambda p: p["pid"]):
        statuses = [cube.status_of(person["id"], w["id"]) for w in cube.waves]
        if all(s == "none" for s in statuses):
            continue
        rows.append(AttendanceRow(
            person["pid"], person.get("role"), person.get("site"), dict(zip(waves, statuses)),
            {w["label"]: tuple(sorted(cube.modes.get((person["id"], w["id"]), ()))) for w in cube.waves}))
    first = cube.waves[0]["id"] if cube.waves else None
    baseline = {p["id"] for p in cube.participants.values()
                if first is not None and cube.status_of(p["id"], first) == "interviewed"}
    summary = []
    for wave in cube.waves:
        counts = Counter(cube.status_of(p["id"], wave["id"]) for p in cube.participants.values())
        ways = Counter(mode for p in cube.participants.values()
                       for mode in cube.modes.get((p["id"], wave["id"]), ()))
        due = [p for p in baseline if cube.status_of(p, wave["id"]) != "none"]
        kept = [p for p in due if cube.status_of(p, wave["id"]) == "interviewed"]
        summary.append(WaveAttendance(
            wave=wave["label"],
            missed=counts.get("missed", 0), withdrawn=counts.get("withdrawn", 0),
            not_yet=counts.get("not_yet", 0),
            interviewed=ways.get("interviewed", 0),
            focus_group=ways.get("focus-group", 0),
            both=sum(1 for p in cube.participants.values()
                     if {"interviewed", "focus-group"} <= cube.modes.get((p["id"], wave["id"]), set())),
            observed=sum(counts.get(s, 0) for s in OBSERVED),
            baseline_due=len(due),
            retained=len(kept),
            retention=round(len(kept) / len(due), 4) if due else None,
        ))
    return AttendanceGrid(tuple(waves), tuple(rows), tuple(summary))


def _value(person: dict, key: str, wave_label: str | None):
    if key in ("role", "site", "pseudonym"):
        return person.get(key)
    if wave_label is not None:
        wave_attrs = person.get("wave_attributes", {}).get(wave_label, {})
        if key in wave_attrs:
            return wave_attrs[key]
    return person.get("attributes", {}).get(key)


def describe(cube: Cube, *, by: str | None = None,
             order: Callable[[str, str], tuple] | None = None) -> SampleDescription:
    """Counts and percentages of attribute values, overall or by group or by wave.
    ``order(attribute, value)`` sorts values (and groups) by the attribute's declared
    type; without it, as text."""
    def ranked(key: str | None, value: str) -> tuple:
        if value == MISSING:
            return (1,)
        return (0, order(key, value)) if order and key else (0, (0, value))

    people = [p for p in cube.participants.values()]
    keys = ["role", "site"]
    extra = sorted({k for p in people for k in p.get("attributes", {})})
    wave_keys = sorted({k for p in people for attrs in p.get("wave_attributes", {}).values()
                        for k in attrs})
    keys += [k for k in extra + wave_keys if k not in keys]
    groups: dict[str, list[tuple[dict, str | None]]] = defaultdict(list)
    if by == "wave":
        for wave in cube.waves:
            members = [p for p in people if cube.observed(p["id"], wave["id"])]
            groups[wave["label"]] = [(p, wave["label"]) for p in members]
    else:
        for p in people:
            group = "all" if not by else (_value(p, by, None) or MISSING)
            groups[group].append((p, None))
    result: list[ValueCount] = []
    numeric: list[NumberSummary] = []
    for group in (list(groups) if by == "wave" else sorted(groups, key=lambda g: ranked(by, g))):
        entries = groups[group]
        size = len(entries)
        for key in keys:
            if key == by:
                continue
            if by != "wave" and key in wave_keys and key not in extra:
                # Per-wave attributes: describe them by wave, not in a fixed group.
                continue
            counts = Counter(str(_value(p, key, w)) if _value(p, key, w) is not None else MISSING
                             for p, w in entries)
            if set(counts) == {MISSING} and key not in ("role", "site"):
                continue
            numbers = _numbers([v for v in counts.elements() if v != MISSING])
            if numbers:
                numeric.append(NumberSummary(group, size, key, len(numbers), counts.get(MISSING, 0),
                                             median=_plain(statistics.median(numbers)),
                                             min=_plain(min(numbers)), max=_plain(max(numbers))))
            for value in sorted(counts, key=partial(ranked, key)):
                result.append(ValueCount(group, size, key, value, counts[value],
                                         round(100 * counts[value] / size, 1) if size else 0.0))
    return SampleDescription(by or "all", tuple(result), tuple(numeric))


def _numbers(values: list[str]) -> list[float]:
    """The values as numbers, or [] when any of them is not one."""
    try:
        return [float(v) for v in values]
    except ValueError:
        return []


def _plain(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 2)
