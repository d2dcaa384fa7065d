"""The coding screen: the transcript on the left, the codebook tree on the right.

Read, select (``s`` sentence, ``t`` turn, ``v`` from here, shift+arrows), press ``c``,
type two letters, Enter. Every change goes through the core and is saved at once.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual._context import active_app
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Tree
from textual.worker import get_current_worker

from ...coding.tagging import Target
from ...errors import QualcodeError
from ...project import Project
from ..dialogs import ChoiceDialog, MemoDraft, MemoEditor, TextInputDialog
from ..live import ProjectChanged
from ..shown import editable, plain, shown
from ..widgets.code_picker import PickerPanel, in_vivo_name
from ..widgets.key_footer import KeyFooter
from ..widgets.status_line import StatusLine
from ..widgets.transcript_view import (
    TranscriptView,
    coded_turns,
    sorted_spans,
    spans_by_row,
    usable_turns,
    wrap_rows,
)
from .base import BaseScreen


class QuickLine(Widget):
    """One line of text (where the cursor is; the transcript's title and counts) that
    repaints without a layout pass: a ``Static.update`` costs an extra frame tens of
    milliseconds later, on every key press or coding."""

    def __init__(self, text: Text | str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text if isinstance(text, Text) else Text(text)

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        return self.text


@dataclass(frozen=True)
class DrawnCodings:
    """What the screen has drawn, to tell later what other programs changed."""

    keys: dict[int, tuple]  # coding id -> (code id, coder id, start, end)
    top: int  # the largest coding id among them
    fingerprint: tuple  # Project.codings_fingerprint up to ``top``


def _shape(code: dict) -> tuple:
    """What of a code its tree node and the drawn codings show, besides the counts."""
    return code["name"], code["parent"], code["colour"], code["codable"]


# Up to this many codings added, changed or removed elsewhere are redrawn one by one;
# more, and every coding is read again.
FEW_CHANGES = 50
PICKER_WIDTH = 80  # .dialog.picker in qualcode.tcss
PICKER_TOP = 4


class CodingScreen(BaseScreen):
    """Code one transcript."""

    BINDINGS = [
        Binding("c", "code", "code"),
        Binding("x", "uncode", "uncode"),
        Binding("m", "memo", "memo"),
        Binding("slash", "search", "search"),
        Binding("n", "uncoded(1)", "uncoded"),
        Binding("N", "uncoded(-1)", "prev uncoded", show=False),
        Binding("S", "split_turn", "split turn", show=False),
        Binding("J", "join_turns", "join turns", show=False),
        Binding("L", "speaker", "speaker", show=False),
        Binding("tab", "switch_pane", "codebook/text", show=False),
    ]

    def __init__(self, name: str, *, span: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.transcript_name = name
        self.span = span
        self.codes: list[dict] = []
        self.counts_here: dict[str, int] = {}
        self.nodes: dict[str, object] = {}
        self.recent: list[str] = []
        self.last_search = ""
        self.loaded = False  # codings drawn: coding keys work
        self.shown = False  # text painted
        self._mounted = False
        self._pending: tuple | None = None
        self._codings_pending: tuple | None = None
        self._known: DrawnCodings | None = None  # see _read_codings

        # Start reading now, before the screen is even mounted: the read (in a thread
        # worker of the app, on its own connection) and building the screen overlap.
        app = active_app.get()
        app.run_worker(self.load_transcript, thread=True, group="load")

    def compose(self) -> ComposeResult:
        # The code picker lives here, hidden, on the overlay layer: opening and closing it
        # pushes and pops no screen, so applying a code repaints only what changed. It
        # comes first: widgets' paint order counts the siblings after them, so a last
        # child shown or hidden would make every other widget's geometry "change" (and
        # the whole screen be repainted).
        yield PickerPanel(id="picker")
        with Horizontal(id="coding"):
            with Vertical(id="text-pane"):
                yield QuickLine(shown(self.transcript_name), id="doc-title", classes="pane-title")
                yield TranscriptView(id="transcript")
                yield QuickLine(id="position")
            with Vertical(id="code-pane"):
                yield Label("Codebook (here / all)", classes="pane-title")
                yield Tree("codes", id="codebook")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        view = self.query_one(TranscriptView)
        view.on_change = self._update_position
        self.query_one(Tree).show_root = False
        self.query_one("#doc-title", QuickLine).show(shown(f"{self.transcript_name}  ·  reading…"))
        self._mounted = True
        if self._pending:  # the text arrived before the screen was up
            self._loaded(*self._pending)

    def load_transcript(self) -> None:
        """Read the text on this thread's own connection and wrap it here too, so the
        main thread only has to paint."""
        app = self.app
        try:
            with Project.open_reader(app.project.path) as project:
                doc, codes = project.transcript(self.transcript_name), project.codes()
        except (QualcodeError, sqlite3.Error) as exc:
            app.call_from_thread(self._unreadable, exc)
            return
        rows = None
        for _ in range(100):  # the width is known once the screen is laid out (~0.1 s)
            view = self._view_if_laid_out()
            if view is not None:
                width = view.text_width
                # Wrapped as the view shows it: control characters one visible cell each.
                rows = (width, wrap_rows(editable(doc["text"]), usable_turns(doc), width))
                break
            time.sleep(0.005)
        app.call_from_thread(self._loaded, doc, codes, rows)

    def _unreadable(self, exc: Exception) -> None:
        """The transcript could not be read: say so here and on the status line; Escape
        goes back."""
        message = f"{self.transcript_name} could not be read: {exc}"
        if self._mounted:
            self.query_one("#doc-title", QuickLine).show(shown(message, "bold red"))
        if isinstance(exc, sqlite3.Error):
            self.app.database_failure(f"could not read {self.transcript_name}", exc)
        else:
            self.app.show_failure(message)

    def _view_if_laid_out(self) -> TranscriptView | None:
        if not self._mounted:
            return None
        view = self.query_one(TranscriptView)
        return view if view.scrollable_content_region.width > 0 else None

    def load_codings(self, *, changes_only: bool = False) -> None:
        """(Re-)read the codings and codes in a worker; see :meth:`_read_codings`. With
        ``changes_only`` (another program saved something), only the codings added,
        changed or removed since the last read, when they are few; and the whole
        transcript again if its text or turns were corrected meanwhile."""
        shape = [_shape(c) for c in self.codes]
        layout = (self.doc["text"], self._turn_bounds) if changes_only else None
        self._read_codings(self.app.saves, self._known if changes_only else None, shape, layout)

    # (A description of its own: Textual would otherwise describe the worker by the repr
    # of its arguments, the whole text and every coding's key among them.)
    @work(thread=True, exclusive=True, group="load", description="reading codings")
    def _read_codings(self, saves: int, known: DrawnCodings | None, shape: list[tuple],
                      layout: tuple | None = None) -> None:
        """Read the codings (10,000 take a few hundred ms) and sort them onto rows,
        after the text is on screen: earlier, this thread would hold the GIL and delay
        that first frame. Also the codes, for the counts of the codebook pane.

        With ``known`` (what was drawn), while no code was renamed or recoloured, only
        the codings that are new or differ are read, and the main thread redraws only
        the rows they touch. The fingerprint tells SQLite-side whether any coding drawn
        has changed; while none has, only the keys of the newer ones are read.
        """
        name = self.transcript_name
        changes = None
        try:
            with Project.open_reader(self.app.project.path) as project, project.reading():
                if layout is not None and not project.transcript_layout_matches(name, *layout):
                    self.app.call_from_thread(self._transcript_changed)
                    return
                codes = project.codes()
                if known is not None and [_shape(c) for c in codes] == shape:
                    if project.codings_fingerprint(name, known.top) == known.fingerprint:
                        added = project.coding_keys(name, after_id=known.top)
                        keys, differ, gone = {**known.keys, **added}, list(added), []
                    else:
                        keys = project.coding_keys(name)
                        differ = [i for i, key in keys.items() if known.keys.get(i) != key]
                        gone = [i for i in known.keys if i not in keys]
                    if len(differ) + len(gone) <= FEW_CHANGES:
                        changed = [i for i in differ if i in known.keys]  # redrawn: out, then in
                        changes = project.codings_by_ids(differ), [*gone, *changed]
                if changes is None:
                    codings = project.codings(transcript=name)
                    keys = project.coding_keys(name)
                top = max(keys, default=0)
                drawn = DrawnCodings(keys, top, project.codings_fingerprint(name, top))
        except (QualcodeError, sqlite3.Error) as exc:
            self.app.call_from_thread(self._unreadable, exc)
            return
        if get_current_worker().is_cancelled:
            return  # a newer read is on its way
        if changes is not None:
            self.app.call_from_thread(self._codings_changed, *changes, codes, saves, drawn)
            return
        view = self.query_one(TranscriptView)
        rows, starts = view._rows, view._row_starts
        spans = sorted_spans(codings)
        indexed = (rows, spans, spans_by_row(starts, spans), coded_turns(view._turn_starts, spans))
        self.app.call_from_thread(self._codings_loaded, codings, codes, saves, indexed, drawn)

    def _loaded(self, doc: dict, codes: list[dict], rows: tuple | None = None) -> None:
        if not self._mounted:
            self._pending = (doc, codes, rows)
            return
        self.doc = doc
        self._turn_bounds = tuple((t["start"], t["end"]) for t in doc["turns"])  # in seq order
        view = self.query_one(TranscriptView)
        self._set_codes(codes, [])
        view.load(doc, [], self.colours, rows=rows)
        self._title(0)
        if self.span:
            view.go_to(*(min(offset, len(doc["text"])) for offset in self.span))
        view.focus()
        self.shown = True
        self._update_position()
        self.call_after_refresh(self.load_codings)

    def _codings_loaded(self, codings: list[dict], codes: list[dict], saves: int,
                        indexed: tuple | None = None, known: DrawnCodings | None = None) -> None:
        if saves != self.app.saves:
            # Something was saved here since the read began, which it may have missed:
            # read again rather than draw a state older than what is on screen.
            self.load_codings()
            return
        self.loaded = True
        self._known = known
        self._set_codes(codes, codings)
        self.query_one(TranscriptView).set_codings(codings, self.colours, indexed=indexed)
        self._title(len(codings))
        self._update_position()
        # The document's rows and strings live as long as the screen: keep them out of
        # the garbage collector's full passes (the p95 frame spikes on long transcripts).
        self.call_after_refresh(gc.freeze)

    def _transcript_changed(self) -> None:
        """Another program corrected this transcript (its text or turns): every offset
        on screen may now point elsewhere, so read it all again, near the same place."""
        view = self.query_one(TranscriptView)
        self.span = (view.cursor, view.cursor)
        self.loaded = False
        self.notify(f"{plain(self.transcript_name)} was changed by another program: shown again",
                    timeout=4, markup=False)
        self.run_worker(self.load_transcript, thread=True, group="load", exclusive=True)

    def _codings_changed(self, fresh: list[dict], dropped: list[int], codes: list[dict],
                         saves: int, known: DrawnCodings) -> None:
        """Redraw what others changed: ``dropped`` codings go (the changed ones come back
        from ``fresh``); those saved here are drawn already."""
        if saves != self.app.saves:
            self.load_codings(changes_only=True)  # as in _codings_loaded
            return
        view = self.query_one(TranscriptView)
        drawn = {s.id: s for s in view.spans}
        view.remove_codings(dropped)
        for coding_id in dropped:
            if coding_id in drawn:
                self._count(drawn.pop(coding_id).code, -1)
        fresh = [c for c in fresh if c["id"] not in drawn]
        view.add_codings(fresh)
        for c in fresh:
            self._count(c["code"], 1)
        self._known = known
        self._show_codes(codes)
        self._title(len(view.spans))
        self._update_position()

    def on_unmount(self) -> None:
        # Let this transcript's objects be collected again once the screen is gone.
        gc.unfreeze()

    def _title(self, codings: int) -> None:
        doc = self.doc
        who = " · ".join(x for x in (doc.get("participant"), doc.get("wave"), doc.get("kind")) if x)
        self.query_one("#doc-title", QuickLine).show(
            Text.assemble((plain(doc["name"]), "bold"), f"  {plain(who)}  ·  {len(doc['turns'])} turns · "
                          f"{doc['char_count']:,} characters · ",
                          (f"{codings} codings" if self.loaded else "loading codings…")))

    def _count(self, code: str, step: int) -> None:
        self.counts_here[code] = max(0, self.counts_here.get(code, 0) + step)

    def _set_codes(self, codes: list[dict], codings: list[dict]) -> None:
        self.counts_here = {}
        for c in codings:
            self.counts_here[c["code"]] = self.counts_here.get(c["code"], 0) + 1
        self._show_codes(codes)

    def _show_codes(self, codes: list[dict]) -> None:
        """The codebook pane: rebuilt when codes were added, moved, renamed or recoloured,
        else only the labels whose counts changed (a rebuild costs a layout pass)."""
        same = bool(self.nodes) and [_shape(c) for c in codes] == [_shape(c) for c in self.codes]
        self.codes = codes
        self.colours = {c["name"]: c["colour"] for c in codes}
        if not same:
            self._build_tree()
            return
        for code in codes:
            node, label = self.nodes[code["name"]], self._label(code)
            if node.label != label:
                node.set_label(label)

    def _label(self, code: dict) -> Text:
        here = self.counts_here.get(code["name"], 0)
        style = "dim italic" if not code["codable"] else ""
        return Text.assemble(("■ ", code["colour"] or "#888888"), (plain(code["name"]), style),
                             (f"  {here}/{code['codings']}", "cyan" if here else "dim"))

    def _build_tree(self) -> None:
        tree = self.query_one(Tree)
        tree.clear()
        self.nodes = {}
        parents = {c["parent"] for c in self.codes}
        for code in self.codes:
            parent = self.nodes.get(code["parent"], tree.root)
            if code["name"] in parents:
                node = parent.add(self._label(code), data=code["name"], expand=True)
            else:
                node = parent.add_leaf(self._label(code), data=code["name"])
            self.nodes[code["name"]] = node
        tree.root.expand()

    def on_project_changed(self, event: ProjectChanged) -> None:
        """Another program changed the project: re-read what changed in a worker (see
        load_codings); the cursor and selection stay where they are."""
        event.stop()
        event.prevent_default()  # not BaseScreen's handler too: it would re-read it all here
        self._generation = self.app.generation
        if self.loaded:
            self.load_codings(changes_only=True)

    def reload(self) -> None:
        """After undo/redo or an edit on another screen: re-read codings and codes (and
        the document, if its turns or text were corrected)."""
        if not self.loaded:
            return
        self._known = None  # the next refresh reads them all again
        if self._document_changed():
            self._reload_document()
            return
        codings = self.project.codings(transcript=self.transcript_name)
        self._set_codes(self.project.codes(), codings)
        self.query_one(TranscriptView).set_codings(codings, self.colours)
        self._title(len(codings))
        self._update_position()

    def _document_changed(self) -> bool:
        """Whether the stored turns or text differ from those shown (a correction, or its
        undo, happened)."""
        names = [t["name"] for t in self.project.transcripts()]
        if self.transcript_name not in names:
            return True
        info = self.project.transcript(self.transcript_name)
        shown = [(t["start"], t["end"], t["speaker"]) for t in self.doc["turns"]]
        return info["text"] != self.doc["text"] or shown != [(t["start"], t["end"], t["speaker"])
                                                              for t in info["turns"]]

    def _reload_document(self, cursor: int | None = None) -> None:
        """Show the transcript again as stored, the cursor kept where it was."""
        view = self.query_one(TranscriptView)
        keep = view.cursor if cursor is None else cursor
        if self.transcript_name not in [t["name"] for t in self.project.transcripts()]:
            self.notify(f"{plain(self.transcript_name)} is no longer in the project", severity="warning",
                        markup=False)
            self.app.pop_screen()
            return
        self.doc = self.project.transcript(self.transcript_name)
        codings = self.project.codings(transcript=self.transcript_name)
        self._set_codes(self.project.codes(), codings)
        view.load(self.doc, codings, self.colours)
        view.go_to(min(keep, len(view.text)))
        self._title(len(codings))
        self._update_position()

    # --- correcting turns ----------------------------------------------------------------

    def _turn_here(self) -> dict | None:
        view = self.query_one(TranscriptView)
        if not view.turns:
            return None
        turn = view.turns[view.turn_index_at(view.cursor)]
        return turn if turn.get("seq") else None

    def action_split_turn(self) -> None:
        """Cut the turn at the cursor (or at the start of the selection) in two."""
        view = self.query_one(TranscriptView)
        turn = self._turn_here()
        if turn is None or not self._ready():
            return
        at = view.selection[0] if view.selection else view.cursor
        if self.attempt(self.project.split_turn, self.transcript_name, turn["seq"], at=at):
            self._reload_document(at)
            self.saved(f"split turn {turn['seq']} at {at}")

    def action_join_turns(self) -> None:
        """Join the turn at the cursor with the next one."""
        turn = self._turn_here()
        if turn is None or not self._ready():
            return
        result = self.attempt(self.project.join_turns, self.transcript_name, turn["seq"])
        if result:
            self._reload_document()
            note = f" (now includes {', '.join(result['included'])})" if result["included"] else ""
            self.saved(f"joined turns {turn['seq']} and {turn['seq'] + 1}{note}")

    def action_speaker(self) -> None:
        """Give the turn at the cursor to another speaker, or rename its label everywhere."""
        turn = self._turn_here()
        if turn is None or not self._ready():
            return
        labels = [s["label"] for s in self.doc["speakers"]]
        seq, current = turn["seq"], turn["speaker"]
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
            elif self.attempt(self.project.relabel_speakers, self.transcript_name, {label: text}):
                self._reload_document()
                self.saved(f"relabelled {label} as {text}")

        prompt = "New label for this turn" if kind == "new" else f"Rename {label} to"
        self.app.push_screen(TextInputDialog(prompt, "" if kind == "new" else label), typed)

    def _give_turn(self, seq: int, label: str | None) -> None:
        if self.attempt(self.project.set_turn_speaker, self.transcript_name, seq, label):
            self._reload_document()
            self.saved(f"turn {seq} -> {label or 'no speaker'}")

    # --- status of the cursor ----------------------------------------------------------


    def _update_position(self) -> None:
        view = self.query_one(TranscriptView)
        if not view.turns:
            return
        turn = view.turns[view.turn_index_at(view.cursor)]
        sel = view.selection
        parts = [f"turn {turn['seq']}"]
        if sel:
            parts.append(f"selected {sel[0]}:{sel[1]} ({sel[1] - sel[0]} chars, {view.unit if view.snap else 'free'})")
        else:
            parts.append(f"at {view.cursor}")
        if view.visual:
            parts.append("VISUAL: moves extend")
        here = view.codings_at()
        if here:
            parts.append("codes: " + ", ".join(plain(s.code) for s in here))
        self.query_one("#position", QuickLine).show(Text("  ·  ".join(parts), "dim"))

    # --- coding ------------------------------------------------------------------------

    def _codable_names(self) -> list[str]:
        names = [c["name"] for c in self.codes if c["codable"]]
        recent = [n for n in self.recent if n in names]
        return recent + [n for n in names if n not in recent]

    def _ready(self) -> bool:
        if not self.loaded:
            self.notify("Still reading the codings of this transcript…", timeout=2)
        return self.loaded

    def action_code(self) -> None:
        if not self._ready():
            return
        view = self.query_one(TranscriptView)
        if not view.selection:
            self.notify("Select something first: s sentence, t turn, v or shift+arrows",
                        severity="warning")
            return
        panel = self.query_one(PickerPanel)
        panel.configure(self._codable_names(), selected_text=view.selected_text)
        width = PICKER_WIDTH
        panel.styles.offset = (max(0, (self.size.width - width) // 2), PICKER_TOP)
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
        self._apply(event.name)

    def on_descendant_focus(self, event) -> None:
        """Focus moved elsewhere by the mouse while the picker was open: close it."""
        panel = self.query_one(PickerPanel)
        if panel.display and event.widget is not self.query_one(TranscriptView) \
                and panel not in event.widget.ancestors_with_self:
            self.query_one(TranscriptView).key_hook = None
            panel.display = False

    @property
    def picking(self) -> bool:
        """Whether the code picker is open."""
        return bool(self.query_one(PickerPanel).display)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data and self.query_one(TranscriptView).selection:
            self._apply(event.node.data)

    def _apply(self, name: str | None) -> None:
        view = self.query_one(TranscriptView)
        sel = view.selection
        if not name or not sel:
            return
        project = self.project
        if name not in self.colours:
            in_vivo = name == in_vivo_name(view.selected_text)
            if self.attempt(project.add_code, name, in_vivo=in_vivo) is None:
                return
            self.codes = project.codes()
            self.colours = {c["name"]: c["colour"] for c in self.codes}
            view.colours = self.colours
            self._build_tree()
        added = self.attempt(project.tag, self.transcript_name, name, Target(range=sel))
        if not added:
            return
        view.add_codings(added)
        self.recent = [name] + [n for n in self.recent if n != name]
        self.counts_here[name] = self.counts_here.get(name, 0) + len(added)
        for code in self.codes:
            if code["name"] == name:
                code["codings"] += len(added)
                self.nodes[name].set_label(self._label(code))
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
        removed = self.attempt(self.project.remove_coding, coding_id)
        if removed:
            self.query_one(TranscriptView).remove_codings([coding_id])
            name = removed["code"]
            self.counts_here[name] = max(0, self.counts_here.get(name, 0) - 1)
            for code in self.codes:
                if code["name"] == name:
                    code["codings"] -= 1
                    self.nodes[name].set_label(self._label(code))
            self.saved(f"removed {name} from {removed['start']}:{removed['end']}")
            self._title(len(self.query_one(TranscriptView).spans))
            self._update_position()

    # --- memos, search, navigation -----------------------------------------------------

    def action_memo(self) -> None:
        view = self.query_one(TranscriptView)
        sel = view.selection
        links = [f"transcript:{self.transcript_name}"]
        if sel:
            quote = " ".join(view.selected_text.split())
            title = in_vivo_name(quote, 50) or self.transcript_name
            body = f"> {quote}\n> ({self.transcript_name} {sel[0]}:{sel[1]})\n\n"
            links += [f"coding:{s.id}" for s in view.codings_at(sel[0])
                      if s.start < sel[1] and s.end > sel[0]]
            draft = MemoDraft("segment", title, body, links)
        else:
            draft = MemoDraft("transcript", f"{self.transcript_name}: ", "", links)
        self.app.push_screen(MemoEditor(draft, heading="Memo on the selection"), self._save_memo)

    def _save_memo(self, draft: MemoDraft | None) -> None:
        if draft is None:
            return
        memo = self.attempt(self.project.add_memo, draft.type, draft.title, draft.body,
                            links=draft.links)
        if memo:
            self.saved(f"wrote {draft.type} memo {memo['title']!r}")

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
        (tree if view.has_focus else view).focus()
