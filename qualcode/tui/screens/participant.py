"""One participant across waves: attributes (fixed and per wave), transcripts, a code
profile per wave, memos, and a pen-portrait memo to write or revise."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...records import Memo, MemoLink
from ..dialogs import ConfirmDialog, MemoDraft, MemoEditor
from ..shown import counted, plain, shown
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen


def _snippet(body: str, limit: int = 300) -> str:
    text = " ".join(body.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


class ParticipantScreen(BaseScreen):
    """A person's path through the study."""

    BINDINGS = [
        Binding("enter", "open", "open"),
        Binding("p", "portrait", "pen portrait"),
        Binding("d", "delete", "delete"),
        Binding("tab", "app.focus_next", "next pane", show=False),
    ]

    def __init__(self, pid: str) -> None:
        super().__init__()
        self.pid = pid
        self.transcript_names: list[str] = []
        self.memo_rows: list[Memo] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="person-left"):
                yield Label("", id="person-title", classes="pane-title")
                yield Static("", id="person-attrs")
                yield Label("Transcripts (Enter opens)", classes="pane-title")
                yield OptionList(id="person-transcripts")
                yield Label("Code profile per wave", classes="pane-title")
                yield DataTable(id="person-profile", zebra_stripes=True)
            with Vertical(id="person-right"):
                yield Label("Memos (p writes or revises the pen portrait)", classes="pane-title")
                yield OptionList(id="person-memos")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload_shown()
        self.query_one("#person-transcripts").focus()

    def reload(self) -> None:
        person = self.attempt(self.project.study.participant, self.pid)
        if person is None:
            return
        waves = [w.label for w in self.project.study.waves()]
        self.query_one("#person-title", Label).update(Text.assemble(
            (plain(person.pid), "bold"), plain(f"  {person.pseudonym or ''} · {person.role or '-'} · "
                                                  f"{person.site or '-'}")))
        grid = Table(box=None, padding=(0, 2), header_style="bold")
        for header in ("attribute", "all waves", *waves):
            grid.add_column(shown(header))  # a str header would be read as markup
        keys = sorted(set(person.attributes) | {k for v in person.wave_attributes.values() for k in v})
        for key in keys:
            grid.add_row(shown(key), shown(person.attributes.get(key, "")),
                         *(shown(person.wave_attributes.get(w, {}).get(key, "")) for w in waves))
        self.query_one("#person-attrs", Static).update(grid)

        transcripts = [t for t in self.project.transcripts.all() if t.participant == self.pid]
        attendance = {w: s for p, w, s in self.project.study.attendance() if p == self.pid}
        listing = self.query_one("#person-transcripts", OptionList)
        place = listing.highlighted  # kept when counts are refreshed
        listing.clear_options()
        self.transcript_names = [t.name for t in transcripts]
        for t in transcripts:
            listing.add_option(Option(Text.assemble(
                (plain(t.name), "bold"), f"  {plain(t.wave or '-')} · {t.date or ''} · {t.words} words · ",
                (counted(t.codings, "coding"), "cyan"))))
        if place is not None and transcripts:
            listing.highlighted = min(place, len(transcripts) - 1)
        missing = [f"{w}: {s}" for w, s in attendance.items() if s != "interviewed"]
        if missing:
            listing.add_option(Option(shown("  " + " · ".join(missing), "dim"), disabled=True))

        profile: dict[str, dict[str, int]] = {}
        for t in transcripts:
            for c in self.project.coding.codings(transcript=t.name):
                profile.setdefault(c.code, {}).setdefault(t.wave or "-", 0)
                profile[c.code][t.wave or "-"] += 1
        table = self.query_one("#person-profile", DataTable)
        table.clear(columns=True)
        table.add_columns("code", *(shown(w) for w in waves))
        for code in sorted(profile, key=lambda c: -sum(profile[c].values())):
            table.add_row(shown(code), *(str(profile[code].get(w, "")) for w in waves))

        self.memo_rows = self.project.memos.all(link=MemoLink("participant", self.pid))
        memos = self.query_one("#person-memos", OptionList)
        memos.clear_options()
        for m in self.memo_rows:
            memos.add_option(Option(Text.assemble(
                (f"[{m.type}] ", "magenta"), (plain(m.title), "bold"), (f"  {plain(m.author)}\n", "dim"),
                plain(_snippet(m.body)), "\n")))

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, OptionList):
            return
        if focused is self.query_one("#person-transcripts") and focused.highlighted is not None:
            if focused.highlighted < len(self.transcript_names):
                self.app.open_transcript(self.transcript_names[focused.highlighted])
        elif focused is self.query_one("#person-memos") and focused.highlighted is not None:
            self._edit(self.memo_rows[focused.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_delete(self) -> None:
        """Delete this participant (after asking), their transcripts and codings with them."""
        codings = sum(t.codings for t in self.project.transcripts.all() if t.participant == self.pid)

        def done(yes: bool | None) -> None:
            if yes and self.attempt(self.project.transcripts.delete_participant, self.pid, force=True):
                self.saved(f"deleted participant {self.pid} ({counted(codings, 'coding')}; u undoes)")
                self.app.pop_screen()

        question = (f"Delete participant {self.pid}, their {len(self.transcript_names)} transcript(s) and "
                    f"{codings} coding(s)? Undo (u) brings them back.")
        self.app.push_screen(ConfirmDialog(question, yes="Delete"), done)

    def action_portrait(self) -> None:
        existing = [m for m in self.memo_rows if m.type == "participant"]
        if existing:
            self._edit(existing[0])
            return
        draft = MemoDraft("participant", f"Pen portrait: {self.pid}", "",
                          [MemoLink("participant", self.pid)])

        def done(result: MemoDraft | None) -> None:
            if result and self.attempt(self.project.memos.add, result.type, result.title,
                                       result.body, links=result.links):
                self.reload_shown()
                self.saved(f"wrote pen portrait of {self.pid}")

        self.app.push_screen(MemoEditor(draft, heading=f"Pen portrait of {self.pid}"), done)

    def _edit(self, memo: Memo) -> None:
        draft = MemoDraft(memo.type, memo.title, memo.body, list(memo.links))

        def done(result: MemoDraft | None) -> None:
            if result and self.attempt(self.project.memos.edit, memo.id, title=result.title,
                                       body=result.body, type_=result.type):
                self.reload_shown()
                self.saved(f"edited memo {result.title!r}")

        self.app.push_screen(MemoEditor(draft, heading="Edit memo"), done)
