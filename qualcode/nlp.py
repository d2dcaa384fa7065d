"""spaCy, loaded once: sentence boundaries (and, later, matching and names).

A trained English pipeline (``en_core_web_sm`` or larger, or the package named by
``$QUALCODE_SPACY_MODEL``) is used when one is installed; otherwise (or with
``QUALCODE_SPACY_MODEL=blank``) a blank English pipeline with the rule-based sentencizer. Both
work offline: nothing is ever downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib.util
import os
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
    nlp.max_length = 5_000_000
    return nlp


def sentence_spans(texts: Iterable[str], *, batch_size: int = 256) -> Iterator[list[tuple[int, int]]]:
    """For each text, its sentences as (start, end) code-point offsets into that text,
    trimmed of surrounding white space; blank texts give no sentences.

    Streams: texts are consumed lazily in batches (``nlp.pipe``), so memory does not
    grow with the number of texts.
    """
    nlp = pipeline()
    # Each doc is paired with its text: ``doc.text`` would rebuild the string from its
    # tokens, and doing that per sentence made splitting quadratic in the turn length.
    if isinstance(texts, (list, tuple)):
        pairs = zip(nlp.pipe(texts, batch_size=batch_size), texts)
    else:
        pairs = nlp.pipe(((t, t) for t in texts), batch_size=batch_size, as_tuples=True)
    for doc, text in pairs:
        spans = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        yield spans
