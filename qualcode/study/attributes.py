"""Summaries of typed attributes (``qualcode attribute summary``): numbers as n, min,
median and max; dates as their range; categories as counts per declared value in the
declared order; text as counts per value. A per-wave attribute is summarised at each
wave (a participant counts at every wave where a value is recorded)."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError, QualcodeError
from ..model import PARTICIPANT_FIELDS, RESERVED_FILTER_NAMES, AttributeType, format_number
from ..store import study as store_study

if TYPE_CHECKING:
    from .service import StudyService


def attribute_summary(self: StudyService, key: str) -> dict[str, Any]:
    """``{"key", "kind", "values" (declared categories), "groups": [{"wave": None or a
    label, "n", ...}]}``: one group of the fixed values, one per wave of per-wave ones."""
    declared = store_study.attribute_types(self.db).get(key) or AttributeType(key)
    stored = store_study.attribute_values(self.db, key)
    if not stored and key not in store_study.attribute_types(self.db):
        raise NotFoundError(f"no participant has an attribute {key!r} and none is declared")
    by_group: dict[str | None, list[str]] = {}
    for _pid, wave, value in stored:
        if value is not None:
            by_group.setdefault(wave, []).append(value)
    groups = [{"wave": wave, **_summarise(declared, values)} for wave, values in by_group.items()]
    return {"key": key, "kind": declared.kind, "values": list(declared.values), "groups": groups}


def attribute_list(self: StudyService) -> list[dict[str, Any]]:
    """Every attribute a participant has or that is declared, by name: its type, how it
    is recorded (fixed, per wave, or both), how many participants have a value, and the
    distinct values in the order of the type (a category: its declared values)."""
    types = store_study.attribute_types(self.db)
    seen: dict[str, dict[str, Any]] = {}
    for person in store_study.list_participants(self.db):
        for where, values in [("fixed", person["attributes"]),
                              *(("per wave", v) for v in person["wave_attributes"].values())]:
            for key, value in values.items():
                entry = seen.setdefault(key, {"recorded": set(), "people": set(), "values": set()})
                entry["recorded"].add(where)
                if value is not None:
                    entry["people"].add(person["pid"])
                    entry["values"].add(value)
    rows = []
    for key in sorted(set(seen) | set(types)):
        declared = types.get(key) or AttributeType(key)
        entry = seen.get(key, {"recorded": set(), "people": set(), "values": set()})
        values = list(declared.values) if declared.kind == "category" else \
            sorted(entry["values"], key=declared.sort_key)
        rows.append({"key": key, "kind": declared.kind,
                     "recorded": " and ".join(sorted(entry["recorded"])) or "no values",
                     "participants": len(entry["people"]), "values": values})
    return rows


def _summarise(declared: AttributeType, values: list[str]) -> dict[str, Any]:
    if declared.kind == "date":
        days = sorted(dt.date.fromisoformat(declared.normalise(v)) for v in values)
        return {"n": len(days), "earliest": days[0].isoformat(), "latest": days[-1].isoformat()}
    if declared.kind == "number":
        numbers = sorted(float(declared.normalise(v)) for v in values)
        return {"n": len(numbers), "min": format_number(numbers[0]),
                "median": format_number(float(statistics.median(numbers))),
                "max": format_number(numbers[-1])}
    counts: dict[str, int] = {value: 0 for value in declared.values}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    order = sorted(counts, key=declared.sort_key)
    return {"n": len(values), "counts": {value: counts[value] for value in order}}


def sorted_values(types: dict[str, AttributeType], key: str, values: list[str]) -> list[str]:
    """Values of ``key`` in the order of its declared type (text when undeclared)."""
    declared = types.get(key) or AttributeType(key)
    return sorted(values, key=declared.sort_key)


def read_declarations(source: str, section: object) -> list[AttributeType]:
    """The ``attributes:`` section of a study file: ``NAME: TYPE`` or ``NAME: {type:
    TYPE, values: [...], description: ...}``; ``source`` names the file in errors."""
    if not isinstance(section, dict):
        raise QualcodeError(f"{source}: attributes maps attribute names to a type or {{type, values}}")
    declared = []
    for name, spec in section.items():
        if str(name) in RESERVED_FILTER_NAMES or str(name) in PARTICIPANT_FIELDS:
            raise QualcodeError(f"{source}: attributes.{name}: {name!r} is a field, not an attribute")
        if isinstance(spec, str):
            spec = {"type": spec}
        if not isinstance(spec, dict) or set(spec) - {"type", "values", "description"}:
            raise QualcodeError(f"{source}: attributes.{name} is a type or {{type, values, description}}")
        values = spec.get("values") or []
        if not isinstance(values, list):
            raise QualcodeError(f"{source}: attributes.{name}.values is a list")
        try:
            declared.append(AttributeType(str(name), str(spec.get("type") or "text"),
                                          tuple(str(v) for v in values), spec.get("description")))
        except QualcodeError as exc:
            raise QualcodeError(f"{source}: attributes.{name}: {exc}") from None
    return declared


def check_stored_values(db, source: str, declared: list[AttributeType]) -> None:
    """Every stored value fits its new type, else the first that does not is named."""
    for kind in declared:
        for pid, wave, value in store_study.attribute_values(db, kind.key):
            if value is None:
                continue
            try:
                kind.normalise(value)
            except QualcodeError as exc:
                at = f" at {wave}" if wave else ""
                raise QualcodeError(f"{source}: cannot declare {kind.key} as {kind.kind}: "
                                    f"{pid}{at}: {exc}") from None
