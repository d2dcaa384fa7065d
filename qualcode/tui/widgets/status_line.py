"""The status line: project, coder, and the reassurance that nothing is unsaved, or
what failed."""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual.widgets import Static

from ..shown import plain


class StatusLine(Static):
    """Every action is saved as it happens; the line says so, with the last action. After
    a failure it says what failed instead, until the next save."""

    def on_mount(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        app = self.app
        project = getattr(app, "project", None)
        if project is None:
            return
        try:
            title, coder = project.title, project.coder
        except sqlite3.Error:  # the failure itself is reported by whoever met it first
            title, coder = project.path.stem, "?"
        last = getattr(app, "last_action", "")
        error = getattr(app, "last_error", "")
        where = Text.assemble((f" {plain(title)} ", "bold"), (plain(project.path.name), "dim"),
                              "  ·  coder ", (plain(coder), "bold"))
        if error:  # first, where a narrow terminal cannot cut it off
            line = Text.assemble((f" ✗ {plain(error)} ", "bold red"), " ·", where)
        else:
            line = Text.assemble(where, "  ·  ", ("✓ all changes saved", "green"),
                                 (f"  ·  {plain(last)}" if last else "", "dim"))
        self.update(line)
