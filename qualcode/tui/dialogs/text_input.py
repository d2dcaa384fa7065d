"""One line of text (a code name, a search, a new parent)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..shown import editable, edited, shown


class TextInputDialog(ModalScreen[str | None]):
    """Returns the typed text (stripped), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, prompt: str, value: str = "", *, placeholder: str = "") -> None:
        super().__init__()
        self.prompt, self.value, self.placeholder = prompt, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(shown(self.prompt), classes="dialog-title")
            yield Input(editable(self.value), placeholder=self.placeholder, id="text")
            yield Label("Enter to confirm · Escape to cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(edited(event.value, self.value).strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
