"""Project data as the terminal UI shows it.

Every string that comes from the project (names, labels, titles, text) reaches a widget
through here: its control characters are made visible by the core's terminal sanitiser
(:mod:`qualcode.terminal_text`), so a transcript or another coder's code name cannot
clear the screen, retitle the window or write the clipboard; and it is a Rich ``Text``,
so brackets in it are never read as markup (``[@click=...]`` would be an action).
The data itself is never changed: what is shown is a copy.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.markup import escape

from ..terminal_text import printable, same_length


def shown(value: Any, style: str = "") -> Text:
    """A value from the project as text for any widget (``\\xNN`` for each control)."""
    return Text(printable(value), style=style)


def plain(value: Any) -> str:
    """The same as a plain string, for text put together before it reaches a widget
    (then given to the widget as a ``Text``, or with markup off)."""
    return printable(value)


def markup(value: Any) -> str:
    """For the few places that read their string as markup whatever is given (the
    command palette): sanitised, and its brackets escaped."""
    return escape(printable(value))


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``1 turn``, ``2 turns``, ``0 codings``: a count with its noun in agreement."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def editable(value: str | None) -> str:
    """A value put in an editor (an input, a text area): each control character gives
    way to one visible character, so the text keeps its length and the cursor its place."""
    return same_length(value or "")


def edited(new: str, original: str | None) -> str:
    """What an editor gives back: the original value when what was shown of it was not
    changed (so opening and saving never rewrites the stored text), else the new one."""
    return original if original is not None and new == editable(original) else new


__all__ = ["counted", "editable", "edited", "markup", "plain", "shown"]
