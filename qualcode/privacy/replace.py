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
from collections.abc import Callable, Iterable, Mapping
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


def text_replacer(key: Mapping[str, str]) -> Callable[[str], str]:
    """:func:`replace_names` for many short texts: the pattern is built once."""
    pattern = _pattern(key)
    if pattern is None:
        return lambda text: text
    entries = {_fold(real): pseudonym for real, pseudonym in key.items()}
    return lambda text: pattern.sub(lambda m: entries[_fold(m.group(0))], text)


def reidentify(text: str, key: Mapping[str, str]) -> str:
    """The reverse, with the key: pseudonyms back to the real names they stand for."""
    reverse: dict[str, str] = {}
    for real, pseudonym in key.items():
        reverse.setdefault(pseudonym, real)
    return replace_names(text, reverse)[0]


# In a file or transcript name, words are joined by _ - . or spaces, and a digit may
# follow a name directly ("Margaret_Thornbury_W1", "thornbury-2"): a name there is
# bounded by anything but a letter, and matched whatever its case.
_NAME_JOINER = r"[\s_.\-]+"


def _name_pattern(reals: Iterable[str]) -> re.Pattern | None:
    names = sorted({r for r in reals if r.strip()}, key=len, reverse=True)
    if not names:
        return None
    alternatives = [_NAME_JOINER.join(re.escape(word) for word in re.split(_NAME_JOINER, name.strip()))
                    for name in names]
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(alternatives) + r")(?![^\W\d_])", re.IGNORECASE)


def name_replacer(key: Mapping[str, str]) -> Callable[[str], str]:
    """A file or transcript name with the key applied: ``Margaret_Thornbury_W1`` becomes
    ``Maggie_W1``; the pseudonym's spaces take the name's joiner (``_`` by default)."""
    pattern = _name_pattern(key)
    if pattern is None:
        return lambda name: name

    def fold(text: str) -> str:
        return " ".join(re.split(_NAME_JOINER, text.strip())).casefold()

    folded = {fold(real): pseudonym for real, pseudonym in key.items()}

    def swap(match: re.Match) -> str:
        found = match.group(0)
        joiner = next((c for c in found if not c.isalnum()), "_")
        pseudonym = folded[fold(found)]
        return joiner.join(pseudonym.split()) if joiner != " " else pseudonym

    return lambda name: pattern.sub(swap, name) if name else name


def replace_in_name(name: str, key: Mapping[str, str]) -> str:
    return name_replacer(key)(name)


def pseudonymise_parsed(parsed, key: Mapping[str, str]):
    """A freshly read transcript with the name key applied: text, turn offsets, speaker
    labels and the file's name. Returns it unchanged when nothing matches."""
    from dataclasses import replace as dc_replace

    if not key:
        return parsed
    source_name = replace_in_name(parsed.source_name, key)
    if source_name != parsed.source_name:
        parsed = dc_replace(parsed, source_name=source_name)
    text, offsets, reps = replace_names(parsed.text, key)
    if not reps and not any(t.speaker in key for t in parsed.turns):
        return parsed
    turns = [t._replace(speaker=key.get(t.speaker, t.speaker) if t.speaker else None,
                       start=offsets(t.start), end=offsets(t.end, is_end=True))
             for t in parsed.turns]
    notes = [*parsed.warnings, f"{len(reps)} name(s) replaced by pseudonyms from the name key"]
    return dc_replace(parsed, text=text, turns=turns, warnings=notes)
