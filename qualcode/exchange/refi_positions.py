"""Selection positions across text normalisation and UTF-16 counting.

REFI-QDA positions count code points of the source text as the other program stored
it; qualcode stores text normalised (NFC, ``\\n``), and NVivo for Windows counts UTF-16
code units. These helpers map positions between them and check a selection against
the quoted text a file gives.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import TypeGuard


class _TextMap:
    """Normalised text (NFC, \\n, no BOM) and the map from positions in the raw text."""

    def __init__(self, raw: str):
        self.raw = raw
        # No bounds: the text is the raw text, position for position.
        self.raw_bounds: list[int] | None = None
        self.text_bounds: list[int] = []
        if "\r" not in raw and not raw.startswith("\ufeff") and unicodedata.is_normalized("NFC", raw):
            self.text = raw
            return
        pieces: list[str] = []
        raw_bounds, text_bounds = [0], [0]
        i, n, pos = 0, len(raw), 0
        if raw.startswith("\ufeff"):
            i = 1
            raw_bounds.append(1)
            text_bounds.append(0)
        while i < n:
            ch = raw[i]
            if ch == "\r":
                j = i + 2 if raw[i + 1:i + 2] == "\n" else i + 1
                piece = "\n"
            else:
                j = i + 1
                while j < n and unicodedata.combining(raw[j]):
                    j += 1
                piece = unicodedata.normalize("NFC", raw[i:j]) if j - i > 1 or ord(ch) > 0x7F else ch
            pieces.append(piece)
            pos += len(piece)
            i = j
            raw_bounds.append(i)
            text_bounds.append(pos)
        self.text = "".join(pieces)
        self.raw_bounds, self.text_bounds = raw_bounds, text_bounds

    def start(self, p: int) -> int:
        if self.raw_bounds is None:
            return p
        k = bisect.bisect_right(self.raw_bounds, p) - 1
        return self.text_bounds[max(k, 0)]

    def end(self, p: int) -> int:
        if self.raw_bounds is None:
            return p
        k = bisect.bisect_left(self.raw_bounds, p)
        return self.text_bounds[min(k, len(self.text_bounds) - 1)]


def utf16_to_code_points(raw: str):
    """A function from UTF-16 code-unit offsets in ``raw`` to code-point offsets."""
    astral_units = []
    for k, i in enumerate(i for i, ch in enumerate(raw) if ord(ch) > 0xFFFF):
        astral_units.append(i + k)
    if not astral_units:
        return lambda u: u
    return lambda u: u - bisect.bisect_left(astral_units, u)


_NOT_A_QUOTE = re.compile(r"^(line:\s*\d+|quotation\s+\d+:\d+|\d+:\d+.*|\s*)$", re.IGNORECASE)


def _squash(text: str) -> str:
    return " ".join(text.split())


def quote_matches(name: str, text: str) -> bool:
    """Whether a selection's quoted ``@name`` (perhaps cut short with "…") is ``text``."""
    q, s = _squash(name), _squash(text)
    if q.endswith(("…", "...")):
        q = q.rstrip(".…").rstrip()
        return bool(q) and s.startswith(q)
    return q == s


def _is_quote(name: str | None) -> TypeGuard[str]:
    return bool(name) and not _NOT_A_QUOTE.match(name or "") and len((name or "").strip()) >= 3


def _on_boundary(text: str, start: int, end: int) -> int:
    score = 0
    if start == 0 or (0 < start <= len(text) and not text[start - 1].isalnum()):
        score += 1
    if end >= len(text) or (0 <= end < len(text) and not text[end].isalnum()):
        score += 1
    return score
