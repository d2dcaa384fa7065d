"""Full-text search over the turns of every transcript (SQLite FTS5), with matches in
keyword-in-context form; text in scripts written without spaces is searched as text."""

from __future__ import annotations

import functools
import re
import unicodedata

from ..context import Service
from ..errors import QualcodeError
from ..nlp import UNSPACED
from ..records.transcripts import KwicMatch, SearchHit
from ..store import transcripts as store_tx


class SearchService(Service):
    """Turns matching a query."""

    # --- search ------------------------------------------------------------------------

    def turns(
        self,
        query: str,
        *,
        kwic: int = 40,
        participant: str | None = None,
        wave: str | None = None,
        speaker: str | None = None,
        limit: int = 500,
    ) -> list[SearchHit]:
        """Turns matching an FTS5 query (words, "phrases", prefix*), each with its
        matches in keyword-in-context form (``kwic`` characters either side).

        A query in a script written without spaces between words (Chinese, Japanese,
        Thai...) is searched as text instead: the index holds a whole run of such
        characters as one word, so it cannot find a word inside one."""

        if not query.strip():
            raise QualcodeError("search query is empty")
        texts: dict[int, str] = {}

        def text_of(transcript_id: int) -> str:
            text = texts.get(transcript_id)
            if text is None:
                text = texts[transcript_id] = store_tx.transcript_text(self.db, transcript_id)
            return text

        pattern: re.Pattern[str] | None
        if UNSPACED.search(query):
            terms = _text_search_terms(query)
            term_patterns = [re.compile(re.escape(_fold_text(t)), re.IGNORECASE) for t in terms]
            # Terms that neither case nor accents can change (ideographs, kana) are first
            # looked for in the text as it is, at C speed: folding every turn in Python
            # took most of the time of such a search.
            plain = [t for t in terms if _fold_text(t) == t and t.lower() == t == t.upper()]
            hits = []
            for turn in store_tx.search_turns(self.db, None, participant=participant, wave=wave,
                                              speaker=speaker, limit=None):
                raw = text_of(turn["transcript_id"])[turn["start"]:turn["end"]]
                if not all(t in raw for t in plain):
                    continue
                speech = _fold_text(raw)
                if all(p.search(speech) for p in term_patterns):
                    hits.append(turn)
                    if len(hits) >= limit:
                        break
            pattern = re.compile("|".join(p.pattern for p in sorted(term_patterns, key=lambda p: -len(p.pattern))),
                                 re.IGNORECASE)
        else:
            hits = store_tx.search_turns(self.db, fts_query(query), participant=participant, wave=wave,
                                         speaker=speaker, limit=limit, as_written=query)
            pattern = _match_pattern(fts_query(query))
        found = []
        for hit in hits:
            text = text_of(hit["transcript_id"])
            start, end = hit["start"], hit["end"]
            speech = _fold_text(text[start:end])
            matches = []
            for m in pattern.finditer(speech) if pattern else ():
                a, b = start + m.start(), start + m.end()
                matches.append(KwicMatch(a, b, _squash(text[max(start, a - kwic):a]), text[a:b],
                                         _squash(text[b:min(end, b + kwic)])))
            found.append(SearchHit(hit["transcript"], hit["turn"], hit["speaker"], hit["participant"],
                                   hit["wave"], start, end, tuple(matches)))
        return found


def _squash(text: str) -> str:
    return " ".join(text.split())


# A query token: a "phrase" (perhaps unterminated, perhaps with a prefix star), or a
# run of anything but white space, parentheses, quotes and commas (which FTS5 syntax uses).
_QUERY_TOKEN = re.compile(r'"(?:[^"]|"")*(?:"\*?)?|[^\s()",]+')
# What FTS5 accepts as a bare word (letters, digits, "_", any non-ASCII character),
# with the optional "^" (first token) and "*" (prefix) around it.
_BAREWORD = re.compile(r"\^?[\w\u0080-\U0010ffff]+\*?")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR", "+"})


def _text_search_terms(query: str) -> list[str]:
    """The terms of a query searched as text: words and "phrases", all required."""
    terms = []
    for token in _QUERY_TOKEN.findall(query):
        if token == "AND":
            continue
        if token in _OPERATORS:
            raise QualcodeError(
                f"search query {query!r}: in Chinese, Japanese or Thai text a search finds the "
                f"turns holding every word given; {token} is not available there"
            )
        core = token[1:] if token.startswith('"') else token
        core = (core[:-1] if core.endswith('"') else core).replace('""', '"').rstrip("*").lstrip("^")
        if core.strip():
            terms.append(core)
    if not terms:
        raise QualcodeError(f"search query {query!r} has nothing to search for")
    return terms


def fts_query(query: str) -> str:
    """The query with every word FTS5 cannot take bare quoted as a phrase.

    Transcripts are full of "full-time", "don't", "Leanne's" and "10:30", which FTS5
    reads as a column filter or a syntax error; quoted, each is the phrase of its
    tokens, which is what the researcher meant. Phrases, operators (upper case, as
    FTS5 wants them), parentheses and NEAR(..., N) are left as written.
    """

    def fix(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith('"') or token in _OPERATORS or _BAREWORD.fullmatch(token):
            return token
        if token.startswith("-") and token.strip("-"):
            # Quoted, "-money" would find money: the opposite of what was meant.
            raise QualcodeError(
                f"search query {query!r}: to leave out turns with a word write NOT {token[1:]}, "
                f"not {token} (and put it after what you are looking for)"
            )
        caret = "^" if token.startswith("^") else ""
        star = "*" if token.endswith("*") else ""
        core = token[len(caret):len(token) - len(star)]
        if not core:
            return token
        return f'{caret}"{core.replace(chr(34), chr(34) * 2)}"{star}'

    return _QUERY_TOKEN.sub(fix, query)


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """One character without its accents (one character for one, so offsets hold),
    as the FTS5 index folds them (remove_diacritics)."""
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isalnum() == char.isalnum() else char


def _fold_text(text: str) -> str:
    return "".join(_fold(c) for c in text)


def _match_pattern(query: str) -> re.Pattern | None:
    """A regex finding, in accent-folded turn text, the words and phrases an FTS5
    query (as :func:`fts_query` gives it) matched."""
    # NEAR(a b, 10): the distance is not something said.
    query = re.sub(r",\s*\d+\s*\)", ")", query)
    parts = []
    for token in _QUERY_TOKEN.findall(query):
        if token in _OPERATORS:
            continue
        words = re.findall(r"\w+", _fold_text(token.replace('""', '"')))
        if not words:
            continue
        prefix = token.endswith("*")
        pieces = [re.escape(w) + r"\b" for w in words]
        if prefix:
            pieces[-1] = re.escape(words[-1]) + r"\w*"
        parts.append(r"\b" + r"\W+".join(pieces))
    if not parts:
        return None
    # Longest first, so a phrase wins over one of its own words.
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE)
