"""Laying a transcript out in rows, and sorting codings onto them.

Pure functions (no Textual), so that a thread worker can wrap a long transcript while
the screen is being built: rows of at most the view's width, the codings of each row,
and the colours a coding is drawn with.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

WORD = re.compile(r"\w+")
PREFIX = 20  # speaker name and timestamp column
MARGIN = 22  # code names column
BASE_BG = (30, 30, 30)


def _rgb(colour: str | None) -> tuple[int, int, int]:
    colour = colour or "#888888"
    try:
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    except (ValueError, IndexError):
        return 136, 136, 136


def _blend(colour: str | None, amount: float) -> str:
    """The code colour mixed into the dark background, so text on it stays readable."""
    r, g, b = _rgb(colour)
    br, bg, bb = BASE_BG
    mix = lambda c, d: int(d + (c - d) * amount)  # noqa: E731
    return f"#{mix(r, br):02x}{mix(g, bg):02x}{mix(b, bb):02x}"


@dataclass(frozen=True)
class Span:
    """One coding as the view draws it."""

    id: int
    code: str
    start: int
    end: int
    coder: str = ""


def _clock(seconds: float | None) -> str:
    """``12:05`` under an hour, ``1:02:03`` after: short, so names keep their room."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def wrap_rows(text: str, turns: list[dict], width: int) -> list[tuple[int, int, int, bool]]:
    """Pre-wrap every turn into rows of at most ``width`` (+ a trailing space):
    (start, end, turn index, first row of the turn); a blank row (index -1) between
    turns. Pure, so a thread worker can do it while the screen is being built."""
    rows: list[tuple[int, int, int, bool]] = []
    for index, turn in enumerate(turns):
        if rows:
            rows.append((turn["start"], turn["start"], -1, False))
        first = True
        pos, end = turn["start"], turn["end"]
        while pos < end:
            line_end = text.find("\n", pos, end)
            line_end = end if line_end < 0 else line_end
            while True:
                if line_end - pos <= width:
                    rows.append((pos, line_end, index, first))
                    first = False
                    pos = line_end
                    break
                cut = text.rfind(" ", pos, pos + width + 1)
                cut = pos + width if cut <= pos else cut + 1
                rows.append((pos, cut, index, first))
                first = False
                pos = cut
            pos = pos + 1 if pos < end and text[pos] == "\n" else pos
    return rows


def sorted_spans(codings: list[dict]) -> list[Span]:
    return sorted((Span(c["id"], c["code"], c["start"], c["end"], c.get("coder", ""))
                   for c in codings), key=lambda s: (s.start, -s.end))


def spans_by_row(row_starts: list[int], spans: list[Span]) -> list[list[Span]]:
    """For each row, the codings that touch it (so drawing a row never searches)."""
    per_row: list[list[Span]] = [[] for _ in row_starts]
    for span in spans:
        first = max(0, bisect_right(row_starts, span.start) - 1)
        last = max(0, bisect_right(row_starts, max(span.start, span.end - 1)) - 1)
        for row in range(first, last + 1):
            per_row[row].append(span)
    return per_row


def usable_turns(transcript: dict) -> list[dict]:
    return [t for t in transcript["turns"] if t["end"] > t["start"]]
