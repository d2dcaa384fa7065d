"""The coding screen's foot: where the cursor is, the status line and the keys, as one
widget of three lines.

One widget rather than three: a key press in the transcript passes through every widget
on the screen (each gets its turn in Textual's message loop), so the screen keeps as few
as it can. Each line repaints on its own: a cursor key redraws only the position line.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from ..textual_adapter import repaint
from .key_footer import screen_keys
from .quick_line import draw_dim_line, draw_line
from .status_line import StatusLine

POSITION, STATUS, KEYS = range(3)


class CodingBar(StatusLine):
    """Line 1: turn, cursor or selection, the codes here (and the player, while one
    plays); line 2: the status line (see :class:`StatusLine`); line 3: the keys."""

    DEFAULT_CSS = """
    CodingBar { height: 3; }
    CodingBar > .coding-bar--position { color: $foreground; }
    CodingBar > .coding-bar--status { background: $boost; color: $text-muted; }
    CodingBar > .coding-bar--keys { background: $footer-background; color: $foreground; }
    """
    COMPONENT_CLASSES = {"coding-bar--position", "coding-bar--status", "coding-bar--keys"}
    _PARTS = ("coding-bar--position", "coding-bar--status", "coding-bar--keys")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.position = ""
        self._part_styles: dict[str, Style] = {}

    def on_mount(self) -> None:
        super().on_mount()
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self._refresh_line(KEYS)

    def _refresh_line(self, y: int) -> None:
        repaint(self, Region(0, y, self.size.width or 1, 1))

    def show_position(self, text: str) -> None:
        """Say where the cursor is, in dim text (repaints that line only)."""
        self.position = text
        self._refresh_line(POSITION)

    def update_status(self) -> None:
        self._refresh_line(STATUS)

    def keys(self) -> Text:
        """The keys line as drawn: this screen's keys first, help last."""
        return screen_keys(self.screen, self.size.width or 200)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y == POSITION:  # (drawn on every key: the quick way)
            return draw_dim_line(self.position, width, self._part_style(self._PARTS[POSITION]), self.app.console)
        text = self.render() if y == STATUS else self.keys()
        return draw_line(text, width, self._part_style(self._PARTS[min(y, KEYS)]), self.app.console)

    def _part_style(self, part: str) -> Style:
        # Each line's colours, kept until the bar is restyled: Textual computes them
        # again after every refresh (walking every ancestor), that is on every key.
        style = self._part_styles.get(part)
        if style is None:
            style = self._part_styles[part] = self.get_component_rich_style(part)
        return style

    def notify_style_update(self) -> None:
        self._part_styles.clear()
        super().notify_style_update()
