"""What every screen shares: the status line, the footer, reloading after changes."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Tree

from ...errors import QualcodeError
from ..live import ProjectChanged
from ..shown import plain
from ..widgets.status_line import StatusLine

if TYPE_CHECKING:
    from ...project import Project
    from ..app import QualcodeApp


class BaseScreen(Screen):
    """A screen that re-reads its data when it comes back into view, after undo, and
    when another program changed the project."""

    BINDINGS = [Binding("escape", "back", "back")]
    #: The app's change counter when this screen last read the project (None: never
    #: shown yet, so there is nothing to re-read on its first resume).
    seen_generation: int | None = None

    if TYPE_CHECKING:  # the screens run inside qualcode's app, whose methods they call
        app: QualcodeApp

    @property
    def project(self) -> Project:
        return self.app.project

    def reload(self) -> None:
        """Re-read what the screen shows from the project, keeping the user's place
        (override)."""

    def reload_shown(self) -> None:
        """:meth:`reload`, with a database error shown instead of ending the app."""
        try:
            self.reload()
        except sqlite3.Error as exc:
            self.app.database_failure("could not read the project", exc)
        except QualcodeError as exc:
            self.notify(plain(exc), severity="warning", markup=False)

    def on_descendant_focus(self, event) -> None:
        """The pane with the focus says so in its title, and a list or tree that gains
        the focus shows where it is: its first row is highlighted if none was, so Enter
        works at once (Tab into an empty highlight used to need a Down first)."""
        widget = event.widget
        # The title of the pane holding the focus is lit: a pane is the widget a title
        # names (on a screen without containers), else the title's container.
        for title in self.query(".pane-title"):
            pane = getattr(title, "titles", None)
            lit = widget.id == pane if pane else title.parent in widget.ancestors
            title.set_class(lit, "-pane-focused")
        if isinstance(widget, OptionList) and widget.highlighted is None and widget.option_count:
            widget.highlighted = 0
        elif isinstance(widget, Tree) and widget.cursor_line < 0 and widget.last_line >= 0:
            widget.cursor_line = 0

    def on_project_changed(self, event: ProjectChanged) -> None:
        event.stop()
        self.seen_generation = self.app.generation
        self.reload_shown()

    def on_screen_resume(self) -> None:
        for line in self.query(StatusLine):
            line.update_status()
        # Re-read only if something was saved elsewhere since this screen last looked
        # (closing a dialog must not rebuild the screen under the user's cursor).
        seen = self.seen_generation
        self.seen_generation = self.app.generation
        if seen is not None and seen != self.app.generation:
            self.reload_shown()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def attempt(self, func, *args, **kwargs):
        """Call the core; show its refusal or a database error instead of crashing."""
        try:
            return func(*args, **kwargs)
        except QualcodeError as exc:
            self.notify(plain(exc), severity="error", title="Not done", markup=False)
            return None
        except sqlite3.Error as exc:
            name = getattr(func, "__name__", "change").replace("_", " ")
            self.app.database_failure(f"not saved ({name})", exc)
            return None

    def saved(self, summary: str) -> None:
        """Say what was just saved on the status line (no toast: a toast per coded
        sentence is noise, and its animation costs frames on long transcripts)."""
        self.app.saved_here(summary)
        self.seen_generation = self.app.generation
