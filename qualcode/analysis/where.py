"""A filter of the shared language (:mod:`qualcode.filter_language`) bound to a project.

:func:`bind_where` checks the filter's names against the project (waves, attributes,
coders, roles and sites that exist; values that fit a declared type) and reads the
participants, their attributes and the declared types once, so that matching a
million codings asks nothing of the database. Participant-and-wave answers are cached:
a project has a few hundred (participant, wave) pairs however many codings it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import QualcodeError
from ..filter_language import (
    ORDERING,
    Condition,
    Where,
    attribute_ref,
    parse_condition,
    parse_where,
    split_filters,
)
from ..model import (
    CODING_FILTER_FIELDS,
    PARTICIPANT_FILTER_FIELDS,
    AttributeType,
    parse_number,
)
from ..store import study as store_study
from ..store.connection import Database


def bind_where(where: Where | Iterable[str] | str | None, db: Database) -> BoundWhere:
    """Check ``where`` (parsed, or texts to parse) against the project behind ``db``
    and read what matching needs, once."""
    if not isinstance(where, Where):
        where = parse_where(where)
    return BoundWhere(where, db)



@dataclass(slots=True)
class _Person:
    pid: str
    fields: dict[str, str | None]
    fixed: dict[str, str | None]
    by_wave: dict[str, dict[str, str | None]] = field(default_factory=dict)


class BoundWhere:
    """A :class:`Where` checked against one project, with the data it needs."""

    def __init__(self, where: Where, db: Database) -> None:
        self.where = where
        self.types: dict[str, AttributeType] = store_study.attribute_types(db)
        self.wave_order = {w["label"]: w["ordinal"] for w in store_study.list_waves(db)}
        self.people: dict[str, _Person] = {}
        for person in store_study.list_participants(db):
            self.people[person["pid"]] = _Person(
                person["pid"],
                {"participant": person["pid"], "pid": person["pid"],
                 "pseudonym": person["pseudonym"], "role": person["role"], "site": person["site"]},
                dict(person["attributes"]), {w: dict(a) for w, a in person["wave_attributes"].items()})
        self.coders = {c["name"] for c in store_study.list_coders(db)}
        self.conditions = tuple(self._checked(c) for c in where.conditions)
        self._participant_part = cache(self._participant_matches)

    # -- checking names ---------------------------------------------------------------

    def attribute_names(self) -> set[str]:
        names = set(self.types)
        for person in self.people.values():
            names.update(person.fixed)
            for attributes in person.by_wave.values():
                names.update(attributes)
        return names

    def _checked(self, condition: Condition) -> _Compiled:
        if condition.dotted and condition.wave not in self.wave_order:
            whole = f"{condition.wave}.{condition.name}"
            if whole in self.attribute_names() or condition.name not in self.attribute_names():
                condition = Condition(whole, condition.op, condition.values, None, False,
                                      condition.text, condition.position, condition.value_position)
        if condition.wave is not None and condition.wave not in self.wave_order:
            raise condition.error(f"no wave {condition.wave!r}"
                                  f"{_suggest(condition.wave, self.wave_order)}")
        if condition.is_field:
            return self._checked_field(condition)
        if condition.name not in self.attribute_names():
            raise condition.error(f"no attribute {condition.name!r}"
                                  f"{_suggest(condition.name, self.attribute_names())}")
        declared = self.types.get(condition.name)
        if declared is not None:
            try:
                targets = tuple(declared.coerce(v) for v in condition.values)
            except QualcodeError as error:
                raise condition.error(str(error), at_value=True) from None
            return _Compiled(condition, targets, declared)
        numbers = tuple(parse_number(v) for v in condition.values)
        if all(n is not None for n in numbers):
            return _Compiled(condition, numbers, AttributeType(condition.name, "number"))
        if condition.op in ORDERING:
            return _Compiled(condition, condition.values, None)
        return _Compiled(condition, tuple(v.casefold() for v in condition.values), None)

    def _checked_field(self, condition: Condition) -> _Compiled:
        name = condition.name
        known: Iterable[str] | None = None
        if name == "wave":
            known = self.wave_order
        elif name in ("participant", "pid"):
            known = self.people
        elif name in ("role", "site"):
            known = {v for p in self.people.values() if (v := p.fields[name])}
        elif name == "coder":
            known = self.coders
        if condition.op in ORDERING and name != "wave":
            raise condition.error(f"{name} takes = or != (only waves are ordered)")
        if known is not None:
            lowered = {k.casefold(): k for k in known}
            for value in condition.values:
                if value.casefold() not in lowered:
                    raise condition.error(f"no {name} {value!r}{_suggest(value, known)}",
                                          at_value=True)
        if name == "wave":
            return _Compiled(condition, tuple(self.wave_order[_exact(v, self.wave_order)]
                                              for v in condition.values), None)
        return _Compiled(condition, tuple(v.casefold() for v in condition.values), None)

    # -- matching ---------------------------------------------------------------------

    def matches(self, pid: str | None, wave: str | None, *, coder: str | None = None,
                speaker: str | Sequence[str] | None = None,
                transcript: str | None = None) -> bool:
        """Whether a coding (or a participant at a wave) passes every condition."""
        if not self.conditions:
            return True
        if not self._participant_part(pid, wave):
            return False
        for compiled in self.conditions:
            name = compiled.condition.name
            if not compiled.condition.is_field or name not in CODING_FILTER_FIELDS:
                continue
            given = {"coder": coder, "speaker": speaker, "transcript": transcript}[name]
            if given is None:
                raise compiled.condition.error(f"{name} is not known here: it cannot filter this")
            names = [given] if isinstance(given, str) else list(given)
            if not compiled.holds([n.casefold() for n in names if n]):
                return False
        return True

    def _participant_matches(self, pid: str | None, wave: str | None) -> bool:
        person = self.people.get(pid) if pid else None
        for compiled in self.conditions:
            condition = compiled.condition
            if condition.is_field:
                if condition.name in CODING_FILTER_FIELDS:
                    continue
                if condition.name == "wave":
                    found = [self.wave_order[wave]] if wave in self.wave_order else []
                elif person is None:
                    found = []
                else:
                    value = person.fields.get(condition.name)
                    found = [value.casefold()] if value else []
                if not compiled.holds(found):
                    return False
                continue
            value = self._raw_value(person, condition.wave or wave, condition.name,
                                    exact_wave=condition.wave is not None)
            if not compiled.holds(compiled.typed(value)):
                return False
        return True

    def participant_holds(self, pid: str, wave: str | None) -> bool:
        """Participant and wave conditions only (coding fields are skipped): for counts of
        participants, and to pick which people's codings to read at all."""
        return not self.conditions or self._participant_part(pid, wave)

    def _raw_value(self, person: _Person | None, wave: str | None, key: str, *,
                   exact_wave: bool = False) -> str | None:
        if person is None:
            return None
        if key in PARTICIPANT_FILTER_FIELDS:
            return person.fields.get(key)
        at_wave = person.by_wave.get(wave or "", {})
        if key in at_wave or exact_wave:
            return at_wave.get(key)
        return person.fixed.get(key)

    # -- values for --by ATTR ---------------------------------------------------------

    def value(self, pid: str, wave: str | None, key: str) -> Any:
        """The typed value of ``key`` (``W2.key``/``key@W2`` for a set wave) for ``pid``
        at ``wave``; None when the participant has none. Text stays as written."""
        name, at = attribute_ref(key, self.wave_order)
        raw = self._raw_value(self.people.get(pid), at or wave, name, exact_wave=at is not None)
        if raw is None:
            return None
        declared = self.types.get(name)
        if declared is None:
            return raw
        try:
            return declared.coerce(raw)
        except QualcodeError:
            return raw

    def sort_key(self, key: str, value: Any) -> tuple:
        """Orders the values of ``key`` by its declared type (numbers as numbers when
        undeclared values all are); None last."""
        name, _ = attribute_ref(key, self.wave_order)
        declared = self.types.get(name)
        if declared is None:
            declared = AttributeType(name, "number" if parse_number(str(value)) is not None
                                     else "text") if value is not None else AttributeType(name)
            if declared.kind == "number":
                return (0, 0, parse_number(str(value)))
            return (0, 1, str(value).casefold()) if value is not None else (2, "")
        return declared.sort_key(value)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A condition with its values typed once: ``declared`` is the type comparisons use
    (None: text without regard to case, or wave ordinals for the wave field)."""

    condition: Condition
    targets: tuple[Any, ...]
    declared: AttributeType | None

    def typed(self, raw: str | None) -> list[Any]:
        if raw is None:
            return []
        if self.declared is None:
            return [raw if self.condition.op in ORDERING else raw.casefold()]
        try:
            return [self.declared.coerce(raw)]
        except QualcodeError:
            return []  # a stored value that does not fit the type matches nothing

    def holds(self, found: list[Any]) -> bool:
        op = self.condition.op
        if op == "!=":
            return not any(v in self.targets for v in found)
        if not found:
            return False
        if op == "=":
            return any(v in self.targets for v in found)
        target = self.targets[0]
        if self.declared is not None and self.declared.kind == "category":
            order = self.declared.values
            found = [order.index(v) for v in found if v in order]
            target = order.index(target)
        try:
            return any(_ORDER_TESTS[op](v, target) for v in found)
        except TypeError:
            return False


_ORDER_TESTS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _exact(value: str, names: Iterable[str]) -> str:
    lowered = {n.casefold(): n for n in names}
    return lowered[value.casefold()]


def _suggest(name: str, known: Iterable[str]) -> str:
    known = sorted(k for k in known if k)
    if not known:
        return ""
    from rapidfuzz import process  # only on the error path

    best = process.extractOne(name, known, score_cutoff=60)
    if best is not None:
        return f"; did you mean {best[0]!r}?"
    shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    return f" (known: {shown})"


__all__ = ["BoundWhere", "Condition", "Where", "attribute_ref", "bind_where", "parse_condition",
           "parse_where", "split_filters"]
