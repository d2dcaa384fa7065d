"""Finding likely names, places and organisations that are still in the transcripts.

Three sources, strongest first: real names of the name key that appear in the text
(a leak, always reported); spaCy's named entities (PERSON, GPE, LOC, FAC, ORG) when a
trained English pipeline is installed; otherwise capitalised words that do not start a
sentence and are not common words, speaker labels, or pseudonyms already in use. A
name is proposed whole: inner capitals (LaRoche, McCune), apostrophes (O'Neill),
particles (van der Berg) and double barrels (Smith-Jones) included, titles (Mrs, Dr) and
common words at its edges left out. The heuristic over-reports by design: a person
decides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ..errors import QualcodeError

# Capitalised words that are not identifying in interview talk.
COMMON = {
    "I", "I'm", "I've", "I'd", "I'll", "OK", "Okay", "Yeah", "Yes", "No", "Oh", "Well", "So", "And",
    "But", "Erm", "Um", "Mm", "Right", "GP", "GPs", "NHS", "A&E", "TV", "Christmas", "Easter",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "June", "July", "August", "September", "October", "November",
    "December", "English", "British", "England", "Mum", "Dad", "Nan", "Interviewer", "Moderator",
    "Several", "The", "It", "It's", "That", "That's", "We", "We're", "You", "You're", "They",
    "There", "What", "When", "Where", "Why", "How", "If", "Then", "Because", "Not", "Just",
}
# One part of a name: "Smith", inner capitals ("LaRoche", "McCune", "MacLeod"), an
# apostrophe ("O'Neill", "D'Arcy"), double-barrelled ("Smith-Jones").
_PART = r"(?:[A-Z][a-z]*[A-Z][a-z]+|[A-Z]['\u2019][A-Z]?[a-z]+|[A-Z][a-z]+)"
_BARRELLED = rf"{_PART}(?:-{_PART})*"
# Lower-case particles inside a name ("van der Berg", "da Silva", "de la Cruz").
_PARTICLE = r"(?:van|von|der|den|de|del|della|da|das|dos|du|la|le|di|bin|al|el|ter|ten)"
WORD = re.compile(
    rf"(?<![\w'\u2019])(?:{_PARTICLE}\s+)*{_BARRELLED}(?:[ ](?:{_PARTICLE}\s+)*{_BARRELLED})*"
)
# Titles: part of how a name is written, never a name themselves.
TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "Lady",
                    "Rev", "Revd", "Reverend", "Cllr", "Councillor", "Fr", "Father", "Sister", "Nurse"})


class _StopWords:
    """spaCy's English stop words, loaded on first use: importing spaCy at start-up
    would cost every command a second."""

    def __contains__(self, word: str) -> bool:
        from spacy.lang.en.stop_words import STOP_WORDS as words

        return word in words


STOP_WORDS = _StopWords()
ENTITY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation"}


def _trim(words: list[tuple[int, int, str]], text_words: set[str]) -> list[tuple[int, int, str]]:
    """A candidate without the titles and common words at its edges ("Mrs Hale" ->
    "Hale", "Anyway Leanne" -> "Leanne"): words such as "Anyway" are common when the
    text also has them in lower case, or they are stop words or everyday capitals."""

    def common(word: str) -> bool:
        bare = word.rstrip(".")
        return (bare in TITLES or bare in COMMON or bare.lower() in STOP_WORDS
                or (bare.lower() in text_words and bare[1:].islower()))

    while words and common(words[0][2]):
        words = words[1:]
    while words and common(words[-1][2]):
        words = words[:-1]
    # A particle cannot end a name, nor start one left without its surname.
    while words and words[-1][2][0].islower():
        words = words[:-1]
    return words


def heuristic_candidates(text: str, exclude: set[str]) -> Iterable[tuple[int, int, str]]:
    text_words = {w for w in re.findall(r"[a-z]+", text)}
    found = []
    for m in WORD.finditer(text):
        words = [(m.start() + w.start(), m.start() + w.end(), w.group(0)) for w in re.finditer(r"\S+", m.group(0))]
        kept = _trim(words, text_words)
        if not kept:
            continue
        start, end = kept[0][0], kept[-1][1]
        word = text[start:end]
        if word in exclude or word in COMMON:
            continue
        if text[end:end + 1] == ":" and not text[end + 1:end + 2].strip():
            continue  # "Name:" is a speaker label
        before = text[max(0, start - 3):start]
        initial = not before.strip() or re.search(r"[.!?:\n\]]\s*$", before) is not None
        found.append((start, end, word, initial))
    # A capital at the start of a sentence says nothing by itself; keep such a word
    # when it is several words ("Sue Smith", "van der Berg"), has a capital or an
    # apostrophe inside ("LaRoche", "O'Neill"), or is capitalised mid-sentence too.
    mid_sentence = {word for _, _, word, initial in found if not initial}
    for start, end, word, initial in found:
        shaped = " " in word or "-" in word or any(c.isupper() for c in word[1:]) or "'" in word or "\u2019" in word
        if not initial or shaped or word in mid_sentence:
            yield start, end, "unknown"


def entity_candidates(texts: list[str]) -> Iterable[list[tuple[int, int, str]]]:
    import spacy

    from ..nlp import trained_pipeline_name

    name = trained_pipeline_name()
    if name is None:  # (callers look for entities only when a trained pipeline is installed)
        raise QualcodeError("finding named entities needs a trained spaCy pipeline")
    nlp = spacy.load(name, exclude=["lemmatizer"])
    for doc in nlp.pipe(texts, batch_size=16):
        yield [(e.start_char, e.end_char, ENTITY_KINDS[e.label_]) for e in doc.ents if e.label_ in ENTITY_KINDS]


def collect(hits: dict, text: str, transcript: str, start: int, end: int, kind: str, source: str) -> None:
    word = text[start:end]
    entry = hits.setdefault(word, {"text": word, "kind": kind, "source": source, "count": 0,
                                   "transcripts": set(), "example": None})
    entry["count"] += 1
    entry["transcripts"].add(transcript)
    if entry["example"] is None:
        entry["example"] = " ".join(text[max(0, start - 40):min(len(text), end + 40)].split())


def proposal(kind: str, counter: dict) -> str:
    counter[kind] += 1
    label = {"person": "Person", "place": "Place", "organisation": "Organisation"}.get(kind, "Name")
    return f"[{label} {counter[kind]}]"


def number_proposals(hits: dict) -> list[dict]:
    counter: dict[str, int] = defaultdict(int)
    result = []
    for entry in sorted(hits.values(), key=lambda e: (-e["count"], e["text"])):
        entry = dict(entry, transcripts=sorted(entry["transcripts"]))
        entry["proposed"] = entry.get("pseudonym") or proposal(entry["kind"], counter)
        result.append(entry)
    return result
