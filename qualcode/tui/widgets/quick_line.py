"""A line of text that repaints without a layout pass."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class QuickLine(Widget):
    """One line of text (where the cursor is; the transcript's title and counts) that
    repaints without a layout pass: a ``Static.update`` costs an extra frame tens of
    milliseconds later, on every key press or coding."""

    def __init__(self, text: Text | str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text if isinstance(text, Text) else Text(text)

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        return self.text
