"""Finding likely names, places and organisations that are still in the transcripts.

Three sources, strongest first: real names of the name key that appear in the text
(a leak, always reported); spaCy's named entities (PERSON, GPE, LOC, FAC, ORG) when a
trained English pipeline is installed; otherwise capitalised words that do not start a
sentence and are not common words, speaker labels, or pseudonyms already in use.
The heuristic over-reports by design: a person decides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

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
WORD = re.compile(r"(?<![\w'])[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")


class _StopWords:
    """spaCy's English stop words, loaded on first use: importing spaCy at start-up
    would cost every command a second."""

    def __contains__(self, word: str) -> bool:
        from spacy.lang.en.stop_words import STOP_WORDS as words

        return word in words


STOP_WORDS = _StopWords()
ENTITY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation"}


def heuristic_candidates(text: str, exclude: set[str]) -> Iterable[tuple[int, int, str]]:
    found = []
    for m in WORD.finditer(text):
        word = m.group(0)
        first = word.split()[0]
        if word in COMMON or word in exclude or first in COMMON or first.lower() in STOP_WORDS:
            continue
        if text[m.end():m.end() + 1] == ":":
            continue  # "Name:" is a speaker label
        before = text[max(0, m.start() - 3):m.start()]
        initial = not before.strip() or re.search(r"[.!?:\n\]]\s*$", before) is not None
        found.append((m.start(), m.end(), word, initial))
    # A capital at the start of a sentence says nothing by itself; keep such a word
    # when it is several capitalised words ("Sue Smith") or is capitalised mid-sentence
    # somewhere else too.
    mid_sentence = {word for _, _, word, initial in found if not initial}
    for start, end, word, initial in found:
        if not initial or " " in word or "-" in word or word in mid_sentence:
            yield start, end, "unknown"


def entity_candidates(texts: list[str]) -> Iterable[list[tuple[int, int, str]]]:
    import spacy

    from ..nlp import trained_pipeline_name

    name = trained_pipeline_name()
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
