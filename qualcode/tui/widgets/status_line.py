"""The status line: whether everything is saved (or what failed), the last action, who
else is here, the coder and the project."""

from __future__ import annotations

import sqlite3

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from ..shown import plain
from ..textual_adapter import SteadyLines

SEPARATOR = "  ·  "


def fit_status(state: Text, last: str, coder: str, project: str, width: int,
               presence: str = "") -> Text:
    """One line of at most ``width`` cells, the most important part first: the saved
    state (or the failure), the last action, who else is here (when anyone is), the
    coder, the project. What does not fit goes from the end: the project, then the coder,
    then who else is here, then the last action is shortened with an ellipsis; the state
    is never dropped."""
    who = Text.assemble("coder ", (coder, "bold"))
    where = Text(project, "dim")
    action = Text(last, "dim")
    others = (Text(presence, "cyan"),) if presence else ()
    for extras in ((*others, who, where), (*others, who), others, ()):
        line = state.copy()
        for part in ((action,) if last else ()) + extras:
            line.append(SEPARATOR)
            line.append_text(part)
        if cell_len(line.plain) <= width:
            return line
    line.truncate(max(1, width), overflow="ellipsis")
    return line


class StatusLine(SteadyLines, Widget):
    """Every action is saved as it happens; the line says so, with the last action. After
    a failure it says what failed instead, until the next save. Drawn to fit the width:
    see :func:`fit_status`."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def on_mount(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        self.refresh()

    def render(self) -> Text:
        app = self.app
        project = getattr(app, "project", None)
        if project is None:
            return Text("")
        try:
            title, coder = project.title, project.coder
        except sqlite3.Error:  # the failure itself is reported by whoever met it first
            title, coder = project.path.stem, "?"
        last = plain(getattr(app, "last_action", ""))
        error = plain(getattr(app, "last_error", ""))
        state = Text.assemble((f" ✗ {error}", "bold red")) if error else Text(" ✓ all changes saved", "green")
        # The title and the file it lives in, told apart (they used to run together).
        named = f"{plain(title)} ({plain(project.path.name)})"
        width = self.size.width or 160
        presence = plain(getattr(getattr(app, "presence", None), "line", ""))
        return fit_status(state, last, plain(coder), named, width, presence)
