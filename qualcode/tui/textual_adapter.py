"""The one place the terminal UI reaches into Textual's private hooks.

Everything else uses Textual's public API. These overrides exist for speed on long
transcripts (measured in ``benchmarks/bench_tui.py``; see the notes on long documents):
without them, closing the code picker costs a whole-screen repaint and an extra frame.
They rely on Textual internals that may change in any release, which is why
``pyproject.toml`` caps Textual below the next major version: check these three hooks
(and run the benchmark) before raising the cap.

- ``_size_updated`` (ScrollView): a layout pass elsewhere on the screen that leaves this
  widget's sizes as they were still repaints both scrollbars in a frame of its own,
  because ScrollView compares values it derives differently; such a pass is skipped.
- ``_on_focus`` / ``_on_blur`` (Widget): gaining or losing the focus repaints the whole
  widget, ~12 ms of compositing for a screen of text, for a widget drawn the same either
  way; they are replaced by setting ``has_focus`` and telling the parent, as Widget does.
- ``_set_dirty`` and ``render_lines`` (Widget): every partial update of the screen asks each widget beside
  the one that changed for all its lines again (the compositor picks widgets by their
  clip, which for a child of the screen is the whole screen). Textual answers from its
  line cache, but computing the widget's colours, filters and padding for that costs
  ~180 function calls a widget; :class:`SteadyLines` keeps the last answer until Textual
  marks the widget dirty, which is when its own line cache is dropped too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _ViewBase
    from textual.widget import Widget as _WidgetBase
else:
    _ViewBase = object
    _WidgetBase = object


class SteadyScrollView(_ViewBase):
    """Mixed in before ``ScrollView`` by a view drawn the same with or without focus,
    whose lines change a few at a time (a cursor move repaints two rows): of the lines
    the compositor asks for, only those marked dirty since it last asked are drawn again
    (one run from the first to the last), the others are given as they were."""

    _kept: tuple[tuple, list[Strip]] | None = None  # (crop, size, scroll), lines
    _dirty_rows: set[int] | None = None

    def _set_dirty(self, *regions: Region) -> None:
        if regions and self._kept is not None:
            offset = self.content_offset  # as Textual's line cache counts its lines
            rows = self._dirty_rows if self._dirty_rows is not None else set()
            for region in regions:
                rows.update(region.translate(offset).line_range)
            self._dirty_rows = rows
        else:
            self._kept, self._dirty_rows = None, None
        super()._set_dirty(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        key = (crop, self.size, self.scroll_offset)
        kept, rows = self._kept, self._dirty_rows
        if kept is None or kept[0] != key:
            lines = super().render_lines(crop)
        else:
            lines = list(kept[1])
            inside = [y for y in rows or () if crop.y <= y < crop.bottom]
            if inside:
                first, last = min(inside), max(inside)
                run = super().render_lines(Region(crop.x, first, crop.width, last - first + 1))
                lines[first - crop.y:last - crop.y + 1] = run
        self._kept, self._dirty_rows = (key, lines), set()
        return lines

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        key = (size, virtual_size, container_size, self.virtual_size)
        if key == getattr(self, "_last_layout", None) and size == self._size:
            return False
        self._last_layout = key
        return super()._size_updated(size, virtual_size, container_size, layout=layout)

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()  # Widget._on_focus would run next and repaint
        self.has_focus = True
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))


class SteadyLines(_WidgetBase):
    """Mixed in before a widget class whose lines change only when it is refreshed (a
    status line, a title, the codebook tree): the lines the compositor asked for last
    are given again, without a pass through Textual's line cache, until the widget is
    marked dirty (refreshed, resized, restyled) or scrolled."""

    _steady: tuple[tuple, list[Strip]] | None = None

    def _set_dirty(self, *regions: Region) -> None:
        self._steady = None
        super()._set_dirty(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        key = (crop, self.size, self.scroll_offset)
        steady = self._steady
        if steady is not None and steady[0] == key:
            return steady[1]
        lines = super().render_lines(crop)
        self._steady = (key, lines)
        return lines
