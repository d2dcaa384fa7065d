"""All memos: filter by type, author and link; read and edit the body in a TextArea."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from ...errors import QualcodeError
from ...model import MEMO_TYPES
from ...records import Memo, MemoLink
from ..dialogs import MemoDraft, MemoEditor
from ..shown import editable, edited, plain, shown
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen


class MemosScreen(BaseScreen):
    """Browse, filter, edit, write memos."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save body", priority=True),
        Binding("ctrl+n", "new", "new memo"),
        Binding("ctrl+f", "filter", "filters", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Memo] = []
        self.current: Memo | None = None
        # The memo and body put in the editor, to tell unsaved edits apart.
        self.shown_id: int | None = None
        self.shown_body = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="memo-filters"):
            yield Select([(t, t) for t in MEMO_TYPES], prompt="any type", id="f-type")
            yield Input(placeholder="author", id="f-author")
            yield Input(placeholder="link, e.g. code:Trust", id="f-link")
        with Horizontal():
            with Vertical(id="memo-list-pane"):
                yield Label("Memos", id="memo-count", classes="pane-title")
                yield OptionList(id="memo-list")
            with Vertical(id="memo-edit-pane"):
                yield Label("", id="memo-title", classes="pane-title")
                yield Label("", id="memo-links", classes="hint")
                yield TextArea("", id="memo-body", soft_wrap=True)
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload_shown()
        self.query_one("#memo-list").focus()

    def reload(self) -> None:
        type_ = self.query_one("#f-type", Select).value
        author = self.query_one("#f-author", Input).value.strip() or None
        link = self.query_one("#f-link", Input).value.strip() or None
        try:
            self.rows = self.project.memos.all(type_=type_ if isinstance(type_, str) else None,
                                           author=author, link=MemoLink.parse(link) if link else None)
        except QualcodeError as exc:
            self.query_one("#memo-count", Label).update(shown(exc, "red"))
            return
        listing = self.query_one("#memo-list", OptionList)
        keep = self.current.id if self.current else None
        listing.clear_options()
        for m in self.rows:
            listing.add_option(Option(Text.assemble(
                (f"[{m.type}] ", "magenta"), (plain(m.title), "bold"),
                (f"  {plain(m.author)}", "dim"))))
        self.query_one("#memo-count", Label).update(f"Memos ({len(self.rows)})")
        ids = [m.id for m in self.rows]
        if self.rows:
            listing.highlighted = ids.index(keep) if keep in ids else 0

    def on_select_changed(self, event: Select.Changed) -> None:
        self.reload_shown()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.reload_shown()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is None or event.option_index >= len(self.rows):
            return
        memo = self.rows[event.option_index]
        body = self.query_one("#memo-body", TextArea)
        if memo.id == self.shown_id and body.text != self.shown_body:
            # The list was re-read under an edit not yet saved: keep what is being typed.
            self.current = memo
            return
        self.current = memo
        self.query_one("#memo-title", Label).update(Text.assemble(
            (plain(memo.title), "bold"), f"  ({memo.type}, {plain(memo.author)})"))
        links = ", ".join(map(str, memo.links)) or "no links"
        self.query_one("#memo-links", Label).update(shown(links))
        body.text = self.shown_body = editable(memo.body)
        self.shown_id = memo.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#memo-body").focus()

    def action_save(self) -> None:
        if not self.current:
            return
        body = edited(self.query_one("#memo-body", TextArea).text, self.current.body)
        if body == self.current.body:
            self.notify("Nothing changed", timeout=2)
            return
        if self.attempt(self.project.memos.edit, self.current.id, body=body):
            self.shown_body = editable(body)
            self.saved(f"saved memo {self.current.title!r}")
            self.reload_shown()

    def action_new(self) -> None:
        def done(draft: MemoDraft | None) -> None:
            if draft:
                memo = self.attempt(self.project.memos.add, draft.type, draft.title, draft.body,
                                    links=draft.links)
                if memo:
                    self.current = memo
                    self.reload_shown()
                    self.saved(f"wrote memo {memo.title!r}")

        self.app.push_screen(MemoEditor(MemoDraft("project", "", ""), heading="New memo"), done)

    def action_filter(self) -> None:
        self.query_one("#f-type").focus()
