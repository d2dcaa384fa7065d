"""Replacing real names by pseudonyms in a text, and mapping offsets across it.

Matching is by whole word (a key entry "Sue" does not touch "Suez"), case-insensitive
for the first letter only (sentence-initial and lower-cased mentions of a name differ
in case; "May" the month versus "May" a person cannot be told apart here: the
suggestions list shows each hit in context for that reason). Longer names win over
shorter ones they contain ("Sue Smith" before "Sue").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    real: str
    pseudonym: str


def _pattern(reals: Iterable[str]) -> re.Pattern | None:
    names = sorted({r for r in reals if r.strip()}, key=len, reverse=True)
    if not names:
        return None
    alternatives = []
    for name in names:
        first, rest = name[0], re.escape(name[1:])
        head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" if first.isalpha() else re.escape(first)
        alternatives.append(head + rest)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _fold(word: str) -> str:
    return word[:1].lower() + word[1:]


def find_replacements(text: str, key: Mapping[str, str]) -> list[Replacement]:
    pattern = _pattern(key)
    if pattern is None:
        return []
    entries = {_fold(real): (real, pseudonym) for real, pseudonym in key.items()}
    found = []
    for m in pattern.finditer(text):
        real, pseudonym = entries[_fold(m.group(0))]
        found.append(Replacement(m.start(), m.end(), real, pseudonym))
    return found


class OffsetMap:
    """Maps offsets in the original text to offsets in the replaced one. An offset
    inside a replaced name maps to the start of its pseudonym, or to its end when it
    is the end of a span (so a span never loses the name it covered)."""

    def __init__(self, replacements: list[Replacement]):
        self._starts = [r.start for r in replacements]
        self._reps = replacements
        self._shift = []
        total = 0
        for r in replacements:
            total += len(r.pseudonym) - (r.end - r.start)
            self._shift.append(total)

    def __call__(self, offset: int, *, is_end: bool = False) -> int:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        r = self._reps[i]
        before = self._shift[i - 1] if i else 0
        if offset < r.end and offset > r.start:
            return r.start + before + (len(r.pseudonym) if is_end else 0)
        if offset == r.start:
            return r.start + before
        return offset + self._shift[i]


def replace_names(text: str, key: Mapping[str, str]) -> tuple[str, OffsetMap, list[Replacement]]:
    replacements = find_replacements(text, key)
    pieces, last = [], 0
    for r in replacements:
        pieces.append(text[last:r.start])
        pieces.append(r.pseudonym)
        last = r.end
    pieces.append(text[last:])
    return "".join(pieces), OffsetMap(replacements), replacements


def reidentify(text: str, key: Mapping[str, str]) -> str:
    """The reverse, with the key: pseudonyms back to the real names they stand for."""
    reverse = {}
    for real, pseudonym in key.items():
        reverse.setdefault(pseudonym, real)
    return replace_names(text, reverse)[0]


def pseudonymise_parsed(parsed, key: Mapping[str, str]):
    """A freshly read transcript with the name key applied: text, turn offsets and
    speaker labels. Returns it unchanged when nothing matches."""
    from dataclasses import replace as dc_replace

    if not key:
        return parsed
    text, offsets, reps = replace_names(parsed.text, key)
    if not reps and not any(t.speaker in key for t in parsed.turns):
        return parsed
    turns = [t._replace(speaker=key.get(t.speaker, t.speaker) if t.speaker else None,
                       start=offsets(t.start), end=offsets(t.end, is_end=True))
             for t in parsed.turns]
    notes = [*parsed.warnings, f"{len(reps)} name(s) replaced by pseudonyms from the name key"]
    return dc_replace(parsed, text=text, turns=turns, warnings=notes)
