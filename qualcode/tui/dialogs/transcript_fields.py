"""Edit a transcript's wave, participant, kind, date and name."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ...model import TRANSCRIPT_KINDS
from ...records.transcripts import TranscriptSummary
from ..shown import editable, edited, plain, shown


@dataclass(frozen=True)
class TranscriptFields:
    """What the dialog returns: each field as typed ("" clears wave, participant, date)."""

    wave: str
    participant: str
    kind: str
    date: str
    name: str


class TranscriptFieldsDialog(ModalScreen[TranscriptFields | None]):
    """ctrl+s (or Enter in a field) saves, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, current: TranscriptSummary, waves: list[str], participants: list[str]) -> None:
        super().__init__()
        self.current, self.waves, self.participants = current, waves, participants

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(classes="dialog wide fields"):
            yield Label(shown(f"Transcript {c.name}"), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label("name", classes="field")
                yield Input(editable(c.name), id="name")
            with Horizontal(classes="row"):
                yield Label("wave", classes="field")
                yield Input(editable(c.wave), placeholder=plain(", ".join(self.waves)), id="wave")
            with Horizontal(classes="row"):
                yield Label("participant", classes="field")
                yield Input(editable(c.participant), placeholder=plain(", ".join(self.participants[:8])),
                            id="participant")
            with Horizontal(classes="row"):
                yield Label("kind", classes="field")
                yield Select([(k, k) for k in TRANSCRIPT_KINDS], value=c.kind, allow_blank=False, id="kind")
            with Horizontal(classes="row"):
                yield Label("date", classes="field")
                yield Input(editable(c.date), placeholder="YYYY-MM-DD", id="date")
            yield Label("An empty wave, participant or date clears it. Undo (u) takes the change back.",
                        classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_save(self) -> None:
        def value(widget_id: str) -> str:
            # What was shown of a stored value comes back as that value when left alone.
            return edited(self.query_one(f"#{widget_id}", Input).value, getattr(self.current, widget_id)).strip()

        self.dismiss(TranscriptFields(value("wave"), value("participant"),
                                      str(self.query_one("#kind", Select).value), value("date"), value("name")))

    def action_cancel(self) -> None:
        self.dismiss(None)
