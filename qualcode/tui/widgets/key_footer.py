"""A one-line footer of the current screen's keys.

Textual's ``Footer`` mounts a widget per key and recomposes them whenever the bindings
change (every screen switch, every focus change): on a slow machine that is tens of
milliseconds per modal dialog closed. This footer draws the same keys as one line of text.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from ..textual_adapter import SteadyLines


class KeyFooter(SteadyLines, Widget):
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
        return screen_keys(self.screen, self.size.width or 200)


def screen_keys(screen, width: int) -> Text:
    """The keys of ``screen`` (its focused widget's, its own, the app's) that fit in
    ``width`` cells: see :func:`fit_keys`."""
    entries: list[tuple[str, str, bool, bool]] = []  # key, description, enabled, everywhere
    seen: set[str] = set()
    app = screen.app
    for node, binding, enabled, _tooltip in screen.active_bindings.values():
        if not binding.show or binding.action in seen:
            continue
        seen.add(binding.action)
        entries.append((app.get_key_display(binding), binding.description, enabled, node is app))
    return fit_keys(entries, width)


def _entry_width(key: str, description: str) -> int:
    return cell_len(key) + cell_len(description) + 4


def fit_keys(entries: list[tuple[str, str, bool, bool]], width: int) -> Text:
    """The keys that fit in ``width`` cells, this screen's own first and the keys that
    work everywhere after them; help is always kept, last, because it lists the rest.
    Keys that do not fit are left out whole, never cut in the middle."""
    entries = sorted(entries, key=lambda e: e[3])  # stable: each group keeps its order
    helper = next((e for e in entries if e[1] == "help"), None)
    rest = [e for e in entries if e is not helper] + [("^p", "palette", True, True)]
    room = width - (_entry_width(helper[0], helper[1]) if helper else 0)
    chosen = []
    for entry in rest:
        need = _entry_width(entry[0], entry[1])
        if need > room:
            continue  # a shorter key further on may still fit
        chosen.append(entry)
        room -= need
    if helper:
        chosen.append(helper)
    line = Text(no_wrap=True, overflow="ellipsis")
    for key, description, enabled, _everywhere in chosen:
        style = "" if enabled else "dim"
        line.append(f" {key} ", style=f"bold reverse {style}".strip())
        line.append(f" {description} ", style=style)
    return line
