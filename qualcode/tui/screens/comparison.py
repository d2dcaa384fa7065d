"""Constant comparison: every passage of a code side by side, in columns by wave (or by
participant, or by role), each passage once with the coders who coded it (or only one
coder's); jump into a transcript; write a comparison memo."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...records import MemoLink
from ...records.codings import Segment
from ..dialogs import MemoDraft, MemoEditor
from ..shown import counted, plain, shown
from ..widgets.code_picker import CodePicker
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen

GROUPS = ("wave", "participant", "role")
CONTEXT = 60


def _words(context: str, *, drop_first: bool) -> str:
    """Context squashed to whole words (the core cuts it at a character count)."""
    words = context.split()
    if len(words) > 1:
        words = words[1:] if drop_first else words[:-1]
    return " ".join(words)


class ComparisonScreen(BaseScreen):
    """Read a code's segments across people and time."""

    BINDINGS = [
        Binding("enter", "jump", "open in transcript"),
        Binding("g", "group", "group by"),
        Binding("space", "mark", "mark"),
        Binding("m", "memo", "comparison memo"),
        Binding("k", "pick", "pick code"),
        Binding("c", "coder", "coder"),
        Binding("a", "unfilter", "all segments", show=False),
        Binding("left", "column(-1)", "column", show=False),
        Binding("right", "column(1)", "column", show=False),
    ]

    def __init__(self, code: str | None = None, *, participant: str | None = None,
                 wave: str | None = None, role: str | None = None,
                 site: str | None = None) -> None:
        super().__init__()
        self.code = code
        # optional filters (from a cell of the matrix screen)
        self.participant, self.wave, self.role, self.site = participant, wave, role, site
        self.coder: str | None = None        # None: every coder's passages, each once
        self.coders: list[str] = []          # who coded the code (with the other filters)
        self.by = "wave"
        self.groups: dict[str, list[Segment]] = {}
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Label("", id="compare-title", classes="pane-title")
        yield Horizontal(id="columns")
        yield Static("", id="compare-help")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.code:
            self.reload_shown()
        else:
            self.action_pick()

    def action_pick(self) -> None:
        names = [c.name for c in self.project.codebook.codes() if c.codings]
        self.app.push_screen(CodePicker(names, title="Compare the segments of…", allow_new=False),
                             self._picked)

    def _picked(self, name: str | None) -> None:
        if name:
            if name != self.code:
                self.participant = self.wave = self.role = self.site = self.coder = None
            self.code, self.marked = name, set()
            self.reload_shown()
        elif not self.code:
            self.app.pop_screen()

    def reload(self) -> None:
        if not self.code:
            return
        rows = self.attempt(self.project.coding.segments, self.code, context=CONTEXT,
                            participant=self.participant, wave=self.wave, role=self.role,
                            site=self.site, coder=self.coder, merge_coders=True)
        if rows is None:
            return
        if self.coder is None:
            self.coders = sorted({c for row in rows for c in row.coders or ()})
        self.groups = self.project.coding.group_segments(rows, self.by)
        self.query_one("#compare-title", Label).update(Text.assemble(
            (plain(self.code), "bold"), f"  ·  {counted(len(rows), 'passage')} by {self.by}  ·  ",
            (self._filters(), "cyan"),
            (f"{len(self.marked)} marked", "yellow")))
        self.query_one("#compare-help", Static).update(Text(
            "←/→ column · ↑/↓ segment · Enter open in transcript · space mark · "
            "m comparison memo · g group by wave/participant/role · c one coder / all · "
            "k another code", "dim"))
        self._fill_columns(self._place())

    @work(exclusive=True, group="columns")
    async def _fill_columns(self, place: tuple[int, str | None, int] | None) -> None:
        """New columns for the groups, then the focus back where the user was (once the
        old columns are gone: until then the focus would be restored to one of them)."""
        columns = self.query_one("#columns", Horizontal)
        await columns.remove_children()
        await columns.mount_all(
            Vertical(Label(shown(f"{key}  ({len(segments)})"), classes="pane-title"),
                     OptionList(*(Option(self._card(s), id=str(s.id)) for s in segments)),
                     classes="column")
            for key, segments in self.groups.items())
        self._focus_first(place)

    def _place(self) -> tuple[int, str | None, int] | None:
        """Where the user is: (column, segment id, row), to come back to after a reload."""
        focused = self.focused
        lists = list(self.query("#columns OptionList").results(OptionList))
        if not isinstance(focused, OptionList) or focused not in lists or focused.highlighted is None:
            return None
        option = focused.get_option_at_index(focused.highlighted)
        return lists.index(focused), option.id, focused.highlighted

    def _filters(self) -> str:
        only = " ".join(x for x in (self.participant, self.role, self.site, self.wave) if x)
        if self.coder:
            only = f"{only} coded by {self.coder}".strip()
        return f"only {plain(only)} (a: all)  ·  " if only else ""

    def action_unfilter(self) -> None:
        if self.participant or self.wave or self.role or self.site or self.coder:
            self.participant = self.wave = self.role = self.site = self.coder = None
            self.reload_shown()

    def action_coder(self) -> None:
        """Every coder's passages, then each coder's own in turn, then every coder's again."""
        if not self.coders:
            self.notify("No coder has coded these passages", severity="warning")
            return
        if self.coder is None:
            self.coder = self.coders[0]
        else:
            at = self.coders.index(self.coder) if self.coder in self.coders else len(self.coders) - 1
            self.coder = self.coders[at + 1] if at + 1 < len(self.coders) else None
        self.marked = set()
        self.reload_shown()
        self.notify(f"coded by {self.coder}" if self.coder else "every coder", timeout=1.5)

    def _focus_first(self, place: tuple[int, str | None, int] | None = None) -> None:
        lists = list(self.query("#columns OptionList").results(OptionList))
        if not lists:
            return
        if place is not None:  # the same segment if it is still there, else the same row
            column = lists[min(place[0], len(lists) - 1)]
            ids = [column.get_option_at_index(i).id for i in range(column.option_count)]
            if ids:
                column.highlighted = ids.index(place[1]) if place[1] in ids else min(place[2], len(ids) - 1)
            column.focus()
        elif not any(item.has_focus for item in lists):
            lists[0].focus()

    def _card(self, s: Segment) -> Text:
        mark = ("● ", "yellow") if s.id in self.marked else ("  ", "")
        who = f"{s.participant or s.speaker or '?'} ({s.role or '-'}) · {s.wave or '-'}"
        coders = ", ".join(s.coders or [s.coder or "?"])
        return Text.assemble(
            mark, (plain(who), "bold"), (f" · {plain(s.transcript)} turn {s.turn}", "dim"),
            (f" · {plain(coders)}\n", "cyan"),
            ("…" + plain(_words(s.before or "", drop_first=True)) + " ", "dim"),
            (plain(" ".join(s.text.split())), "bold #ebcb8b"),
            (" " + plain(_words(s.after or "", drop_first=False)) + "…", "dim"), "\n")

    def _current(self) -> Segment | None:
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.highlighted is None:
            return None
        option_id = focused.get_option_at_index(focused.highlighted).id
        if option_id is None:
            return None
        seg_id = int(option_id)
        for segments in self.groups.values():
            for s in segments:
                if s.id == seg_id:
                    return s
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_jump(self) -> None:
        s = self._current()
        if s:
            self.app.open_transcript(s.transcript, span=(s.start, s.end))

    def action_group(self) -> None:
        self.by = GROUPS[(GROUPS.index(self.by) + 1) % len(GROUPS)]
        self.reload_shown()

    def on_descendant_focus(self, event) -> None:
        # Remember the column, so left/right still work after a dialog closes.
        lists = list(self.query("#columns OptionList"))
        if event.widget in lists:
            self.column = lists.index(event.widget)

    def action_column(self, step: int) -> None:
        lists = list(self.query("#columns OptionList"))
        if not lists:
            return
        index = min(getattr(self, "column", 0), len(lists) - 1)
        lists[(index + step) % len(lists)].focus()

    def action_mark(self) -> None:
        s = self._current()
        if not s:
            return
        self.marked ^= {s.id}
        focused = self.focused
        if isinstance(focused, OptionList) and focused.highlighted is not None:  # as _current found it
            focused.replace_option_prompt_at_index(focused.highlighted, self._card(s))
        self.query_one("#compare-title", Label).update(Text.assemble(
            (plain(self.code), "bold"), f"  ·  by {self.by}  ·  ", (f"{len(self.marked)} marked", "yellow")))

    def action_memo(self) -> None:
        if not self.code:
            return
        current = self._current()
        ids = sorted(self.marked) or ([current.id] if current else [])
        chosen = [s for segments in self.groups.values() for s in segments if s.id in ids]
        # A passage links every coding it is made of (each coder's).
        coding_ids = sorted({i for s in chosen for i in s.coding_ids})
        links = [MemoLink("code", self.code)] + [MemoLink("coding", str(i)) for i in coding_ids]
        quotes = []
        for segments in self.groups.values():
            for s in segments:
                if s.id in ids:
                    quotes.append(f"> {s.participant or '?'} {s.wave or ''}: "
                                  f"{' '.join(s.text.split())}")
        draft = MemoDraft("comparison", f"{self.code}: compared by {self.by}",
                          "\n".join(quotes) + "\n\n", links)
        self.app.push_screen(MemoEditor(draft, heading="Comparison memo"), self._save)

    def _save(self, draft: MemoDraft | None) -> None:
        if draft:
            memo = self.attempt(self.project.memos.add, draft.type, draft.title, draft.body,
                                links=draft.links)
            if memo:
                self.saved(f"wrote comparison memo {memo.title!r}")
