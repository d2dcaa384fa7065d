"""A line of text that repaints without a layout pass."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.color import Color as RichColor
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.constants import DIM_FACTOR
from textual.filter import dim_style
from textual.strip import Strip
from textual.widget import Widget

from ..textual_adapter import SteadyLines


@lru_cache(maxsize=256)
def _truecolor(style: Style | None) -> Style | None:
    """A named colour ("green") as the RGB Textual gives it everywhere else (the
    standard palette), not the terminal theme's."""
    if style is None or style.color is None or style.color.is_default or style.color.triplet:
        return style
    return style + Style(color=RichColor.from_triplet(style.color.get_truecolor()))


def draw_line(text: Text, width: int, style: Style, console: Console) -> Strip:
    """One line of ``text`` in ``width`` cells over the widget's ``style`` (its CSS
    colours), cut with an ellipsis where it does not fit. Drawn straight from the rich
    text: Textual's general content pipeline (wrapping, markup, alignment) cost a cursor
    key four times the drawing of the line itself."""
    fill = Style(bgcolor=style.bgcolor)
    if text.cell_len > width:
        text = text.copy()
        text.truncate(max(1, width), overflow="ellipsis")
    base = style + console.get_style(text.style, default=Style.null())
    segments = [Segment(s.text, _truecolor(s.style))
                for s in Segment.apply_style(text.render(console, end=""), base)]
    if any(s.style is not None and s.style.dim for s in segments) and style.bgcolor is not None:
        # Dim as Textual draws it everywhere else: blended towards the background.
        background = Color.from_rich_color(style.bgcolor)
        segments = [Segment(s.text, dim_style(s.style, background, DIM_FACTOR))
                    if s.style is not None and s.style.dim else s for s in segments]
    return Strip(segments).adjust_cell_length(width, fill)


def draw_dim_line(text: str, width: int, style: Style, console: Console) -> Strip:
    """What ``draw_line(Text.assemble(" ", Text(text, "dim")), ...)`` draws, made
    directly: a line said on every key (where the cursor is) is one run of dim text after
    a space, and its two styles are worked out once per line style instead of per key."""
    if width < 3:
        return draw_line(Text.assemble(" ", Text(text, "dim")), width, style, console)
    space_style, text_style = _dim_line_styles(style, console)
    if cell_len(text) + 1 > width:
        text = set_cell_size(text, width - 2) + "…"
    return Strip([Segment(" ", space_style), Segment(text, text_style)]).adjust_cell_length(
        width, Style(bgcolor=style.bgcolor))


@lru_cache(maxsize=64)
def _dim_line_styles(style: Style, console: Console) -> tuple[Style | None, Style | None]:
    """The styles draw_line gives a space and then dim text over ``style``."""
    drawn = draw_line(Text.assemble(" ", Text("x", "dim")), 2, style, console)
    first, second = list(drawn)[:2]
    return first.style, second.style


class QuickLine(SteadyLines, Widget):
    """One line of text (where the cursor is; the transcript's title and counts) that
    repaints without a layout pass: a ``Static.update`` costs an extra frame tens of
    milliseconds later, on every key press or coding. Drawn by :func:`draw_line`."""

    def __init__(self, text: Text | str = "", *, id: str | None = None, classes: str | None = None,
                 titles: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text if isinstance(text, Text) else Text(text)
        #: The id of the pane this line is the title of, where the two are siblings
        #: (see BaseScreen.on_descendant_focus).
        self.titles = titles

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        """The line's text (what it says; it is drawn by :meth:`render_line`)."""
        return self.text

    _line_style: Style | None = None

    def notify_style_update(self) -> None:
        self._line_style = None  # restyled (a class, the theme): computed again
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        # The colours and text style the CSS gives this line, kept until it is restyled:
        # computing them walks every ancestor, which cost more than drawing the line.
        style = self._line_style
        if style is None:
            style = self._line_style = self.rich_style
        width = self.content_size.width
        if y:
            return Strip.blank(width, Style(bgcolor=style.bgcolor))
        return draw_line(self.text, width, style, self.app.console)
