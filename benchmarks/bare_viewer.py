"""The floor for the terminal UI's key timings: a bare Line API viewer of the same text.

One ``ScrollView`` and nothing else on the screen: the transcript wrapped into the same
rows as qualcode's view (:func:`qualcode.tui.widgets.transcript_rows.wrap_rows`, at the
text column's width when one is given) in a view as tall as qualcode's when its height is
given (so both scroll on the same key presses), a
cursor that moves by sentence (down) or by a page (pagedown), one cached ``Strip`` per
row and only the rows the cursor leaves and enters repainted. No codings, margin,
status line or footer. ``bench_tui.py`` times it with the same clock as the real
screen, so the ratio between the two is what qualcode adds to every key press.
"""

from __future__ import annotations

import time
from bisect import bisect_right

from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.records.transcripts import Turn
from qualcode.tui.widgets.transcript_rows import wrap_rows

PLAIN = Style(color="rgb(220,220,220)", bgcolor="rgb(30,30,30)")
CURSOR = Style(color="rgb(20,20,20)", bgcolor="rgb(220,220,220)")


class BareView(ScrollView, can_focus=True):
    BINDINGS = [Binding("down", "down"), Binding("pagedown", "page")]
    DEFAULT_CSS = "BareView { overflow-x: hidden; }"  # as qualcode's: no row lost to a scrollbar

    def __init__(self, text: str, turns: list[Turn], sentence_starts: list[int],
                 wrap_width: int | None = None) -> None:
        super().__init__()
        self.text, self.turns, self.sentence_starts = text, turns, sentence_starts
        self.wrap_width = wrap_width
        self.rows: list[tuple[int, int, int, bool]] = []
        self.row_starts: list[int] = []
        self.cursor = turns[0].start if turns else 0
        self.cache: dict[int, Strip] = {}

    def on_resize(self) -> None:
        width = max(10, self.scrollable_content_region.width - 1)
        self.rows = wrap_rows(self.text, self.turns, self.wrap_width or width)
        self.row_starts = [r[0] for r in self.rows]
        self.cache.clear()
        self.virtual_size = Size(width, len(self.rows))

    def row_of(self, offset: int) -> int:
        return max(0, bisect_right(self.row_starts, offset) - 1)

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_y) + y
        if row >= len(self.rows):
            return Strip.blank(self.size.width, PLAIN)
        cursor_row = self.row_of(self.cursor)
        if row != cursor_row and row in self.cache:
            return self.cache[row]
        start, end, _turn, _first = self.rows[row]
        line = self.text[start:end].replace("\n", " ")
        strip = Strip([Segment(line, CURSOR if row == cursor_row else PLAIN)]).adjust_cell_length(
            self.size.width, PLAIN)
        if row != cursor_row:
            self.cache[row] = strip
        return strip

    def _move_to(self, offset: int) -> None:
        old = self.row_of(self.cursor)
        self.cursor = offset
        new = self.row_of(offset)
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        if not top <= new < top + height:
            self.scroll_to(y=max(0, new - height + 1) if new >= top else new, animate=False,
                           immediate=True)
        for row in (old, new):
            self.refresh_lines(row)

    def action_down(self) -> None:
        i = bisect_right(self.sentence_starts, self.cursor)
        if i < len(self.sentence_starts):
            self._move_to(self.sentence_starts[i])

    def action_page(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=int(self.scroll_y) + height, animate=False, immediate=True)
        row = min(self.row_of(self.cursor) + height, len(self.rows) - 1)
        self._move_to(self.rows[row][0])


class BareApp(App):
    """The viewer alone, with the same frame clock as ``bench_tui.BenchApp``."""

    frames: list[tuple[float, bool, bool]]

    def __init__(self, text: str, turns: list[Turn], sentence_starts: list[int],
                 wrap_width: int | None = None, view_height: int | None = None) -> None:
        super().__init__()
        self.view = BareView(text, turns, sentence_starts, wrap_width)
        if view_height:  # as tall as qualcode's view: the same presses scroll in both
            self.view.styles.height = view_height
        self.frames = []

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self.view.focus()

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if renderable is None:
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            render(self.console)
        self.frames.append((time.perf_counter(), True, True))
