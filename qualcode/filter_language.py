"""One filter language for every analysis, export and query: ``--where``.

A filter is a list of conditions that must all hold (AND). Each condition is one atom
with no spaces outside quotes::

    wave:W3            role:client        site:"North Town"     coder:anna
    speaker:C05        participant:C05    transcript:C05_W2     wave>=W2
    sex=F              age>=50            age<65                start<2024-06-01
    W2.employment=unemployed              employment@W2=unemployed
    site:North,South   (a comma list: any of the values)          sex!=F

``NAME:VALUE`` and ``NAME=VALUE`` mean the same. Names are fields (participant, pid,
pseudonym, role, site, wave, coder, speaker, transcript: :data:`RESERVED_FILTER_NAMES`)
or participant attributes. An attribute is looked up at the wave of what is being
filtered (its per-wave value there, else its fixed value); ``W2.key`` or ``key@W2``
reads it at wave W2 whatever is being filtered: "clients unemployed at W2" when
counting their W3 codings.

Comparisons follow the attribute's declared type (:class:`qualcode.model.AttributeType`):
numbers numerically, dates as dates, categories in their declared order, text without
regard to case. An undeclared attribute compares numerically when the condition's
value is a number and the stored one is too. A condition on a value a participant does
not have is false, except ``!=``, which holds ("not F" includes "not recorded").

Parsing needs nothing but the text, so errors in spelling point at their position
(:class:`qualcode.errors.QueryError`); :func:`qualcode.analysis.where.bind_where` then checks names against the
project (unknown waves, attributes, coders, roles) and returns a ``BoundWhere``
that answers ``matches`` from data read once.

This module is the language only (no project, no database), so that the faces can
parse what is typed and show errors before anything is opened;
:mod:`qualcode.analysis.where` binds a parsed filter to a project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import QueryError
from .model import CODING_FILTER_FIELDS, RESERVED_FILTER_NAMES

#: Comparison operators, longest first so that ``<=`` is not read as ``<``.
OPERATORS = ("!=", "<=", ">=", "=", "<", ">", ":")
ORDERING = ("<", "<=", ">", ">=")
_BARE = re.compile(r'[^\s"=!<>:,]+')


@dataclass(frozen=True, slots=True)
class Condition:
    """One parsed atom: ``name`` (a field or an attribute), the wave it is read at
    (``W2.key``/``key@W2``; ``dotted`` when the ``W2.`` form may also be a key with a
    dot in it), the operator and the values (several only for ``=``/``!=``)."""

    name: str
    op: str
    values: tuple[str, ...]
    wave: str | None = None
    dotted: bool = False
    text: str = ""
    position: int = 0
    value_position: int = 0
    end: int = 0

    @property
    def is_field(self) -> bool:
        return self.wave is None and self.name in RESERVED_FILTER_NAMES

    def error(self, message: str, *, at_value: bool = False) -> QueryError:
        return QueryError(message, text=self.text,
                          position=self.value_position if at_value else self.position)


@dataclass(frozen=True, slots=True)
class Where:
    """Conditions that must all hold; an empty one holds for everything."""

    conditions: tuple[Condition, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.conditions)

    def __str__(self) -> str:
        return " ".join(c.text[c.position:c.end] for c in self.conditions)

    def fields(self) -> set[str]:
        """The coding-level fields used (coder, speaker, transcript): a participant-level
        analysis cannot honour them."""
        return {c.name for c in self.conditions if c.is_field and c.name in CODING_FILTER_FIELDS}

    def refuse_coding_fields(self, what: str) -> None:
        """Raise the error a participant-level analysis (``what``) gives a coding filter."""
        for condition in self.conditions:
            if condition.is_field and condition.name in CODING_FILTER_FIELDS:
                raise condition.error(f"{what} counts participants, not codings: "
                                      f"it cannot filter by {condition.name}")


def parse_where(texts: Iterable[str] | str | None) -> Where:
    """Conditions from ``--where`` options: each may hold several atoms."""
    if texts is None:
        return Where()
    if isinstance(texts, str):
        texts = [texts]
    conditions: list[Condition] = []
    for text in texts:
        for atom, position in split_filters(text):
            conditions.append(parse_condition(text, position, end=position + len(atom)))
    return Where(tuple(conditions))


def split_filters(text: str) -> list[tuple[str, int]]:
    """The atoms of ``text`` with their offsets; spaces inside quotes do not split."""
    atoms: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        start = i
        while i < len(text) and not text[i].isspace():
            if text[i] == '"':
                i = _closing_quote(text, i) + 1
            else:
                i += 1
        atoms.append((text[start:i], start))
    return atoms


def parse_condition(text: str, position: int = 0, *, end: int | None = None) -> Condition:
    """The one condition in ``text[position:end]`` (the whole rest by default).

    ``text`` is the whole query or option, so that an error points into it."""
    end = len(text) if end is None else end
    i = position
    name, i = _read_word(text, i, end, what="an attribute or field name")
    wave = None
    dotted = False
    if i < end and text[i] == "@":
        wave, i = _read_word(text, i + 1, end, what="a wave after '@'")
    elif "." in name and not name.startswith(".") and text[position] != '"':
        head, _, tail = name.partition(".")
        if tail:
            wave, name, dotted = head, tail, True
    op = next((o for o in OPERATORS if text.startswith(o, i)), None)
    if op is None or i >= end:
        raise QueryError(f"expected one of {' '.join(OPERATORS)} after {name!r}", text=text,
                         position=i)
    value_position = i + len(op)
    values: list[str] = []
    i = value_position
    while True:
        value, i = _read_word(text, i, end, what=f"a value after {op!r}")
        values.append(value)
        if i < end and text[i] == ",":
            i += 1
            continue
        break
    if i < end:
        raise QueryError("unexpected text after the value (put values with spaces or commas "
                         "in double quotes)", text=text, position=i)
    op = "=" if op == ":" else op
    if op in ORDERING and len(values) > 1:
        raise QueryError(f"{op} takes one value, not a list", text=text, position=value_position)
    return Condition(name, op, tuple(values), wave, dotted, text, position, value_position, i)


def _read_word(text: str, i: int, end: int, *, what: str) -> tuple[str, int]:
    if i < end and text[i] == '"':
        close = _closing_quote(text, i)
        if close >= end:
            raise QueryError("a double quote is not closed", text=text, position=i)
        return text[i + 1:close].replace('\\"', '"'), close + 1
    match = _BARE.match(text, i, end)
    if match is None:
        raise QueryError(f"expected {what}", text=text, position=i)
    word = match.group()
    if "@" in word and what.startswith("an attribute"):
        word = word.partition("@")[0]
    return word, i + len(word)


def _closing_quote(text: str, opening: int) -> int:
    i = opening + 1
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 2
            continue
        if text[i] == '"':
            return i
        i += 1
    return len(text)


def attribute_ref(key: str, waves: Iterable[str] = ()) -> tuple[str, str | None]:
    """``employment@W2`` or ``W2.employment`` -> ("employment", "W2"); a plain key -> (key,
    None). The dotted form is a wave only when its head is one of ``waves``."""
    name, at, wave = key.partition("@")
    if at:
        return name, wave
    head, dot, tail = key.partition(".")
    if dot and tail and head in set(waves):
        return tail, head
    return key, None
