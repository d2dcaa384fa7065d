"""Write the summary of one cell of the grid, with the cell's coded passages beside it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from ..shown import editable, edited, plain, shown


@dataclass(frozen=True)
class Passage:
    """A coded passage shown beside the editor (what the summary rests on)."""

    coding_id: int
    source: str
    text: str


class SummaryEditor(ModalScreen[str | None]):
    """ctrl+s saves (an emptied text deletes the summary), escape cancels. Returns the
    text; the screen that opened it calls the core."""

    AUTO_FOCUS = "#summary-body"

    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, heading: str, body: str, passages: list[Passage], *, cited: int = 0) -> None:
        super().__init__()
        self.heading, self.body, self.passages, self.cited = heading, body, passages, cited

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="summary-dialog"):
            yield Label(shown(self.heading), classes="dialog-title")
            with Horizontal(id="summary-panes"):
                with Vertical(id="summary-left"):
                    yield TextArea(editable(self.body), id="summary-body", soft_wrap=True)
                    hint = (f"Cites {self.cited} coded passage(s)." if self.cited else
                            "A new summary cites the passages shown.")
                    yield Label(Text(hint + " An empty text deletes the summary.", "dim"), classes="hint")
                with VerticalScroll(id="summary-passages"):
                    yield Label(Text(f"Coded passages ({len(self.passages)})", "bold"))
                    if not self.passages:
                        yield Static(Text("Nothing coded here.", "dim italic"))
                    for passage in self.passages:
                        yield Static(Text.assemble((plain(passage.source), "dim"), "\n",
                                                   plain(" ".join(passage.text.split()))),
                                     classes="passage")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        body = self.query_one("#summary-body", TextArea)
        body.move_cursor(body.document.end)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(edited(self.query_one("#summary-body", TextArea).text, self.body))

    def action_cancel(self) -> None:
        self.dismiss(None)
