"""Sentences where spaCy's sentencizer puts them, without tokenizing every word.

The sentencizer's rule looks at a token only to ask whether it is one of the
sentence-ending characters, or punctuation, or neither. spaCy's tokenizer cuts a text
at white space first and then tokenizes each run of other characters (a "chunk") on
its own. So where a sentence starts depends only on the chunks that hold an ending
character and on what follows each, up to the first chunk with a character that is
not punctuation. Those chunks, with the white space between them, are tokenized; the
chunks in between, which cannot start a sentence, are not. In an interview that is a
fifth of the text, and splitting takes half the time of tokenizing it all.

The pieces of a batch of texts are tokenized as one string, a separator token before
each: "x <piece> x <piece> ... x". The separator resets the rule as an ordinary word
does. A sentence start found on one means that a piece ended still waiting for its
next sentence (more punctuation than the pieces follow, or a character beyond the
Basic Multilingual Plane read wrongly); that text is then split the whole way, as
:func:`qualcode.nlp._sentencizer_bounds` does. The one exception is the separator
after a text's last piece when the text ends there: the whole text's rule would start
a sentence of white space there, which trimming drops.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Iterable, Iterator

from . import nlp

#: Stands between the pieces: one token, neither punctuation nor an ending character.
SEPARATOR = "x"
#: The pieces follow at most this many chunks of punctuation after a chunk with an
#: ending character; a longer run shows as a start on a separator.
PUNCTUATION_RUN = 8
_PLANE = 0x10000  # the Basic Multilingual Plane


class CharacterTables:
    """A byte of flags for each character of the Basic Multilingual Plane: white space
    (as the tokenizer's ``str.isspace``), a sentence-ending character, punctuation (as
    spaCy's ``is_punct``: a character in a "P" category). The ending characters beyond
    that plane are listed apart; other characters beyond it count as neither space nor
    punctuation."""

    SPACE, ENDER, PUNCT = 1, 2, 4

    def __init__(self, punct_chars: Iterable[str]) -> None:
        import numpy as np

        flags = np.zeros(_PLANE, dtype=np.uint8)
        for code in range(_PLANE - 1):  # U+FFFF, a noncharacter, stands for those beyond
            character = chr(code)
            if character.isspace():
                flags[code] |= self.SPACE
            elif unicodedata.category(character).startswith("P"):
                flags[code] |= self.PUNCT
        beyond = []
        for character in punct_chars:
            if ord(character) < _PLANE - 1:
                flags[ord(character)] |= self.ENDER
            else:
                beyond.append(ord(character))
        self.flags = flags
        self.enders_beyond = np.array(sorted(beyond), dtype=np.uint32)

    def of(self, text: str):
        """The flags of each character of ``text``, and the offsets of its ending
        characters beyond the plane (None when it has none)."""
        import numpy as np

        if text.isascii():
            return self.flags[np.frombuffer(text.encode("ascii"), dtype=np.uint8)], None
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        flags = self.flags[np.minimum(codes, _PLANE - 1)]
        if len(self.enders_beyond) and codes.max() >= _PLANE - 1:
            beyond = np.flatnonzero(codes >= _PLANE - 1)
            return flags, beyond[np.isin(codes[beyond], self.enders_beyond)]
        return flags, None


# Per pipeline, and forgotten with it.
_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def usable(pipe) -> bool:
    """Can the rule of ``pipe``'s sentencizer be applied to pieces of a text? Its
    ending characters must be single punctuation characters (spaCy's are)."""
    punct_chars = pipe.get_pipe("sentencizer").punct_chars
    return nlp._sentence_enders(pipe)[1] and all(len(c) == 1 for c in punct_chars)


def _tables(pipe) -> CharacterTables:
    found = _TABLES.get(pipe)
    if found is None:
        found = _TABLES[pipe] = CharacterTables(pipe.get_pipe("sentencizer").punct_chars)
    return found


def sentencizer_bounds(pipe, texts: Iterable[str],
                       batch_size: int) -> Iterator[tuple[list[tuple[int, int]], str]]:
    """Each text's sentences, trimmed of white space, with the text: what
    ``nlp._sentencizer_bounds(..., trimmed=True)`` gives, from the pieces."""
    for batch in nlp._batches(texts, batch_size):
        found = _batch_sentences(pipe, batch)
        redo = [text for text, spans in zip(batch, found) if spans is None]
        whole = nlp._sentencizer_bounds(pipe, redo, len(batch), trimmed=True) if redo else iter(())
        for text, spans in zip(batch, found):
            yield (next(whole)[0] if spans is None else spans), text


class _Pieces:
    """The pieces of a batch of texts laid end to end (with a line break between
    texts, so that no chunk runs across two): where each starts and ends in that
    string, and whose text it is."""

    def __init__(self, joined: str, text_starts, start, end, text) -> None:
        self.joined, self.text_starts = joined, text_starts
        self.start, self.end, self.text = start, end, text

    @classmethod
    def find(cls, tables: CharacterTables, batch: list[str]) -> _Pieces | None:
        """None when no text of the batch has an ending character."""
        import numpy as np

        joined = "\n".join(batch)
        flags, enders_beyond = tables.of(joined)
        ender_at = np.flatnonzero(flags & tables.ENDER)
        if enders_beyond is not None:
            ender_at = np.union1d(ender_at, enders_beyond)
        if not len(ender_at):
            return None
        space = (flags & tables.SPACE).view(bool)
        solid = ~space
        begins = solid.copy()
        begins[1:] &= space[:-1]
        chunk_start = np.flatnonzero(begins)
        ends = solid.copy()
        ends[:-1] &= space[1:]
        chunk_end = np.flatnonzero(ends) + 1
        chunks = len(chunk_start)
        # The chunks with an ending character, and after each the chunks up to the
        # first that holds a character other than punctuation.
        marked = np.zeros(chunks, dtype=bool)
        with_ender = np.searchsorted(chunk_start, ender_at, side="right") - 1
        with_ender = with_ender[np.append(True, with_ender[1:] != with_ender[:-1])]  # (in order)
        marked[with_ender] = True
        following = with_ender + 1
        for _ in range(PUNCTUATION_RUN):
            following = following[following < chunks]
            if not len(following):
                break
            marked[following] = True
            # Most chunks begin with a letter: only those that begin with punctuation
            # are looked at whole.
            maybe = following[(flags[chunk_start[following]] & tables.PUNCT) != 0].tolist()
            following = np.array([c for c in maybe if (flags[chunk_start[c]:chunk_end[c]] & tables.PUNCT).all()],
                                 dtype=np.int64) + 1
        # A piece: marked chunks in a row, of one text.
        ids = np.flatnonzero(marked)
        text_starts = np.cumsum([0] + [len(t) + 1 for t in batch[:-1]])
        text_of_chunk = np.searchsorted(text_starts, chunk_start[ids], side="right") - 1
        first = np.ones(len(ids), dtype=bool)
        first[1:] = (ids[1:] != ids[:-1] + 1) | (text_of_chunk[1:] != text_of_chunk[:-1])
        last = np.append(first[1:], True)
        return cls(joined, text_starts, chunk_start[ids[first]], chunk_end[ids[last]], text_of_chunk[first])


def _batch_sentences(pipe, batch: list[str]) -> list[list[tuple[int, int]] | None]:
    """Each text's trimmed sentences, or None for a text to be split whole."""
    import numpy as np
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH

    pieces = _Pieces.find(_tables(pipe), batch)
    if pieces is None:
        return [_one_sentence(text) for text in batch]
    lengths = pieces.end - pieces.start
    digest_start = np.cumsum(lengths + 3) - lengths - 1  # after "x " and each " x "
    texts = [pieces.joined[a:b] for a, b in zip(pieces.start.tolist(), pieces.end.tolist())]
    digest = f"{SEPARATOR} " + f" {SEPARATOR} ".join(texts) + f" {SEPARATOR}"
    tokens = pipe.make_doc(digest).to_array([ORTH, IS_PUNCT, IDX, LENGTH, IS_SPACE])
    idx = tokens[:, 2].astype(np.int64)
    piece = np.searchsorted(digest_start, idx, side="right") - 1
    inside = (piece >= 0) & (idx < (digest_start + lengths)[np.maximum(piece, 0)])
    starts = nlp._rule_starts(pipe, tokens, np.zeros(len(tokens), dtype=np.int64), np.zeros(1, dtype=np.int64))
    starts = starts[starts > 0]  # the digest's own first token
    redo = _texts_to_redo(batch, pieces, piece[starts[~inside[starts]]])
    starts = starts[inside[starts]]
    # A sentence that starts on white space starts at the next token that is not (a
    # run of white space can be several tokens); the one before it ends after the
    # last such token before it. Both are in the start's piece: a piece ends with a chunk.
    next_solid, last_solid = nlp.solid_neighbours(tokens)
    # A token's offset in its text: its offset in its piece, plus the piece's in the text.
    shift = pieces.start - pieces.text_starts[pieces.text] - digest_start
    opening = next_solid[starts]
    start_chars = (idx[opening] + shift[piece[opening]]).tolist()
    closing = last_solid[starts - 1]
    end_chars = (idx[closing] + tokens[closing, 3].astype(np.int64) + shift[piece[closing]]).tolist()
    per_text = np.bincount(pieces.text[piece[starts]], minlength=len(batch)).tolist()
    results: list[list[tuple[int, int]] | None] = []
    k = 0
    for number, (text, count) in enumerate(zip(batch, per_text)):
        if number in redo:
            results.append(None)
        else:
            alone = _one_sentence(text)
            results.append(list(zip([alone[0][0], *start_chars[k:k + count]],
                                    [*end_chars[k:k + count], alone[0][1]])) if alone else [])
        k += count
    return results


def _one_sentence(text: str) -> list[tuple[int, int]]:
    """The text as one sentence without the white space at its edges (none if blank)."""
    stripped = text.strip()
    if not stripped:
        return []
    begin = len(text) - len(text.lstrip())
    return [(begin, begin + len(stripped))]


def _texts_to_redo(batch: list[str], pieces: _Pieces, after) -> set[int]:
    """The texts to split whole, given the pieces that a separator holding a sentence
    start follows: all but a text's last piece when the text ends with it."""
    import numpy as np

    if not len(after):
        return set()
    texts = pieces.text[after]
    is_last = np.append(pieces.text[1:] != pieces.text[:-1], True)[after]
    ends_text = pieces.end[after] - pieces.text_starts[texts] == np.array(
        [len(batch[t].rstrip()) for t in texts.tolist()], dtype=np.int64)
    return set(texts[~(is_last & ends_text)].tolist())
