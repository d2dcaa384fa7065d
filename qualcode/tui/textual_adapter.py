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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Size

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _ViewBase
else:
    _ViewBase = object


class SteadyScrollView(_ViewBase):
    """Mixed in before ``ScrollView`` by a view drawn the same with or without focus."""

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
