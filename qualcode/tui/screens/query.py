"""Query and search: a code query, a full-text search of every transcript, or a search
of the memos, typed in one bar; the results listed, Enter opening each in place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from ...errors import QualcodeError, QueryError
from ...project import Project
from ..dialogs import TextInputDialog
from ..shown import plain, shown
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from .base import BaseScreen

MODES = (("codes", "code query"), ("text", "transcript text"), ("memos", "memo text"),
         ("sets", "saved set"))
PLACEHOLDERS = {
    "codes": 'e.g. "Money worries" AND Relapse WITHIN turn wave:W2  (ctrl+s saves the result)',
    "text": 'words, "a phrase", prefix*',
    "memos": "words in a memo's title or body",
    "sets": "the name of a saved set (its passages as they were saved)",
}
LIMIT = 500


@dataclass(frozen=True)
class Found:
    """One line of the results: where Enter goes (a transcript span, or a memo)."""

    label: Text
    transcript: str | None = None
    span: tuple[int, int] | None = None
    memo_id: int | None = None


class SearchDone(Message, bubble=False):
    def __init__(self, mode: str, text: str, found: list[Found], summary: str) -> None:
        super().__init__()
        self.mode, self.text, self.found, self.summary = mode, text, found, summary


class SearchFailed(Message, bubble=False):
    def __init__(self, reason: str, pointed: str | None) -> None:
        super().__init__()
        self.reason, self.pointed = reason, pointed


def _where(participant: str | None, wave: str | None, extra: str = "") -> Text:
    return Text.assemble((f"{plain(participant or '-'):<6}", "bold"), f" {plain(wave or '-'):<4} ",
                         (plain(extra), "magenta"))


def _passage_line(p) -> Found:
    return Found(Text.assemble(_where(p.participant, p.wave, ", ".join(p.codes)), "  ",
                               plain(" ".join(p.text.split()))[:200]),
                 p.transcript, (p.start, p.end))


def search(path: Path, mode: str, text: str) -> tuple[list[Found], str]:
    """Run the search on a connection of this thread; the lines and a summary."""
    with Project.open_reader(path) as project:
        if mode == "sets":
            saved = project.query.get_set(text)
            passages = project.query.set_passages(text, limit=LIMIT)
            return ([_passage_line(p) for p in passages],
                    f"set {saved.name}: {saved.query}  ·  {saved.passages} passage(s)")
        if mode == "codes":
            result = project.query.run(text, limit=LIMIT)
            found = [_passage_line(p) for p in result.passages]
            t = result.totals
            return found, (f"{t['passages']} passage(s), {t['participants']} participant(s), "
                           f"{t['participant_waves']} participant-wave(s), {t['turns']} turn(s)")
        if mode == "text":
            hits = project.search.turns(text, limit=LIMIT)
            texts: dict[str, str] = {}
            found = []
            for hit in hits:
                name = hit.transcript
                if name not in texts:
                    texts[name] = project.transcripts.get(name).text
                first = hit.matches[0] if hit.matches else None
                span = (first.start, first.end) if first else (hit.start, hit.end)
                whole = texts[name]
                left = " ".join(whole[max(hit.start, span[0] - 60):span[0]].split(" ")).lstrip()
                right = whole[span[1]:min(hit.end, span[1] + 60)]
                line = Text.assemble(plain(" ".join(left.splitlines())),
                                     (plain(whole[span[0]:span[1]]), "bold reverse"),
                                     plain(" ".join(right.splitlines())))
                found.append(Found(Text.assemble(_where(hit.participant, hit.wave, name), "  ", line),
                                   name, span))
            return found, f"{len(found)} turn(s)"
        memos = project.query.search_memos(text, limit=LIMIT)
        return ([Found(Text.assemble((f"[{m.type}] ", "magenta"), (plain(m.title), "bold"), "  ",
                                     plain(snippet)), memo_id=m.id) for m, snippet in memos],
                f"{len(memos)} memo(s)")


class QueryScreen(BaseScreen):
    """One bar for code queries, project-wide text search and memo search."""

    BINDINGS = [
        Binding("ctrl+t", "mode", "codes/text/memos"),
        Binding("ctrl+l", "focus_bar", "query bar"),
        Binding("ctrl+s", "save_set", "save as set"),
    ]

    def __init__(self, mode: str = "codes") -> None:
        super().__init__()
        self.mode = mode
        self.found: list[Found] = []
        self.last_query: str | None = None  # the code query the results are of

    def compose(self) -> ComposeResult:
        with Horizontal(id="query-bar"):
            yield Select([(label, key) for key, label in MODES], value=self.mode, allow_blank=False,
                         id="query-mode")
            yield Input(placeholder=PLACEHOLDERS[self.mode], id="query-text")
        yield Label("Type a query and press Enter; Enter on a result opens it.", id="query-summary",
                    classes="pane-title")
        yield OptionList(id="query-results")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#query-text").focus()

    def action_focus_bar(self) -> None:
        self.query_one("#query-text").focus()

    def action_mode(self) -> None:
        keys = [key for key, _ in MODES]
        self.query_one("#query-mode", Select).value = keys[(keys.index(self.mode) + 1) % len(keys)]

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self.mode = event.value
            self.query_one("#query-text", Input).placeholder = PLACEHOLDERS[self.mode]
            if self.mode == "sets":
                names = [s.name for s in self.project.query.list_sets()]
                self.query_one("#query-summary", Label).update(shown(
                    "saved sets: " + ", ".join(names) if names else
                    "no saved sets yet: run a code query and press ctrl+s"))

    def action_save_set(self) -> None:
        """Keep the code query's result as a named set (matrix, cooccur and exports take
        it with --set; this screen lists it in the "saved set" mode)."""
        query = self.last_query
        if query is None:
            self.notify("Run a code query first; ctrl+s then saves its passages as a set",
                        severity="warning")
            return

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                saved = self.project.query.save_set(name, query)
            except QualcodeError as exc:
                self.notify(plain(exc), severity="error", markup=False)
                return
            self.app.saved_here(f"saved set {saved.name} ({saved.passages} passages)")

        self.app.push_screen(TextInputDialog("Save these passages as the set", "",
                                             placeholder="a name, e.g. money-and-relapse"), named)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        self.query_one("#query-summary", Label).update(shown(f"searching: {text}", "dim"))
        self.run_search(self.project.path, self.mode, text)

    @work(thread=True, exclusive=True, group="query")
    def run_search(self, path: Path, mode: str, text: str) -> None:
        """Search in this thread; the results come to the screen as a message."""
        try:
            found, summary = search(path, mode, text)
        except QueryError as exc:
            self.post_message(SearchFailed(str(exc), exc.pointed() if exc.text else None))
            return
        except QualcodeError as exc:
            self.post_message(SearchFailed(str(exc), None))
            return
        self.post_message(SearchDone(mode, text, found, summary))

    def on_search_done(self, message: SearchDone) -> None:
        self.found = message.found
        self.last_query = message.text if message.mode == "codes" else None
        results = self.query_one("#query-results", OptionList)
        results.clear_options()
        results.add_options([Option(f.label) for f in message.found])
        shown_part = f" (first {LIMIT} listed)" if len(message.found) >= LIMIT else ""
        self.query_one("#query-summary", Label).update(shown(f"{message.summary}{shown_part}"))
        if message.found:
            results.highlighted = 0
            results.focus()

    def on_search_failed(self, message: SearchFailed) -> None:
        self.found = []
        self.last_query = None
        self.query_one("#query-results", OptionList).clear_options()
        summary = Text(plain(message.reason), style="red")
        if message.pointed is not None:
            summary.append("\n" + plain(message.pointed), style="red")
        self.query_one("#query-summary", Label).update(summary)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index >= len(self.found):
            return
        found = self.found[event.option_index]
        if found.transcript is not None:
            self.app.open_transcript(found.transcript, span=found.span)
        elif found.memo_id is not None:
            self.app.open_memo(found.memo_id)
