"""The coding screen: the transcript on the left, the codebook tree on the right.

Read, select (``s`` sentence, ``t`` turn, ``v`` from here, shift+arrows), press ``c``,
type two letters, Enter. Every change goes through the core and is saved at once.
"""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Tree
from textual.widgets.tree import TreeNode

from ...model import Target
from ...records import MemoLink
from ...records.codes import Code
from ...records.transcripts import Turn
from ..dialogs import ChoiceDialog, MemoDraft, MemoEditor, TextInputDialog
from ..shown import plain, shown
from ..textual_adapter import IdleTree, SteadyLines
from ..widgets.code_picker import PickerPanel, in_vivo_name
from ..widgets.coding_bar import CodingBar
from ..widgets.quick_line import QuickLine
from ..widgets.transcript_view import TranscriptView, text_width_for
from .base import BaseScreen
from .coding_media import CodingPlayback
from .coding_reads import CodingReads, DrawnCodings

PICKER_WIDTH = 80  # .dialog.picker in qualcode.tcss
PICKER_TOP = 4
PICKER_TALL = 32  # rows from which the picker fits below PICKER_TOP with its whole list
PICKER_LIST = 16  # the list's most rows (.dialog OptionList in qualcode.tcss)
#: The codebook pane's width by the app's width class (CodingScreen's grid-columns in
#: qualcode.tcss; a narrow terminal folds it away), and the transcript's stable
#: scrollbar gutter.
CODE_PANE = {"-wide": 44, "-medium": 32, "-narrow": 0}
SCROLLBAR_GUTTER = 2


def expected_wrap_width(app_width: int, breakpoints: list[tuple[int, str]]) -> int:
    """The width the transcript will be wrapped to on a terminal ``app_width`` cells
    wide, known before the screen is laid out (the view checks it once it is, and wraps
    again if it differs)."""
    width_class = next((name for at, name in sorted(breakpoints, reverse=True) if app_width >= at),
                       "-narrow")
    return text_width_for(app_width - CODE_PANE.get(width_class, 0) - SCROLLBAR_GUTTER)


class SteadyTree(SteadyLines, IdleTree, Tree[str]):
    """The codebook pane: a tree whose lines are not asked for again on every key that
    moves the transcript's cursor (see :class:`SteadyLines`), and whose idle handler does
    not take a lock when there is nothing to build (see :class:`IdleTree`)."""


class CodingScreen(SteadyLines, CodingPlayback, CodingReads, BaseScreen):
    """Code one transcript. (Steady: the compositor asks the screen, the layer under
    every widget, for its lines on every key; they change only when it is restyled.)"""

    BINDINGS = [
        Binding("c", "code", "code"),
        Binding("x", "uncode", "uncode"),
        Binding("m", "memo", "memo"),
        Binding("slash", "search", "search"),
        Binding("f8", "app.query", "query/search"),
        Binding("n", "uncoded(1)", "uncoded"),
        Binding("N", "uncoded(-1)", "prev uncoded", show=False),
        Binding("S", "split_turn", "split turn", show=False),
        Binding("J", "join_turns", "join turns", show=False),
        Binding("L", "speaker", "speaker", show=False),
        Binding("tab", "switch_pane", "codebook/text", show=False),
        Binding("o", "toggle_codebook", "codebook pane"),
        Binding("p", "play", "play the turn's recording", show=False),
        Binding("P", "pause_playback", "pause/continue playing", show=False),
        Binding("K", "stop_playback", "stop playing", show=False),
    ]

    AUTO_FOCUS = "#transcript"

    def __init__(self, name: str, *, span: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.transcript_name = name
        self.span = span
        self.codes: list[Code] = []
        self.counts_here: dict[str, int] = {}
        self.nodes: dict[str, TreeNode[str]] = {}
        self.recent: list[str] = []
        self.last_search = ""
        self.loaded = False  # codings drawn: coding keys work
        self.shown = False  # text painted
        self._mounted = False
        self._view: TranscriptView | None = None  # and the bar: looked up at mount
        self._bar: CodingBar | None = None
        self._pending: tuple | None = None
        self._codings_pending: tuple | None = None
        self._known: DrawnCodings | None = None  # see _read_codings
        self.wrap_width = 0  # the text column's width, once laid out (for the reading worker)

    def start_reading(self, app) -> None:
        """Start reading the transcript before the screen is even mounted: the read (in a
        thread worker of the app, on its own connection) and building the screen overlap.
        The app calls this as it pushes the screen. The worker wraps the text at once,
        to the width the layout will give it (waiting for the layout cost the first paint
        ~60 ms)."""
        self.wrap_width = expected_wrap_width(app.size.width, app.HORIZONTAL_BREAKPOINTS)
        app.run_worker(partial(self.load_transcript, app.project.path), thread=True, group="load",
                       description=f"reading {self.transcript_name}")

    def compose(self) -> ComposeResult:
        # The screen is one grid of four widgets and no containers: the transcript's
        # title, the codebook (its title is its top border), the transcript, and across
        # both columns one bar for where the cursor is, the status and the keys. Every
        # widget on the screen costs every key press (Textual passes each one a turn in
        # its message loop and asks it for its lines), so there are as few as can be;
        # the code picker is mounted on first use (see _picker), which also spares the
        # first paint its six widgets.
        yield QuickLine(shown(self.transcript_name), id="doc-title", classes="pane-title",
                        titles="transcript")
        # In grid order: the tree comes second so that it takes the right-hand column
        # from the top row down (AUTO_FOCUS still gives the transcript the focus).
        tree = SteadyTree("codes", id="codebook", classes="code-pane")
        tree.border_title = "Codebook (here / all)"  # drawn as its top border: no widget
        # Hidden (its place kept) until its codes are in, the frame after the text's
        # (see CodingReads._show_codes): the screen's first frames draw no tree at all.
        tree.visible = False
        yield tree
        yield TranscriptView(id="transcript")
        yield CodingBar(id="status")  # where the cursor is, the status line, the keys

    def on_mount(self) -> None:
        view = self._view = self.query_one(TranscriptView)
        self._bar = self.query_one(CodingBar)
        view.on_change = self._update_position
        self.query_one(Tree).show_root = False
        self.query_one("#doc-title", QuickLine).show(shown(f"{self.transcript_name}  ·  reading…"))
        self._mounted = True
        self.call_after_refresh(self._note_wrap_width)
        if self._pending:  # the text arrived before the screen was up
            self._loaded(*self._pending)

    def reload(self) -> None:
        """After undo/redo or an edit on another screen: re-read codings and codes (and
        the document, if its turns or text were corrected)."""
        if not self.loaded:
            return
        self._known = None  # the next refresh reads them all again
        if self._document_changed():
            self._reload_document()
            return
        codings = self.project.coding.codings(transcript=self.transcript_name)
        self._set_codes(self.project.codebook.codes(), codings)
        self.query_one(TranscriptView).set_codings(codings, self.colours)
        self._title(len(codings))
        self._update_position()

    def _document_changed(self) -> bool:
        """Whether the stored turns or text differ from those shown (a correction, or its
        undo, happened)."""
        names = [t.name for t in self.project.transcripts.all()]
        if self.transcript_name not in names:
            return True
        info = self.project.transcripts.get(self.transcript_name)
        shown = [(t.start, t.end, t.speaker) for t in self.doc.turns]
        return info.text != self.doc.text or shown != [(t.start, t.end, t.speaker) for t in info.turns]

    def _reload_document(self, cursor: int | None = None) -> None:
        """Show the transcript again as stored, the cursor kept where it was."""
        view = self.query_one(TranscriptView)
        keep = view.cursor if cursor is None else cursor
        if self.transcript_name not in [t.name for t in self.project.transcripts.all()]:
            self.notify(f"{plain(self.transcript_name)} is no longer in the project", severity="warning",
                        markup=False)
            self.app.pop_screen()
            return
        self.doc = self.project.transcripts.get(self.transcript_name)
        self._known = None  # every coding may have moved: the next refresh reads them all
        codings = self.project.coding.codings(transcript=self.transcript_name)
        self._set_codes(self.project.codebook.codes(), codings)
        view.load(self.doc, codings, self.colours)
        view.go_to(min(keep, len(view.text)))
        self._title(len(codings))
        self._update_position()

    # --- correcting turns ----------------------------------------------------------------

    def _turn_here(self) -> Turn | None:
        view = self.query_one(TranscriptView)
        if not view.turns:
            return None
        turn = view.turns[view.turn_index_at(view.cursor)]
        return turn if turn.seq else None

    def action_split_turn(self) -> None:
        """Cut the turn at the cursor (or at the start of the selection) in two."""
        view = self.query_one(TranscriptView)
        turn = self._turn_here()
        if turn is None or not self._ready():
            return
        at = view.selection[0] if view.selection else view.cursor
        if self.attempt(self.project.transcripts.split_turn, self.transcript_name, turn.seq, at=at):
            self._reload_document(at)
            self.saved(f"split turn {turn.seq} at {at}")

    def action_join_turns(self) -> None:
        """Join the turn at the cursor with the next one."""
        turn = self._turn_here()
        if turn is None or not self._ready():
            return
        result = self.attempt(self.project.transcripts.join_turns, self.transcript_name, turn.seq)
        if result:
            self._reload_document()
            note = f" (now includes {', '.join(result.included)})" if result.included else ""
            self.saved(f"joined turns {turn.seq} and {turn.seq + 1}{note}")

    def action_speaker(self) -> None:
        """Give the turn at the cursor to another speaker, or rename its label everywhere."""
        turn = self._turn_here()
        if turn is None or not self._ready():
            return
        labels = [s.label for s in self.doc.speakers]
        seq, current = turn.seq, turn.speaker
        choices: list[tuple[str, tuple]] = [(f"turn {seq} -> {label}", ("turn", label))
                                             for label in labels if label != current]
        choices += [(f"turn {seq} -> no speaker", ("turn", None)), (f"turn {seq} -> a new label…", ("new", None))]
        if current:
            choices.append((f"rename {current} everywhere (to an existing label: merge)…", ("rename", current)))
        self.app.push_screen(ChoiceDialog(f"Speaker of turn {seq} ({current or 'none'})", choices),
                             lambda choice: self._speaker_chosen(seq, choice))

    def _speaker_chosen(self, seq: int, choice: tuple | None) -> None:
        if choice is None:
            return
        kind, label = choice
        if kind == "turn":
            self._give_turn(seq, label)
            return

        def typed(text: str | None) -> None:
            if not text:
                return
            if kind == "new":
                self._give_turn(seq, text)
            elif self.attempt(self.project.transcripts.relabel_speakers, self.transcript_name, {label: text}):
                self._reload_document()
                self.saved(f"relabelled {label} as {text}")

        prompt = "New label for this turn" if kind == "new" else f"Rename {label} to"
        self.app.push_screen(TextInputDialog(prompt, "" if kind == "new" else label), typed)

    def _give_turn(self, seq: int, label: str | None) -> None:
        if self.attempt(self.project.transcripts.set_turn_speaker, self.transcript_name, seq, label):
            self._reload_document()
            self.saved(f"turn {seq} -> {label or 'no speaker'}")

    # --- status of the cursor ----------------------------------------------------------


    def _update_position(self) -> None:
        """Say where the cursor is: called by the view on every move (so kept cheap:
        the view and the bar are looked up once, at mount)."""
        view = self._view
        if view is None or not view.turns:
            return
        turn = view.turns[view.turn_index_at(view.cursor)]
        sel = view.selection
        parts = [f"turn {turn.seq}"]
        if sel:
            parts.append(f"selected {sel[0]}:{sel[1]} ({sel[1] - sel[0]} chars, {view.unit if view.snap else 'free'})")
        else:
            parts.append(f"at {view.cursor}")
        if view.visual:
            parts.append("VISUAL: moves extend")
        here = view.codings_at()
        if here:
            parts.append("codes: " + ", ".join(plain(s.code) for s in here))
        if playing := self.playback_text():
            parts.append(playing)
        if self._bar is not None:
            self._bar.show_position("  ·  ".join(parts))

    # --- coding ------------------------------------------------------------------------

    def _codable_names(self) -> list[str]:
        names = [c.name for c in self.codes if c.codable]
        recent = [n for n in self.recent if n in names]
        return recent + [n for n in names if n not in recent]

    def _ready(self) -> bool:
        if not self.loaded:
            self.notify("Still reading the codings of this transcript…", timeout=2)
        return self.loaded

    def _panel(self) -> PickerPanel | None:
        """The code picker, if it has been mounted."""
        found = self.query(PickerPanel)
        return found.first() if found else None

    async def _picker(self) -> PickerPanel:
        """The code picker, mounted on first use and kept, hidden, from then on: opening
        and closing it pushes and pops no screen, so applying a code repaints only what
        changed. It goes first among the screen's children: paint order counts the
        siblings after a widget, so a last child shown or hidden would make every other
        widget's geometry "change" (and the whole screen be repainted)."""
        panel = self._panel()
        if panel is None:
            panel = PickerPanel(id="picker", focus_on_mount=False)
            await self.mount(panel, before=0)
        return panel

    async def action_code(self) -> None:
        if not self._ready():
            return
        view = self.query_one(TranscriptView)
        if not view.selection:
            self.notify("Select something first: s sentence, t turn, v or shift+arrows",
                        severity="warning")
            return
        panel = await self._picker()
        panel.configure(self._codable_names(), selected_text=view.selected_text,
                        parents=self._parent_choices(), parent=self._default_parent())
        width = PICKER_WIDTH
        # A short terminal (24 rows): the picker moves up and lists fewer codes at once
        # rather than run off the bottom.
        top = PICKER_TOP if self.size.height >= PICKER_TALL else 1
        panel.styles.offset = (max(0, (self.size.width - width) // 2), top)
        panel.query_one(OptionList).styles.max_height = max(3, min(PICKER_LIST, self.size.height - top - 12))
        panel.display = True
        # The transcript keeps the focus and hands its keys to the picker: no focus
        # change (each costs Textual a full repaint) when the picker opens or closes.
        panel.reset(focus=False)
        view.key_hook = panel.forward_key

    def on_picker_panel_picked(self, event: PickerPanel.Picked) -> None:
        event.stop()
        view = self.query_one(TranscriptView)
        view.key_hook = None
        if self.focused is not view:  # the filter field was clicked: focus is back here
            self.set_focus(view, scroll_visible=False)
        self.query_one(PickerPanel).display = False
        self._apply(event.name, parent=event.parent)

    def on_descendant_focus(self, event) -> None:
        """Focus moved elsewhere by the mouse while the picker was open: close it."""
        panel = self._panel()
        if panel is not None and panel.display and event.widget is not self.query_one(TranscriptView) \
                and panel not in event.widget.ancestors_with_self:
            self.query_one(TranscriptView).key_hook = None
            panel.display = False

    @property
    def picking(self) -> bool:
        """Whether the code picker is open."""
        panel = self._panel()
        return panel is not None and bool(panel.display)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data and self.query_one(TranscriptView).selection:
            self._apply(event.node.data)

    def _parent_choices(self) -> list[str]:
        """Where a new code may go: the categories, and any code that has sub-codes."""
        parents = {c.parent for c in self.codes if c.parent}
        return [c.name for c in self.codes if c.is_category or c.name in parents]

    def _default_parent(self) -> str | None:
        """The category of the code last applied here (new codes tend to come in
        clusters), else the top level."""
        by_name = {c.name: c for c in self.codes}
        last = by_name.get(self.recent[0]) if self.recent else None
        if last is None:
            return None
        if last.parent:
            return last.parent
        return last.name if last.is_category else None

    def _apply(self, name: str | None, parent: str | None = None) -> None:
        view = self.query_one(TranscriptView)
        sel = view.selection
        if not name or not sel:
            return
        project = self.project
        if name not in self.colours:
            in_vivo = name == in_vivo_name(view.selected_text)
            colour = project.codebook.next_colour()
            if self.attempt(project.codebook.add_code, name, in_vivo=in_vivo, parent=parent, colour=colour) is None:
                return
            self.codes = project.codebook.codes()
            self.colours = {c.name: c.colour for c in self.codes}
            view.colours = self.colours
            self._build_tree()
        added = self.attempt(project.coding.tag, self.transcript_name, name, Target(range=sel))
        if not added:
            return
        view.add_codings(added)
        self.recent = [name] + [n for n in self.recent if n != name]
        self.counts_here[name] = self.counts_here.get(name, 0) + len(added)
        self._add_to_count(name, len(added))
        self.saved(f"coded {sel[0]}:{sel[1]} with {name}")
        self._title(len(view.spans))
        self._update_position()

    def action_uncode(self) -> None:
        if not self._ready():
            return
        view = self.query_one(TranscriptView)
        sel = view.selection
        here = view.codings_at(sel[0] if sel else None)
        if not here:
            self.notify("No coding under the cursor", severity="warning")
            return
        if len(here) == 1:
            self._remove(here[0].id)
            return
        choices = [(f"{s.code}  {s.start}:{s.end}  by {s.coder}", s.id) for s in here]
        self.app.push_screen(ChoiceDialog("Remove which coding?", choices), self._remove)

    def _remove(self, coding_id: int | None) -> None:
        if coding_id is None:
            return
        removed = self.attempt(self.project.coding.remove_coding, coding_id)
        if removed:
            self.query_one(TranscriptView).remove_codings([coding_id])
            name = removed.code
            self.counts_here[name] = max(0, self.counts_here.get(name, 0) - 1)
            self._add_to_count(name, -1)
            self.saved(f"removed {name} from {removed.start}:{removed.end}")
            self._title(len(self.query_one(TranscriptView).spans))
            self._update_position()

    # --- memos, search, navigation -----------------------------------------------------

    def action_memo(self) -> None:
        view = self.query_one(TranscriptView)
        sel = view.selection
        links = [MemoLink("transcript", self.transcript_name)]
        if sel:
            quote = " ".join(view.selected_text.split())
            title = in_vivo_name(quote, 50) or self.transcript_name
            body = f"> {quote}\n> ({self.transcript_name} {sel[0]}:{sel[1]})\n\n"
            links += [MemoLink("coding", str(s.id)) for s in view.codings_at(sel[0])
                      if s.start < sel[1] and s.end > sel[0]]
            draft = MemoDraft("segment", title, body, links)
        else:
            draft = MemoDraft("transcript", f"{self.transcript_name}: ", "", links)
        self.app.push_screen(MemoEditor(draft, heading="Memo on the selection"), self._save_memo)

    def _save_memo(self, draft: MemoDraft | None) -> None:
        if draft is None:
            return
        memo = self.attempt(self.project.memos.add, draft.type, draft.title, draft.body,
                            links=draft.links)
        if memo:
            self.saved(f"wrote {draft.type} memo {memo.title!r}")

    def action_search(self) -> None:
        self.app.push_screen(TextInputDialog("Search in this transcript", self.last_search),
                             self._search)

    def _search(self, query: str | None) -> None:
        if not query:
            return
        self.last_search = query
        view = self.query_one(TranscriptView)
        if not hasattr(self, "_lower"):
            self._lower = view.text.lower()  # once: searching a 1M text is then instant
        needle = query.lower()
        found = self._lower.find(needle, view.cursor + 1)
        if found < 0:
            found = self._lower.find(needle)
            if found >= 0:
                self.notify("Search wrapped to the top", timeout=2)
        if found < 0:
            self.notify(f"{plain(query)!r} is not in this transcript", severity="warning", markup=False)
            return
        view.go_to(found, found + len(query))

    def action_uncoded(self, direction: int) -> None:
        if not self.query_one(TranscriptView).next_uncoded_turn(direction):
            self.notify("No uncoded turn that way", timeout=2)

    def action_switch_pane(self) -> None:
        view, tree = self.query_one(TranscriptView), self.query_one(Tree)
        if view.has_focus and not self.codebook_shown:
            self._show_codebook(True)  # Tab to a folded pane unfolds it
        (tree if view.has_focus else view).focus()

    @property
    def codebook_shown(self) -> bool:
        """Whether the codebook pane is on screen (a narrow terminal folds it away)."""
        return bool(self.query_one("#codebook").styles.display != "none")

    def _show_codebook(self, show: bool) -> None:
        self.set_class(show, "-show-codebook")
        self.set_class(not show, "-hide-codebook")

    def action_toggle_codebook(self) -> None:
        """Fold the codebook pane away for a wider text column, or bring it back."""
        show = not self.codebook_shown
        self._show_codebook(show)
        if not show:
            self.query_one(TranscriptView).focus()
