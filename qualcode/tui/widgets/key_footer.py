"""A one-line footer of the current screen's keys.

Textual's ``Footer`` mounts a widget per key and recomposes them whenever the bindings
change (every screen switch, every focus change): on a slow machine that is tens of
milliseconds per modal dialog closed. This footer draws the same keys as one line of text.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class KeyFooter(Widget):
    """The keys of the focused widget, the screen and the app; ``?`` lists them all."""

    DEFAULT_CSS = """
    KeyFooter { height: 1; dock: bottom; background: $footer-background; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, _screen) -> None:
        self.refresh()

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            style = "" if enabled else "dim"
            line.append(f" {key} ", style=f"bold reverse {style}".strip())
            line.append(f" {binding.description} ", style=style)
        line.append(" ^p ", style="bold reverse")
        line.append(" palette")
        return line
