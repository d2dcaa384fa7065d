"""Write or edit a memo: type, title, body (a TextArea), links shown read-only."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, TextArea

from ...model import MEMO_TYPES
from ...records import MemoLink
from ..shown import editable, edited, shown


@dataclass
class MemoDraft:
    """What the editor returns; the screen that opened it calls the core."""

    type: str
    title: str
    body: str
    links: list[MemoLink] = field(default_factory=list)


class MemoEditor(ModalScreen[MemoDraft | None]):
    """ctrl+s saves, escape cancels."""

    AUTO_FOCUS = None  # on_mount chooses: the body when the title is already given

    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, draft: MemoDraft, *, heading: str = "Memo") -> None:
        super().__init__()
        self.draft, self.heading = draft, heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(shown(self.heading), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Select([(t, t) for t in MEMO_TYPES], value=self.draft.type,
                             allow_blank=False, id="type")
                yield Input(editable(self.draft.title), placeholder="title", id="title")
            links = ", ".join(map(str, self.draft.links)) or "none"
            yield Label(shown(f"Links: {links}"), classes="hint", markup=False)
            yield TextArea(editable(self.draft.body), id="body", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        body = self.query_one("#body", TextArea)
        body.move_cursor(body.document.end)  # write after the quote, not above it
        self.query_one("#title" if not self.draft.title else "#body").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#body").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_save(self) -> None:
        title = edited(self.query_one("#title", Input).value, self.draft.title).strip()
        if not title:
            self.notify("Give the memo a title", severity="warning")
            self.query_one("#title").focus()
            return
        body = edited(self.query_one("#body", TextArea).text, self.draft.body)
        self.dismiss(MemoDraft(str(self.query_one("#type", Select).value), title, body,
                               list(self.draft.links)))

    def action_cancel(self) -> None:
        self.dismiss(None)
