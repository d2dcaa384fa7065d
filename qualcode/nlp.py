"""spaCy, loaded once: sentence boundaries (and, later, matching and names).

A trained English pipeline (``en_core_web_sm`` or larger, or the package named by
``$QUALCODE_SPACY_MODEL``) is used when one is installed; otherwise (or with
``QUALCODE_SPACY_MODEL=blank``) a blank English pipeline with the rule-based sentencizer. Both
work offline: nothing is ever downloaded at run time.
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import os
import re
import unicodedata
import weakref
from collections.abc import Iterable, Iterator

TRAINED_PIPELINES = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")


def trained_pipeline_name() -> str | None:
    """The trained pipeline to use: $QUALCODE_SPACY_MODEL when it names an installed
    pipeline package, else the first standard English one installed, else None."""
    chosen = os.environ.get("QUALCODE_SPACY_MODEL", "").strip()
    if chosen.lower() in ("blank", "none"):
        return None
    for name in ((chosen,) if chosen else TRAINED_PIPELINES):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


# Ideographs and kana: Chinese and Japanese are written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHARACTER = re.compile(f"[{_CJK}\U00020000-\U0003134f]")
#: A character of a script written without spaces between words: Chinese and Japanese,
#: and Thai, Lao, Myanmar and Khmer.
UNSPACED = re.compile(f"[{_CJK}\U00020000-\U0003134f\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")

# Their punctuation: 。，！？：「」 and the rest of the CJK and full-width punctuation blocks.
_CJK_PUNCTUATION_CLASS = "[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
# Split off by the tokenizer: that punctuation, and quotation marks that touch an
# ideograph or kana.
_CJK_INFIXES = (
    _CJK_PUNCTUATION_CLASS,
    f"(?<=[{_CJK}\u3000-\u303f\uff01-\uff65])[\u201c\u201d\u2018\u2019]",
    f"[\u201c\u201d\u2018\u2019](?=[{_CJK}])",
)


# The first byte of the UTF-8 form of a character in the blocks of _CJK_CHARACTER:
# U+3040-U+9FFF begin with E3-E9, U+F900-U+FAFF with EF, U+20000-U+3134F with F0.
_CJK_LEAD_BYTES = tuple(bytes([lead]) for lead in (*range(0xE3, 0xEA), 0xEF, 0xF0))


def _may_hold_cjk(text: str) -> bool:
    """False when ``text`` certainly has no character of _CJK_CHARACTER. Encoding and
    looking for a few bytes (memchr) takes an eighth of the time of the regular
    expression's scan; accented letters and curly quotes do not begin with those bytes."""
    if text.isascii():
        return False
    encoded = text.encode("utf-8", "surrogatepass")
    return any(lead in encoded for lead in _CJK_LEAD_BYTES)


def word_count(text: str) -> int:
    """Words as a word processor counts them: runs of characters between spaces,
    except that each Chinese or Japanese character counts as a word (as Word counts
    East Asian text; a paragraph of Chinese is otherwise a single "word")."""
    if not _may_hold_cjk(text) or not _CJK_CHARACTER.search(text):
        return len(text.split())
    rest = _CJK_CHARACTER.sub(" ", text).split()
    # What is left between the characters: words in other scripts, and punctuation
    # (。，“”), which is not a word.
    others = sum(1 for word in rest if not all(unicodedata.category(c).startswith("P") for c in word))
    return len(_CJK_CHARACTER.findall(text)) + others


def _split_cjk_punctuation(nlp) -> None:
    """Make the tokenizer split Chinese and Japanese punctuation off the text around it.

    An English tokenizer splits at spaces, so a paragraph of Chinese is a single token
    and the sentencizer, which knows 。！？ as sentence ends, never sees them. As
    infixes they become tokens of their own; text in other scripts is tokenized as
    before (the added patterns match only these characters).
    """
    current = nlp.tokenizer.infix_finditer
    patterns = [current.__self__.pattern] if current is not None else []
    nlp.tokenizer.infix_finditer = re.compile("|".join([*patterns, *_CJK_INFIXES])).finditer


@functools.lru_cache(maxsize=2)
def pipeline(trained: bool | None = None):
    """The shared pipeline. ``trained=None`` picks a trained one when installed."""
    import spacy

    name = trained_pipeline_name() if trained is not False else None
    if name:
        # Sentence splitting needs only the tagger/parser side, not NER or lemmas.
        nlp = spacy.load(name, exclude=["ner"])
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    _split_cjk_punctuation(nlp)
    nlp.max_length = 5_000_000
    # The pipeline lives as long as the process, and so do the modules loaded with it:
    # their objects (some 90,000) are set aside from the cyclic garbage collector, which
    # otherwise walks them all again in every full collection (30 ms each, a few times
    # in each import of a study). Objects are still freed when nothing refers to them.
    gc.freeze()
    return nlp


def sentence_spans(texts: Iterable[str], *, batch_size: int = 256) -> Iterator[list[tuple[int, int]]]:
    """For each text, its sentences as (start, end) code-point offsets into that text,
    trimmed of surrounding white space; blank texts give no sentences.

    Streams: texts are consumed lazily in batches (``nlp.pipe``), so memory does not
    grow with the number of texts.
    """
    nlp = pipeline()
    if _plain_sentencizer(nlp):
        from . import sparse_sentences

        if sparse_sentences.usable(nlp):
            trimmed = sparse_sentences.sentencizer_bounds(nlp, texts, batch_size)
        else:
            trimmed = _sentencizer_bounds(nlp, texts, batch_size, trimmed=True)
    else:
        # Each doc is paired with its text: ``doc.text`` would rebuild the string from its
        # tokens, and doing that per sentence made splitting quadratic in the turn length.
        if isinstance(texts, (list, tuple)):
            pairs = zip(nlp.pipe(texts, batch_size=batch_size), texts)
        else:
            pairs = nlp.pipe(((t, t) for t in texts), batch_size=batch_size, as_tuples=True)
        trimmed = ((_trimmed([(sent.start_char, sent.end_char) for sent in doc.sents], text), text)
                   for doc, text in pairs)
    for spans, text in trimmed:
        yield keep_transcription_marks_whole(text, spans) if len(spans) > 1 else spans


def _trimmed(sentences: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Sentences without the white space at their edges; those of white space only go."""
    spans = []
    for start, end in sentences:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _plain_sentencizer(nlp) -> bool:
    """Is ``nlp`` the blank pipeline: a tokenizer and spaCy's rule-based sentencizer?"""
    return nlp.pipe_names == ["sentencizer"] and not nlp.get_pipe("sentencizer").overwrite


def _sentencizer_bounds(nlp, texts: Iterable[str], batch_size: int,
                        trimmed: bool = False) -> Iterator[tuple[list[tuple[int, int]], str]]:
    """Each text's sentences as (start, end) offsets, untrimmed, exactly where spaCy's
    sentencizer puts them, with its rule applied to whole batches of token arrays.

    The component looks at every token as a Python object (two thirds of the time of
    splitting, more than tokenizing); its rule needs only each token's text and
    punctuation flag. A sentence starts at a doc's first token, and at a token that is
    neither punctuation nor one of the sentence-ending characters when such a character
    came after the last token that was neither (what the component's ``seen_period``
    remembers). A sentence ends after its last token: offset plus length.

    ``trimmed``: each sentence as :func:`_trimmed` makes it, without the white space at
    its edges, worked out on the token arrays too. A token of spaCy's is either all
    white space or has none (the tokenizer cuts at every change between the two), so
    a sentence without its edges runs from its first token that is not white space to
    its last; one with no such token goes.
    """
    import numpy as np
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH

    for batch in _batches(texts, batch_size):
        arrays = [nlp.make_doc(text).to_array([ORTH, IS_PUNCT, IDX, LENGTH, IS_SPACE]) for text in batch]
        sizes = np.array([len(a) for a in arrays], dtype=np.int64)
        if not sizes.any():
            yield from (([], text) for text in batch)
            continue
        tokens = np.concatenate(arrays)
        doc_of = np.repeat(np.arange(len(batch)), sizes)
        first = np.cumsum(sizes) - sizes  # each doc's first token in the batch
        start_tokens = _rule_starts(nlp, tokens, doc_of, first[sizes > 0])
        # A sentence runs to the next start of its doc, or to its doc's end.
        doc_end = (first + sizes)[doc_of[start_tokens]]
        next_start = np.append(start_tokens[1:], len(tokens))
        end_tokens = np.minimum(next_start, doc_end) - 1
        if trimmed:
            next_solid, last_solid = solid_neighbours(tokens)
            start_tokens, end_tokens = next_solid[start_tokens], last_solid[end_tokens]
            kept = start_tokens <= end_tokens
            start_tokens, end_tokens = start_tokens[kept], end_tokens[kept]
        start_chars = tokens[start_tokens, 2].astype(np.int64).tolist()
        end_chars = (tokens[end_tokens, 2] + tokens[end_tokens, 3]).astype(np.int64).tolist()
        per_doc = np.bincount(doc_of[start_tokens], minlength=len(batch)).tolist()
        k = 0
        for text, count in zip(batch, per_doc):
            yield list(zip(start_chars[k:k + count], end_chars[k:k + count])), text
            k += count


def _rule_starts(nlp, tokens, doc_of, firsts):
    """The tokens where the sentencizer's rule starts a sentence, in order: ``tokens``
    holds the ORTH and IS_PUNCT columns of docs laid end to end, ``doc_of`` each
    token's doc, ``firsts`` each doc's first token (a start)."""
    import numpy as np

    enders, enders_are_punct = _sentence_enders(nlp)
    orth = tokens[:, 0]
    if enders_are_punct:
        ender = np.zeros(len(tokens), dtype=bool)
        punct = np.flatnonzero(tokens[:, 1])
        orth = orth[punct]
        ender[punct] = enders[np.minimum(np.searchsorted(enders, orth), len(enders) - 1)] == orth
    else:
        ender = enders[np.minimum(np.searchsorted(enders, orth), len(enders) - 1)] == orth
    plain = (tokens[:, 1] == 0) & ~ender  # what ends a "seen period"
    enders_so_far = np.cumsum(ender)
    candidates = np.flatnonzero(plain)
    # Sentence enders since the previous plain token of the same doc (or the doc's start).
    previous = np.empty(len(candidates), dtype=np.int64)
    previous[1:] = candidates[:-1]
    same_doc = np.zeros(len(candidates), dtype=bool)
    same_doc[1:] = doc_of[candidates[1:]] == doc_of[candidates[:-1]]
    doc_first = firsts[np.searchsorted(firsts, candidates, side="right") - 1]
    before_doc = np.where(doc_first > 0, enders_so_far[np.maximum(doc_first - 1, 0)], 0)
    base = np.where(same_doc, enders_so_far[np.where(same_doc, previous, 0)], before_doc)
    starts = np.zeros(len(tokens), dtype=bool)
    starts[candidates[enders_so_far[candidates] > base]] = True
    starts[firsts] = True
    return np.flatnonzero(starts)


def solid_neighbours(tokens):
    """For each token (its IS_SPACE flag in column 4), the first token from it on, and
    the last up to it, that is not white space (len(tokens) and -1 where there is none)."""
    import numpy as np

    index = np.arange(len(tokens))
    solid = tokens[:, 4] == 0
    next_solid = np.minimum.accumulate(np.where(solid, index, len(tokens))[::-1])[::-1]
    last_solid = np.maximum.accumulate(np.where(solid, index, -1))
    return next_solid, last_solid


# Worked out once per pipeline (128 look-ups, for each transcript, cost more than
# splitting a short one), and forgotten with it.
_ENDERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _sentence_enders(nlp):
    """The sentencizer's sentence-ending characters as sorted string ids, and whether
    all of them are punctuation. (spaCy's are: then only punctuation tokens, one in
    six, need looking up among them.)"""
    import numpy as np

    found = _ENDERS.get(nlp)
    if found is None:
        punct_chars = nlp.get_pipe("sentencizer").punct_chars
        enders = np.array(sorted(nlp.vocab.strings.add(c) for c in punct_chars), dtype=np.uint64)
        found = _ENDERS[nlp] = (enders, all(nlp.vocab[c].is_punct for c in punct_chars))
    return found


#: Most characters of text whose token arrays are held at once: a turn cut into pieces
#: (a whole file without labels) must not have every piece of a batch in memory.
BATCH_CHARACTERS = 200_000


def _batches(texts: Iterable[str], most: int) -> Iterator[list[str]]:
    """``texts`` in lists of at most ``most`` texts and, past the first text, at most
    :data:`BATCH_CHARACTERS` characters, in order."""
    batch: list[str] = []
    characters = 0
    for text in texts:
        if batch and (len(batch) >= most or characters + len(text) > BATCH_CHARACTERS):
            yield batch
            batch, characters = [], 0
        batch.append(text)
        characters += len(text)
    if batch:
        yield batch


# A transcription mark: "[laughs]", "[inaudible 00:05:15]", "(pause)", "(sighs. long pause)".
_MARK = re.compile(r"\[[^\[\]\n]{1,200}\]|\([^()\n]{1,200}\)")


def keep_transcription_marks_whole(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with no boundary inside a ``[...]`` or ``(...)`` mark.

    The sentencizer ends a sentence after "!" and takes the punctuation that follows
    with it, so "I am! [laughs] Honestly" became "I am! [" and "laughs] Honestly"; and
    a full stop inside a mark ("[inaudible. 00:05:15]") ended a sentence there. A
    boundary just after a mark's opening bracket moves before the bracket (the mark
    opens the next sentence); a boundary further inside joins the two sentences.
    """
    if "[" not in text and "(" not in text:
        return spans
    marks = [(m.start(), m.end()) for m in _MARK.finditer(text)]
    if not marks:
        return spans
    result = [spans[0]]
    k = 0
    for start, end in spans[1:]:
        prev_start, prev_end = result[-1]
        # The mark that could straddle the cut between prev_end and start.
        while k < len(marks) and marks[k][1] <= prev_end:
            k += 1
        if k < len(marks) and marks[k][0] < prev_end and marks[k][1] > start:
            opening = marks[k][0]
            if text[opening:prev_end].strip() == text[opening] and opening > prev_start:
                cut = opening
                while cut > prev_start and text[cut - 1].isspace():
                    cut -= 1
                result[-1] = (prev_start, cut)
                result.append((opening, end))
            else:
                result[-1] = (prev_start, end)
            continue
        result.append((start, end))
    return result


#: Longest text spaCy is given in one piece. Its own ceiling (``nlp.max_length``) is
#: 5,000,000 characters, and a trained parser needs about 1 GB per 100,000 characters
#: at once; a turn longer than this (a whole file without speaker labels can be one
#: turn of 20 MB) is cut into pieces, each split into sentences on its own.
LONGEST_PIECE = 100_000


def pieces_of_long_text(text: str, longest: int = LONGEST_PIECE) -> list[tuple[int, str]]:
    """``text`` as ``(offset, piece)`` pairs of at most ``longest`` characters, cut at
    a line break in the second half of each piece where there is one, else after a
    sentence's end (". ", "? ", "! "), else at a space, else anywhere (text with no
    white space at all). A short text is one piece."""
    pieces = []
    start = 0
    while len(text) - start > longest:
        end = start + longest
        middle = start + longest // 2
        cut = text.rfind("\n", middle, end)
        if cut < 0:
            cut = max(text.rfind(mark, middle, end - 1) for mark in (". ", "? ", "! ", "。"))
        if cut < 0:
            cut = text.rfind(" ", middle, end)
        cut = end if cut < 0 else cut + 1
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def sentence_spans_of_any_length(texts: Iterable[str], *, batch_size: int = 256) -> Iterator[list[tuple[int, int]]]:
    """:func:`sentence_spans` for texts of any length: a text longer than
    :data:`LONGEST_PIECE` is split in pieces (:func:`pieces_of_long_text`) whose
    sentences are put back together at their offsets. Streams as sentence_spans does."""
    import collections

    if isinstance(texts, (list, tuple)) and all(len(t) <= LONGEST_PIECE for t in texts):
        yield from sentence_spans(texts, batch_size=batch_size)  # the usual case, as it was
        return
    # (index of the text, offset of the piece, is it the text's last piece), in the
    # order the pieces go to spaCy and come back.
    shapes: collections.deque = collections.deque()

    def pieces() -> Iterator[str]:
        for index, text in enumerate(texts):
            if len(text) <= LONGEST_PIECE:
                shapes.append((index, 0, True))
                yield text
                continue
            parts = pieces_of_long_text(text)
            for number, (offset, piece) in enumerate(parts, start=1):
                shapes.append((index, offset, number == len(parts)))
                yield piece

    collected: list[tuple[int, int]] = []
    for spans in sentence_spans(pieces(), batch_size=batch_size):
        _index, offset, last = shapes.popleft()
        collected.extend((offset + start, offset + end) for start, end in spans)
        if last:
            yield collected
            collected = []
