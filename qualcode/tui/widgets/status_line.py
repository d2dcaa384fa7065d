"""The status line: project, coder, and the reassurance that nothing is unsaved."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..shown import plain


class StatusLine(Static):
    """Every action is saved as it happens; the line says so, with the last action."""

    def on_mount(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        app = self.app
        project = getattr(app, "project", None)
        if project is None:
            return
        last = getattr(app, "last_action", "")
        line = Text.assemble(
            (f" {plain(project.title)} ", "bold"), (plain(project.path.name), "dim"),
            "  ·  coder ", (plain(project.coder), "bold"),
            "  ·  ", ("✓ all changes saved", "green"),
            (f"  ·  {plain(last)}" if last else "", "dim"),
        )
        self.update(line)
