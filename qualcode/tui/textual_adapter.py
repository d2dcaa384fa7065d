"""The one place the terminal UI reaches into Textual's private hooks.

Everything else uses Textual's public API. These overrides exist for speed on long
transcripts (measured in ``benchmarks/bench_tui.py``; see the notes on long documents):
without them, closing the code picker costs a whole-screen repaint and an extra frame,
and every key redraws widgets that did not change. They rely on Textual internals that
may change in any release, which is why ``pyproject.toml`` caps Textual below the next
major version: check these hooks (the tests in ``tests/tui/test_steady_lines.py``
compare what they give with Textual's own pipeline) and run the benchmark before raising
the cap.

- ``_size_updated`` (ScrollView): a layout pass elsewhere on the screen that leaves this
  widget's sizes as they were still repaints both scrollbars in a frame of its own,
  because ScrollView compares values it derives differently; such a pass is skipped.
- ``_on_focus`` / ``_on_blur`` (Widget): gaining or losing the focus repaints the whole
  widget, ~12 ms of compositing for a screen of text, for a widget drawn the same either
  way; they are replaced by setting ``has_focus`` and telling the parent, as Widget does.
- ``_set_dirty`` and ``render_lines`` (Widget): every partial update of the screen asks
  each widget beside the one that changed for all its lines again (the compositor picks
  widgets by their clip, which for a child of the screen is the whole screen). Textual
  answers from its line cache, but computing the widget's colours, filters and padding
  for that costs ~180 function calls a widget; :class:`SteadyLines` keeps the last answer
  until Textual marks the widget dirty, which is when its own line cache is dropped too,
  and draws again only the lines marked. :class:`SteadyScrollView` does the same for the
  transcript view, by document row, so that a scroll draws only the rows that come in.
- ``render_line`` through the styles cache (Widget): :func:`straight_lines` gives the
  lines of a widget with nothing around its content as that pipeline would, filtered
  once per line instead of copied and filtered on every key.
- ``_vertical_scrollbar`` (Widget): the view's scrollbar is made steady too.
- ``_dirty_widgets`` and ``_compositor`` (Screen): :func:`repaint` tells the screen of a
  few changed lines at once, without the rest of a refresh.
- ``_tree_lines_cached`` and ``_check_refresh`` (Tree, Widget): :class:`IdleTree` skips
  Tree's lock on idle when its lines are built.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style as RichStyle
from textual import events
from textual.color import Color
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style as VisualStyle

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _ViewBase
    from textual.widget import Widget as _WidgetBase
else:
    _ViewBase = object
    _WidgetBase = object


@functools.lru_cache(maxsize=64)
def _inner_style(base: Color, background: Color) -> RichStyle:
    """The style Textual pads a widget's content lines with (as its styles cache does)."""
    return VisualStyle(background=base + background).rich_style


def straight_lines(widget: _WidgetBase, crop: Region) -> list[Strip] | None:
    """The lines Textual's pipeline would give for ``crop`` of a widget with nothing
    around or over its content (no padding, border, outline, tint, hatch or opacity, and
    no link under the mouse), or None for any other widget. For such a widget that
    pipeline only copies each line of ``render_line`` into a new strip and filters it:
    here the line itself is filtered, and a line given again (a row kept by the view,
    the same status line) finds what each filter made of it kept on the strip, instead
    of being copied and filtered again on every key."""
    finish = _finisher(widget)
    if finish is None:
        return None
    lines = [finish(widget.render_line(y)) for y in crop.line_range]
    if crop.x or crop.width != widget.size.width:
        lines = [line.crop(crop.x, crop.right) for line in lines]
    return lines


def warm_lines(widget: _WidgetBase, lines: list[Strip]) -> None:
    """Make lines that ``widget.render_line`` will give (rows drawn ahead while idle)
    into what :func:`straight_lines` gives for them, so that work is done by then: each
    strip keeps its padded form and what each filter made of it."""
    finish = _finisher(widget) if lines else None
    if finish is not None:
        for line in lines:
            finish(line)


def _finisher(widget: _WidgetBase) -> Callable[[Strip], Strip] | None:
    """What turns a line of ``render_line`` into the line Textual's pipeline gives, for
    a widget whose lines can be given straight (None for any other widget).

    What the widget's styles say (decorated or not, its background) is kept on the
    widget until it is repainted whole (see :func:`_restyled`), as Textual keeps its
    own lines: a change of style, its own or an ancestor's, repaints it whole."""
    if widget.auto_links and widget.hover_style._link_id:
        return None
    looks = widget.__dict__.get("_straight_looks")
    if looks is None:
        styles = widget.styles
        decorated = bool(widget.BLANK or styles.gutter or styles.tint.a or styles.text_opacity != 1
                         or widget.opacity != 1 or any(edge for edge, _colour in styles.outline)
                         or (styles.has_rule("hatch") and styles.hatch != "none"))
        base, background = widget.background_colors
        # (inner: what a line shorter than the widget is padded with)
        looks = widget.__dict__["_straight_looks"] = (decorated, background, _inner_style(base, background))
    decorated, background, inner = looks
    if decorated:
        return None
    width = widget.size.width
    filters = widget.get_line_filters()

    def finish(line: Strip) -> Strip:
        line = line.adjust_cell_length(width, inner)
        for line_filter in filters:
            line = line.apply_filter(line_filter, background)
        return line

    return finish


def _restyled(widget: _WidgetBase) -> None:
    """Forget what :func:`straight_lines` kept of the widget's styles."""
    widget.__dict__.pop("_straight_looks", None)


def repaint(widget: _WidgetBase, *regions: Region) -> None:
    """``widget.refresh(*regions)`` for lines whose text changed but not the widget's
    size or styles (the cursor's rows and the line that says where it is, on every key).
    A refresh also drops the widget's cached sizes and styles, which the next frame then
    works out again, and wakes the widget's own message loop only for it to tell the
    screen; here the lines are marked dirty and the screen is told at once, as that loop
    would tell it. A widget the screen does not show (yet) is refreshed as usual."""
    screen = widget.screen
    if not widget.is_mounted or widget not in screen._compositor.visible_widgets:
        widget.refresh(*regions)
        return
    widget._set_dirty(*regions)
    screen._dirty_widgets.add(widget)
    screen.check_idle()


class SteadyScrollView(_ViewBase):
    """Mixed in before ``ScrollView`` by a view drawn the same with or without focus,
    whose lines change a few at a time (a cursor move repaints two rows): of the lines
    the compositor asks for, only those marked dirty since it last asked are drawn again
    (one run from the first to the last), the others are given as they were.

    Lines are kept by the document row they show, so scrolling by a few rows draws only
    the rows that come into view: Textual repaints the whole view on a scroll, as the
    rows moved, but no row changed. This holds for a view without top or bottom padding
    or border, whose lines are its rows; any other view is drawn whole when it scrolls."""

    # (crop, size, horizontal scroll, first document row), the lines
    _kept: tuple[tuple, int, list[Strip]] | None = None
    _dirty_rows: set[int] | None = None  # document rows
    _scrolling = False

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar, made as Widget makes it but steady: the compositor
        asks it for its lines whenever a row beside it changes (every cursor key)."""
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = bar = SteadyScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _set_dirty(self, *regions: Region) -> None:
        if self._scrolling and regions and self._kept is not None:
            pass  # the rows moved; none changed
        elif regions and self._kept is not None:
            # A region is counted from the top of the content, which shows document row
            # scroll_y (Widget._set_dirty moves it by the content offset for its cache).
            top = int(self.scroll_y)
            rows = self._dirty_rows if self._dirty_rows is not None else set()
            for region in regions:
                rows.update(range(region.y + top, region.bottom + top))
            self._dirty_rows = rows
        else:
            self._kept, self._dirty_rows = None, None
            _restyled(self)
        super()._set_dirty(*regions)

    def watch_scroll_y(self, old: float, new: float) -> None:
        if self.gutter.top or self.gutter.bottom:
            self._kept = None  # lines that are not rows: drawn whole
        self._scrolling = True
        try:
            super().watch_scroll_y(old, new)
        finally:
            self._scrolling = False

    def render_lines(self, crop: Region) -> list[Strip]:
        key, top = (crop, self.size, self.scroll_offset.x), int(self.scroll_y) - self.gutter.top
        kept, dirty = self._kept, self._dirty_rows or set()
        if kept is None or kept[0] != key or not kept[2]:
            lines = self._lines(crop)
        else:
            # The rows the crop shows, each from the lines kept where it was kept clean.
            moved, old = top - kept[1], kept[2]
            lines = []
            stale: list[int] = []  # indexes into lines
            for index, line in enumerate(crop.line_range):
                was = index + moved
                if 0 <= was < len(old) and line + top not in dirty:
                    lines.append(old[was])
                else:
                    lines.append(old[0])  # a placeholder, drawn below
                    stale.append(index)
            if stale:
                first, last = stale[0], stale[-1]
                lines[first:last + 1] = self._lines(Region(crop.x, crop.y + first, crop.width, last - first + 1))
        self._kept, self._dirty_rows = (key, top, lines), set()
        return lines

    def _lines(self, crop: Region) -> list[Strip]:
        lines = straight_lines(self, crop)
        return super().render_lines(crop) if lines is None else lines

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
    marked dirty (refreshed, resized, restyled) or scrolled. A refresh of some lines
    (a status bar's one line) draws only those again, straight where the widget has
    nothing around its lines (see :func:`straight_lines`)."""

    _steady: tuple[tuple, list[Strip]] | None = None
    _dirty_lines: set[int] | None = None  # as Textual's line cache counts them

    def _set_dirty(self, *regions: Region) -> None:
        if regions and self._steady is not None:
            lines = self._dirty_lines if self._dirty_lines is not None else set()
            for region in regions:
                lines.update(region.translate(self.content_offset).line_range)
            self._dirty_lines = lines
        else:
            self._steady, self._dirty_lines = None, None
            _restyled(self)
        super()._set_dirty(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        key = (crop, self.size, self.scroll_offset)
        steady, dirty = self._steady, self._dirty_lines
        if steady is None or steady[0] != key:
            lines = super().render_lines(crop)
        elif not dirty:
            return steady[1]
        else:
            lines = list(steady[1])
            inside = [y for y in dirty if crop.y <= y < crop.bottom]
            if inside:
                run = Region(crop.x, min(inside), crop.width, max(inside) - min(inside) + 1)
                drawn = straight_lines(self, run)
                lines[run.y - crop.y:run.bottom - crop.y] = super().render_lines(run) if drawn is None else drawn
        self._steady, self._dirty_lines = (key, lines), set()
        return lines


class SteadyScrollBar(SteadyLines, ScrollBar):
    """A scrollbar that gives its last lines again until it changes (its position, its
    size, the mouse over it: each repaints it)."""


class IdleTree(_WidgetBase):
    """Mixed in before ``Tree``: Tree's idle handler takes an asyncio lock to build its
    lines, on every idle of the tree, which comes twice a key whatever the key. Where the
    lines are built already, only what Widget does on idle is done."""

    async def _on_idle(self, event: events.Idle) -> None:
        if getattr(self, "_tree_lines_cached", None) is not None:
            event.prevent_default()  # neither Tree's handler nor Widget's runs after this
            self._check_refresh()  # (Widget's)
