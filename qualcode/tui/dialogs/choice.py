"""Pick one of a few labelled things (which coding to remove, which parent)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ..shown import shown


class ChoiceDialog(ModalScreen[Any]):
    """Returns the value of the chosen (label, value) pair, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, prompt: str, choices: list[tuple[str, Any]]) -> None:
        super().__init__()
        self.prompt, self.choices = prompt, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(shown(self.prompt), classes="dialog-title")
            yield OptionList(*(Option(shown(label), id=str(i)) for i, (label, _) in enumerate(self.choices)),
                             id="choices")
            yield Label("Enter to choose · Escape to cancel", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
