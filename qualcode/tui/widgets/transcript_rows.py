"""Laying a transcript out in rows, and sorting codings onto them.

Pure functions (no Textual), so that a thread worker can wrap a long transcript while
the screen is being built: rows of at most the view's width, the codings of each row,
and the colours a coding is drawn with.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rich.cells import cell_len, get_character_cell_size, split_graphemes

from ...records.codings import Coding
from ...records.transcripts import TranscriptDocument, Turn

WORD = re.compile(r"\w+")
PREFIX = 20  # speaker name and timestamp column, on a wide view
MARGIN = 22  # code names column, on a wide view
TEXT_AT_LEAST = 50  # cells of text a narrow view keeps by shortening the columns beside it
READABLE = 64  # cells of text beyond which a wider view widens the margin instead


def columns_for(width: int) -> tuple[int, int]:
    """(speaker column, margin) for a view ``width`` cells wide: the full columns while
    the text keeps room enough, shorter ones on a narrow view (an 80-column terminal),
    where a readable text column matters more than whole speaker and code names."""
    room = width - PREFIX - MARGIN - 1 - READABLE
    if room >= 0:
        # Past a comfortable line length, the margin takes the rest (up to 12 more
        # cells), so longer code names show whole ("Health and the body").
        return PREFIX, MARGIN + min(12, room)
    if width - 16 - 16 - 1 >= TEXT_AT_LEAST:
        return 16, 16
    return 12, 10
BASE_BG = (30, 30, 30)


TAB_STOP = 4  # a tab is drawn as spaces up to the next multiple of this, within its row
TAB = -1  # the width given for a tab in a grapheme list: it depends on the column


@cache
def _one_cell(character: str) -> bool:
    return character != "\t" and get_character_cell_size(character) == 1


def cells_at(grapheme: tuple[int, int, int], column: int) -> int:
    """How many cells a grapheme from :func:`graphemes_of` takes when drawn at
    ``column`` cells into its row (a tab: up to the next tab stop)."""
    width = grapheme[2]
    return TAB_STOP - column % TAB_STOP if width == TAB else width


def expand_tabs(piece: str, column: int) -> str:
    """``piece`` as drawn from ``column`` cells into its row: each tab becomes the spaces
    up to the next tab stop. The stored text and its offsets never change; a terminal
    given a raw tab would move its own cursor and push everything after it (the margin,
    the next pane's border) out of line."""
    if "\t" not in piece:
        return piece
    out = []
    for part in re.split("(\t)", piece):
        if part == "\t":
            part = " " * (TAB_STOP - column % TAB_STOP)
        out.append(part)
        column += cell_len(part)
    return "".join(out)


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


def turns_touched(turn_starts: list[int], span: Span) -> range:
    """The indexes of the turns a coding touches."""
    return range(max(0, bisect_right(turn_starts, span.start) - 1), bisect_left(turn_starts, span.end))


def coded_turns(turn_starts: list[int], spans: list[Span]) -> set[int]:
    """The indexes of the turns some coding touches (for "next uncoded turn")."""
    covered: set[int] = set()
    for span in spans:
        covered.update(turns_touched(turn_starts, span))
    return covered


def still_coded(turns: set[int], turn_starts: list[int], row_of, row_spans: list[list[Span]]) -> set[int]:
    """Of ``turns``, those some coding still touches, looked up on their own rows only
    (after codings were removed: cheaper than :func:`coded_turns` over them all). A
    turn's rows run to the next turn's start, where a coding between turns counts."""
    kept = set()
    for turn in turns:
        start = turn_starts[turn]
        stop = turn_starts[turn + 1] if turn + 1 < len(turn_starts) else None
        rows = range(row_of(start), row_of(max(start, stop - 1)) + 1 if stop is not None else len(row_spans))
        if any(turn in turns_touched(turn_starts, s) for row in rows for s in row_spans[row]):
            kept.add(turn)
    return kept


def _clock(seconds: float | None) -> str:
    """``12:05`` under an hour, ``1:02:03`` after: short, so names keep their room."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def graphemes_of(text: str, start: int, end: int) -> list[tuple[int, int, int]] | None:
    """None when ``text[start:end]`` takes one terminal cell per character (the usual
    case, checked at C speed); else its graphemes as (start, end, cells), offsets into
    ``text``: a CJK character takes two cells, an emoji sequence two cells for several
    code points, a combining accent none."""
    piece = text[start:end]
    # A line's distinct characters are few: checking those (a set is built at C speed)
    # keeps the common case, text with a curly quote or an accent, as fast as ASCII.
    has_tab = "\t" in piece
    if not has_tab and (piece.isascii() or all(_one_cell(c) for c in set(piece))):
        return None
    if not has_tab:
        spans, _ = split_graphemes(piece)
        return [(start + a, start + b, cells) for a, b, cells in spans]
    # Rich would fold a tab into the grapheme before it: each tab is one of its own.
    out: list[tuple[int, int, int]] = []
    pos = start
    for part in re.split("(\t)", piece):
        if part == "\t":
            out.append((pos, pos + 1, TAB))
        elif part:
            spans, _ = split_graphemes(part)
            out.extend((pos + a, pos + b, cells) for a, b, cells in spans)
        pos += len(part)
    return out


def _cut_wide_line(text: str, pos: int, line_end: int, width: int,
                   graphemes: list[tuple[int, int, int]]):
    """Rows (start, end) of one line of mixed-width text, each at most ``width`` cells
    (plus the space it ends with), cut after a space where there is one."""
    first = 0
    while pos < line_end:
        while first < len(graphemes) and graphemes[first][0] < pos:
            first += 1
        cells, limit, after = 0, pos, first
        while after < len(graphemes) and cells + cells_at(graphemes[after], cells) <= width:
            cells += cells_at(graphemes[after], cells)
            limit = graphemes[after][1]
            after += 1
        if after >= len(graphemes):
            yield pos, line_end
            return
        if limit == pos:  # a single grapheme wider than the row: it gets a row of its own
            limit = graphemes[after][1]
        cut = text.rfind(" ", pos, limit + 1)
        cut = limit if cut <= pos else cut + 1
        yield pos, cut
        pos = cut


def wrap_rows(text: str, turns: Sequence[Turn], width: int) -> list[tuple[int, int, int, bool]]:
    """Pre-wrap every turn into rows of at most ``width`` cells (+ a trailing space):
    (start, end, turn index, first row of the turn); a blank row (index -1) between
    turns. Pure, so a thread worker can do it while the screen is being built."""
    rows: list[tuple[int, int, int, bool]] = []
    for index, turn in enumerate(turns):
        if rows:
            rows.append((turn.start, turn.start, -1, False))
        first = True
        pos, end = turn.start, turn.end
        while pos < end:
            line_end = text.find("\n", pos, end)
            line_end = end if line_end < 0 else line_end
            graphemes = graphemes_of(text, pos, line_end) if line_end > pos else None
            if graphemes is not None:
                for row_start, row_end in _cut_wide_line(text, pos, line_end, width, graphemes):
                    rows.append((row_start, row_end, index, first))
                    first = False
                pos = line_end
            else:  # one cell per character: cut by counting characters
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


def offset_in_row(text: str, start: int, end: int, column: int) -> int:
    """The offset shown at ``column`` cells into the row ``text[start:end]`` (the end
    of the row when the column is past it)."""
    column = max(0, column)
    graphemes = graphemes_of(text, start, end)
    if graphemes is None:
        return start + min(column, end - start)
    cells = 0
    for grapheme in graphemes:
        cells += cells_at(grapheme, cells)
        if cells > column:
            return grapheme[0]
    return end


def sorted_spans(codings: list[Coding]) -> list[Span]:
    return sorted((Span(c.id, c.code, c.start, c.end, c.coder)
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


def usable_turns(transcript: TranscriptDocument) -> list[Turn]:
    return [t for t in transcript.turns if t.end > t.start]


@dataclass(frozen=True, slots=True)
class PreparedText:
    """A transcript made ready for the view at one width: everything
    :meth:`TranscriptView.load` would otherwise work out on the main thread (showing a
    text of a million characters waited ~10 ms for it), worked out in the reading worker."""

    width: int
    text: str  # as shown: each control character one visible character
    turns: list[Turn]
    sentences: list[tuple[int, int, int]]  # (start, end, turn seq)
    rows: list[tuple[int, int, int, bool]]
    row_starts: list[int]
    no_spans: list[list[Span]]  # an empty list per row: the codings come later


def prepare_text(transcript: TranscriptDocument, shown_text: str, width: int) -> PreparedText:
    """``transcript`` ready to show at ``width`` (``shown_text``: its text as shown)."""
    turns = usable_turns(transcript)
    rows = wrap_rows(shown_text, turns, width)
    return PreparedText(width, shown_text, turns, [(s.start, s.end, s.turn) for s in transcript.sentences],
                        rows, [r[0] for r in rows], [[] for _ in rows])
