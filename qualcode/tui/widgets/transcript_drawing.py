"""Drawing the transcript view's rows: the speaker column, the text with its codings,
selection and cursor, and the margin of code bars and names.

A mixin of :class:`~qualcode.tui.widgets.transcript_view.TranscriptView`, kept apart
from the cursor and selection logic. Rows are drawn in cells, not characters: a tab is
expanded to the next tab stop, a wide character takes two cells, so the margin and the
pane beside the view stay in line whatever the text holds.
"""

from __future__ import annotations

import itertools

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ..shown import plain
from ..textual_adapter import warm_lines
from .transcript_rows import Span, _blend, _clock, columns_for, expand_tabs
from .transcript_state import TranscriptState

NAME_AT_LEAST = 6  # cells a speaker's name keeps before the timestamp is left out


def _one_line(value: str) -> str:
    """A name for a single-cell-per-character column: tabs as spaces."""
    return plain(value).replace("\t", " ")


class TranscriptDrawing(TranscriptState):
    """Rows as ``Strip``s, cached while neither their codings nor the width change."""

    def render_line(self, y: int) -> Strip:
        row = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if row >= len(self._rows):
            return Strip.blank(width, self._style("pad"))
        start, end = self._rows[row][:2]
        sel = self.selection
        cursor_here = row == self.row_of(self.cursor)  # the cursor is drawn on one row only
        if bool(sel and sel[0] <= end and sel[1] > start) or cursor_here:
            # Rows under the cursor or selection are few: draw them fresh, never cache.
            strip = Strip(self._row_segments(row, sel, cursor_here))
            return strip.adjust_cell_length(width, self._style("pad"))
        return self._plain_strip(row, width)

    def _plain_strip(self, row: int, width: int) -> Strip:
        """A row without cursor or selection, from the LRU cache or drawn and cached."""
        strip = self._cache.get(row)
        if strip is not None:
            self._cache.move_to_end(row)
            return strip
        strip = Strip(self._row_segments(row, None, False)).adjust_cell_length(width, self._style("pad"))
        self._cache[row] = strip
        if len(self._cache) > 3000:
            self._cache.popitem(last=False)
        return strip

    def _prefetch(self) -> None:
        """Draw the pages above and below into the cache while idle, so paging and
        scrolling find their rows ready (a fresh page is ~45 rows to draw), filtered
        as the screen will want them."""
        if not self._rows:
            return
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        width = self.scrollable_content_region.width
        drawn = [self._plain_strip(row, width)
                 for row in (*range(top + height, min(top + 2 * height, len(self._rows))),
                             *range(max(0, top - height), top))
                 if row not in self._cache]
        warm_lines(self, drawn)  # and made into lines as the screen will want them

    def _style(self, kind: str, *key) -> Style:
        """Styles built once and reused: building a Style parses colours."""
        cached = self._styles.get((kind, *key))
        if cached is not None:
            return cached
        text = Style(bgcolor="rgb(30,30,30)", color="rgb(220,220,220)")
        if kind == "pad":
            style = Style(bgcolor="rgb(30,30,30)")
        elif kind == "text":
            style = text
        elif kind == "speaker":
            style = text + Style(bold=True, color="#8fbcbb" if key[0] else "#ebcb8b")
        elif kind == "fg":
            style = Style(bgcolor="rgb(30,30,30)", color=self.colours.get(key[0]) or "#888888")
        else:  # "span": code, overlapping, selected, cursor
            code, dense, selected, cursor = key
            style = text
            if code is not None:
                style += Style(bgcolor=_blend(self.colours.get(code), 0.65 if dense else 0.45))
            if selected:
                style += Style(bgcolor="#4c566a", color="white")
            if cursor:
                style += Style(reverse=True)
        self._styles[(kind, *key)] = style
        return style

    def _row_segments(self, row: int, sel: tuple[int, int] | None, cursor: bool) -> list[Segment]:
        start, end, turn_index, first = self._rows[row]
        prefix_width, margin_width = columns_for(self._content_width)
        base = self._style("text")
        segments: list[Segment] = []
        if first and turn_index >= 0:
            turn = self.turns[turn_index]
            speaker = _one_line(turn.speaker or "")
            stamp = _clock(turn.start_time)
            if stamp and turn.time_estimated:
                stamp = "~" + stamp  # interpolated from neighbouring turns, not in the source
            if stamp and prefix_width - 3 - len(stamp) < NAME_AT_LEAST:
                stamp = ""  # a narrow column: the name matters more than the time
            # With a timestamp the name gets what is left of the column.
            room = prefix_width - 2 - (len(stamp) + 1 if stamp else 0)
            # Cut and padded in cells: a name in Chinese takes two cells a character.
            label = f"{set_cell_size(speaker, room)}{' ' + stamp if stamp else ''} "
            style = self._style("speaker", bool(turn.interviewer))
            segments.append(Segment(set_cell_size(label, prefix_width), style))
        else:
            segments.append(Segment(" " * prefix_width, base))
        if turn_index < 0:  # the blank line between turns
            return [Segment(" " * (prefix_width + self._wrap_width + 1 + margin_width), self._style("pad"))]
        spans = self._row_spans[row] if row < len(self._row_spans) else []
        # Cut the row at every coding, selection and cursor boundary.
        cuts = {start, end}
        for s in spans:
            cuts.update(c for c in (s.start, s.end) if start < c < end)
        if sel:
            cuts.update(c for c in sel if start < c < end)
        show_cursor = cursor and turn_index >= 0
        if show_cursor and start <= self.cursor < end:
            cuts.update((self.cursor, self.cursor + 1))
        text = self.text
        column = 0  # cells drawn so far in the text column: where the next tab stops
        for a, b in itertools.pairwise(sorted(cuts)):
            covering = [s for s in spans if s.start <= a < s.end] if spans else ()
            colour = None
            if covering:
                colour = min(covering, key=lambda s: s.end - s.start).code
            style = self._style("span", colour, len(covering) > 1,
                                bool(sel and sel[0] <= a < sel[1]),
                                bool(show_cursor and a == self.cursor))
            piece = expand_tabs(text[a:b], column)
            column += cell_len(piece)
            segments.append(Segment(piece, style))
        used = column
        if show_cursor and self.cursor == end:
            segments.append(Segment(" ", self._style("span", None, False, False, True)))
            used += 1
        pad = max(1, self._wrap_width + 1 - used)  # rows may end with their space
        segments.append(Segment(" " * pad, base))
        segments.extend(self._margin(row, spans, start, end, margin_width))
        return segments

    def _margin(self, row: int, spans: list[Span], start: int, end: int, width: int) -> list[Segment]:
        """A coloured bar per coding on the row, then the names of those starting here."""
        base = self._style("pad")
        if not spans:
            return [Segment(" " * width, base)]
        out, used = [], 0
        for s in spans[:4]:
            out.append(Segment("▍", self._style("fg", s.code)))
            used += 1
        upto = self._row_starts[row + 1] if row + 1 < len(self._row_starts) else end + 1
        names = [s for s in spans if start <= s.start < max(end, upto)]
        rest = width - used - 1
        for s in names:
            if rest <= 1:
                break
            label = " " + set_cell_size(_one_line(s.code), rest - 2).rstrip()
            out.append(Segment(label, self._style("fg", s.code)))
            rest -= cell_len(label) + 1
        return out
