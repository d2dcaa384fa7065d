"""``--where`` and ``--by ATTR`` for the analyses: the shared filter language
(:mod:`qualcode.analysis.where`) bound to a project, applied to the cube (people and
waves) or to codings, and attribute groupings ordered by the attribute's declared type.

An analysis that counts people at waves (matrix, change, the framework matrix) can
only keep or drop a participant at a wave: a filter on codings (``coder:``,
``speaker:``, ``transcript:``) cannot be honoured there and is refused with a message
that says so, never silently ignored."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import QualcodeError
from ..model import PARTICIPANT_FIELDS, format_number
from ..store import study as store_study
from .cube import BY, Cube, Grouping
from .where import BoundWhere, attribute_ref, bind_where, parse_where


def bind(db, where: Sequence[str] | None, *, analysis: str, codings: bool) -> BoundWhere | None:
    """The filter bound to the project, or None when there is none. ``codings``: the
    analysis reads codings one by one and can honour coding-level fields."""
    if not where:
        return None
    parsed = parse_where(list(where))
    if not codings:
        parsed.refuse_coding_fields(analysis)
    return bind_where(parsed, db)


def restrict(cube: Cube, bound) -> Cube:
    """The cube of the (participant, wave) pairs the filter keeps."""
    if bound is None:
        return cube
    return cube.restrict(lambda person, wave: bound.matches(person["pid"], wave))


def attribute_names(db) -> set[str]:
    """Every attribute a participant has (fixed or at some wave) or that is declared."""
    names = set(store_study.attribute_types(db))
    for person in store_study.list_participants(db):
        names |= set(person["attributes"])
        for values in person["wave_attributes"].values():
            names |= set(values)
    return names


def shown(value: object) -> str:
    """A typed value as a row label: ``45`` not ``45.0``, dates as YYYY-MM-DD."""
    if isinstance(value, float):
        return format_number(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def grouping(db, by: str) -> Grouping | None:
    """None for the built-in groupings (participant, wave, role, site); for an attribute
    (``age``, ``employment``, ``W2.employment``) its value of each person at each wave
    (a per-wave value at that wave, else the fixed one), sorted by declared type."""
    if by in BY:
        return None
    key = by.split(".", 1)[1] if "." in by else by.split("@", 1)[0]
    if key not in attribute_names(db) or key in PARTICIPANT_FIELDS:
        raise QualcodeError(f"--by {by!r} is not one of {', '.join(BY)} nor an attribute of any participant")
    bound = bind_where(None, db)
    return Grouping(by, lambda pid, wave: bound.value(pid, wave, by),
                    lambda value: bound.sort_key(by, value), shown)


def participant_ids(db) -> dict[int, str]:
    """Participant row id -> participant id (``P01``)."""
    return {person["id"]: person["pid"] for person in store_study.list_participants(db)}


def group_values(db, by: str, *, per_person: bool = False) -> list:
    """The values an attribute grouping (``--by ATTR``) takes, in the order of the
    attribute's declared type. With ``per_person`` each participant needs one value for
    the whole study (a trajectory cannot change group): the attribute must be fixed, or
    named at a wave (``W1.employment``); a per-wave attribute without one is refused."""
    if grouping(db, by) is None:
        raise QualcodeError(f"--by {by!r} here takes an attribute, not {by}")
    bound = bind_where(None, db)
    name, at = attribute_ref(by, bound.wave_order)
    if per_person and at is None and any(name in values for person in bound.people.values()
                                         for values in person.by_wave.values()):
        raise QualcodeError(f"{name} varies by wave: name the wave a participant is grouped by "
                            f"(--by W1.{name} or --by {name}@W1)")
    waves = [None] if per_person else [None, *bound.wave_order]
    values = {bound.value(pid, wave, by) for pid in bound.people for wave in waves}
    values.discard(None)
    return sorted(values, key=lambda value: bound.sort_key(by, value))


def group_condition(by: str, value) -> str:
    """The ``--where`` condition that keeps one group of ``--by ATTR``: ``age=29``,
    ``employment@W2="part time"``."""
    # No wave list: "W2.employment" stays whole and the filter reads its wave itself.
    name, at = attribute_ref(by, ())
    text = shown(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'{name}{"@" + at if at else ""}="{text}"'
