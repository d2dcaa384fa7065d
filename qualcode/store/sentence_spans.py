"""Sentences packed as integers: one blob per transcript.

A transcript's sentences are read and written whole (the coding screen moves by
them, tagging by ``TURN.N`` looks one up, de-identification moves them all), never
queried one by one, so they are stored as one blob per transcript rather than a row
each: ``(turn seq, start, end)`` for every sentence in text order, as unsigned 32-bit
little-endian integers. Offsets are code points of the transcript text, which the
20 MB file limit keeps far below 2**32.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from itertools import chain

# The array type code whose items are 4 bytes ("I" everywhere in practice; checked
# rather than assumed, since C leaves the size of an int to the platform).
_TYPECODE = next(code for code in "ILH" if array(code).itemsize == 4)
_BIG_ENDIAN = sys.byteorder == "big"


def pack(sentences: Iterable[tuple[int, int, int]]) -> bytes:
    """``[(turn seq, start, end), ...]`` -> blob."""
    values = array(_TYPECODE, chain.from_iterable(sentences))
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tobytes()


def unpack(blob: bytes | None) -> list[tuple[int, int, int]]:
    """Blob -> ``[(turn seq, start, end), ...]`` (an empty list for no blob)."""
    if not blob:
        return []
    if len(blob) % 12:
        raise ValueError(f"a packed sentence list has {len(blob)} bytes, not a multiple of 12")
    values = array(_TYPECODE)
    values.frombytes(blob)
    if _BIG_ENDIAN:
        values.byteswap()
    return list(zip(values[0::3], values[1::3], values[2::3]))
