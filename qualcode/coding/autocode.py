"""Auto-coding helpers. They only ever *suggest*: the user accepts the suggestions
(all of them with ``apply``), and an accepted batch is one undoable action."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from ..errors import QualcodeError
from ..model import AUTOCODE_SCOPES
from ..records.codings import Coding, Suggestion
from ..store import codes as store_codes
from ..store import transcripts as store_tx

if TYPE_CHECKING:
    from .service import CodingService


SCOPES = AUTOCODE_SCOPES


def _transcript_names(self: CodingService, transcripts) -> list[str]:
    names = list(transcripts) if transcripts else [t["name"] for t in store_tx.list_transcripts(self.db)]
    for name in names:
        store_tx.transcript_row(self.db, name)  # fails clearly on an unknown name
    return names

def _already(self: CodingService, code_id: int) -> set[tuple[str, int, int]]:
    return store_codes.coded_spans(self.db, code_id)

def suggest_by_speaker(self: CodingService, code: str, speaker: str, transcripts=None) -> list[Suggestion]:
    """Every turn of a speaker label (e.g. one focus-group member), or of a
    participant id when ``speaker`` is one."""
    code_row = self._codable(code)
    done = self._already(code_row["id"])
    result = []
    for name in self._transcript_names(transcripts):
        row = store_tx.transcript_row(self.db, name)
        text = store_tx.transcript_text(self.db, row["id"])
        for turn in store_tx.turns_of(self.db, row["id"]):
            if speaker not in (turn["speaker"], turn["participant"]) or turn["end"] <= turn["start"]:
                continue
            if turn["participant"] == speaker and turn["interviewer"]:
                continue
            if (name, turn["start"], turn["end"]) in done:
                continue
            result.append(Suggestion(name, code, turn["start"], turn["end"],
                                     f"turn {turn['seq']} by {turn['speaker']}",
                                     text[turn["start"]:turn["end"]]))
    return result

def suggest_by_pattern(self: CodingService, code: str, pattern: str, *, fts: bool = False, scope: str = "sentence",
                       transcripts=None, include_interviewer: bool = False) -> list[Suggestion]:
    """Sentences (or turns, or the exact matches) that match a regular expression
    or, with ``fts``, an FTS5 query."""
    if scope not in SCOPES:
        raise QualcodeError(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
    code_row = self._codable(code)
    names = self._transcript_names(transcripts)
    if fts:
        from ..ingest.search import _match_pattern

        hits = store_tx.search_turns(self.db, pattern, limit=1_000_000)
        regex = _match_pattern(pattern)
        if regex is None:
            raise QualcodeError(f"search query {pattern!r} has no words to find")
        allowed = {(h["transcript"], h["turn"]) for h in hits}
    else:
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise QualcodeError(f"pattern {pattern!r} is not a valid regular expression ({exc})") from None
        allowed = None
    return self._suggest_matches(code, code_row["id"], names, regex, scope, allowed,
                                 include_interviewer, reason=f"matches {pattern!r}")

def suggest_by_keywords(self: CodingService, codes=None, *, scope: str = "sentence", transcripts=None,
                        include_interviewer: bool = False) -> list[Suggestion]:
    """Sentences containing a code's keywords, found with spaCy's PhraseMatcher
    (on lemmas with a trained pipeline, on lower-cased words otherwise). Keywords
    in Chinese, Japanese or Thai are found as text: those scripts are written without
    spaces, so a word is not a token of its own there."""
    from spacy.matcher import PhraseMatcher

    from ..nlp import UNSPACED, pipeline, trained_pipeline_name

    nlp = pipeline()
    attr = "LEMMA" if trained_pipeline_name() else "LOWER"
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    unspaced: dict[str, re.Pattern] = {}  # code name -> its keywords written without spaces
    chosen = [self._codable(c) for c in codes] if codes else [
        c for c in store_codes.live_codes(self.db) if c["codable"] and c["keywords"]]
    for code in chosen:
        keywords = [str(k) for k in json.loads(code["keywords"])] if code["keywords"] else []
        as_text = [k for k in keywords if UNSPACED.search(k)]
        if as_text:
            unspaced[code["name"]] = re.compile("|".join(map(re.escape, as_text)), re.IGNORECASE)
        keywords = [k for k in keywords if k not in as_text]
        if keywords:
            patterns = list(nlp.pipe(keywords)) if attr == "LEMMA" else [nlp.make_doc(k) for k in keywords]
            matcher.add(code["name"], patterns)
    if not len(matcher) and not unspaced:
        raise QualcodeError("no keywords to match: give codes keywords in the codebook")
    result: list[Suggestion] = []
    done = {c["name"]: self._already(c["id"]) for c in chosen}
    for name in self._transcript_names(transcripts):
        row = store_tx.transcript_row(self.db, name)
        text = store_tx.transcript_text(self.db, row["id"])
        turns = [t for t in store_tx.turns_of(self.db, row["id"])
                 if include_interviewer or not t["interviewer"]]
        units = self._units(row["id"], turns, scope)
        docs = nlp.pipe(text[a:b] for a, b in units) if attr == "LEMMA" else \
            (nlp.make_doc(text[a:b]) for a, b in units)
        for (a, b), doc in zip(units, docs):
            found = [(nlp.vocab.strings[match_id], doc[s:e].start_char, doc[s:e].end_char)
                     for match_id, s, e in (matcher(doc) if len(matcher) else ())]
            found += [(code_name, m.start() - a, m.end() - a) for code_name, pattern in unspaced.items()
                      for m in pattern.finditer(text, a, b)]
            seen = set()
            for code_name, s, e in found:
                start, end = (a + s, a + e) if scope == "match" else (a, b)
                key = (code_name, start, end)
                if key in seen or (name, start, end) in done[code_name]:
                    continue
                seen.add(key)
                result.append(Suggestion(name, code_name, start, end,
                                         f"keyword {text[a + s:a + e]!r}", text[start:end]))
    return result

def _units(self: CodingService, transcript_id: int, turns: list[dict], scope: str) -> list[tuple[int, int]]:
    if scope == "turn":
        return [(t["start"], t["end"]) for t in turns if t["end"] > t["start"]]
    starts = {t["start"]: t for t in turns}
    allowed_turns = {t["seq"] for t in starts.values()}
    return [(s["start"], s["end"]) for s in store_tx.sentences_of(self.db, transcript_id)
            if s["turn"] in allowed_turns]

def _suggest_matches(self: CodingService, code, code_id, names, regex, scope, allowed_turns,
                     include_interviewer, reason) -> list[Suggestion]:
    done = self._already(code_id)
    result = []
    for name in names:
        row = store_tx.transcript_row(self.db, name)
        text = store_tx.transcript_text(self.db, row["id"])
        turns = [t for t in store_tx.turns_of(self.db, row["id"])
                 if (include_interviewer or not t["interviewer"])
                 and (allowed_turns is None or (name, t["seq"]) in allowed_turns)]
        units = self._units(row["id"], turns, "turn" if scope == "match" else scope)
        seen = set()
        for a, b in units:
            for m in regex.finditer(text, a, b):
                if m.end() <= m.start():
                    continue
                start, end = (m.start(), m.end()) if scope == "match" else (a, b)
                if (start, end) in seen or (name, start, end) in done:
                    continue
                seen.add((start, end))
                result.append(Suggestion(name, code, start, end, reason, text[start:end]))
    return result

def apply_suggestions(self: CodingService, suggestions: list[Suggestion], *,
                      summary: str | None = None) -> list[Coding]:
    if not suggestions:
        raise QualcodeError("no suggestions to apply")
    return self.apply_spans(
        [(s.transcript, s.code, s.start, s.end) for s in suggestions],
        summary=summary or f"auto-coded {len(suggestions)} segment(s)",
    )
