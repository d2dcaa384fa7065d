"""How the coding screen reads its transcript and codings, and keeps up with other programs.

The text and the codings are read in thread workers, each on a read-only connection of
its own (``Project.open_reader``), so the main thread only paints. When another program
commits, :meth:`CodingReads.on_project_changed` reads only what changed (see
``_read_codings``) and the main thread redraws only the rows it touches; a corrected
transcript is shown again as stored. Mixed into :class:`~.coding.CodingScreen`.

A worker never touches a widget: it is given what it needs (the rows laid out, the width
to wrap to) and posts what it read to the screen as a message, handled on the main thread.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from ...errors import NotFoundError, QualcodeError
from ...project import Project
from ...records.codes import Code
from ...records.codings import Coding
from ...records.transcripts import TranscriptDocument
from ..live import ProjectChanged
from ..shown import counted, editable, plain, shown
from ..widgets.quick_line import QuickLine
from ..widgets.transcript_view import (
    PreparedText,
    TranscriptView,
    coded_turns,
    prepare_text,
    sorted_spans,
    spans_by_row,
)

if TYPE_CHECKING:  # mixed into the coding screen, whose screen methods it calls
    from .base import BaseScreen as _ScreenBase
else:
    _ScreenBase = object


@dataclass(frozen=True)
class DrawnCodings:
    """What the screen has drawn, to tell later what other programs changed."""

    keys: dict[int, tuple]  # coding id -> (code id, coder id, start, end)
    top: int  # the largest coding id among them
    fingerprint: tuple  # Project.codings_fingerprint up to ``top``


def _shape(code: Code) -> tuple:
    """What of a code its tree node and the drawn codings show, besides the counts."""
    return code.name, code.parent, code.colour, code.codable


# Up to this many codings added, changed or removed elsewhere are redrawn one by one;
# more, and every coding is read again.
FEW_CHANGES = 50


class TranscriptRead(Message, bubble=False):
    """The text and codes were read (and made ready to show, when the width was known)."""

    def __init__(self, doc: TranscriptDocument, codes: list[Code], prepared: PreparedText | None) -> None:
        super().__init__()
        self.doc, self.codes, self.prepared = doc, codes, prepared


class ReadFailed(Message, bubble=False):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class CodingsRead(Message, bubble=False):
    """Every coding of the transcript, sorted onto the rows the read was given."""

    def __init__(self, codings: list[Coding], codes: list[Code], saves: int, indexed: tuple,
                 known: DrawnCodings) -> None:
        super().__init__()
        self.codings, self.codes, self.saves, self.indexed, self.known = codings, codes, saves, indexed, known


class CodingsChanged(Message, bubble=False):
    """Only the codings others changed: ``fresh`` to draw, ``dropped`` to take away."""

    def __init__(self, fresh: list[Coding], dropped: list[int], codes: list[Code], saves: int,
                 known: DrawnCodings) -> None:
        super().__init__()
        self.fresh, self.dropped, self.codes, self.saves, self.known = fresh, dropped, codes, saves, known


class TranscriptCorrected(Message, bubble=False):
    """Another program corrected the transcript's text or turns, or deleted it."""


class CodingReads(_ScreenBase):
    """Reading and redrawing for the coding screen (which provides ``transcript_name``,
    ``doc``, ``codes``, ``counts_here``, ``nodes``, ``span``, ``loaded`` and the widgets)."""

    # Set by the coding screen (see CodingScreen.__init__).
    transcript_name: str
    span: tuple[int, int] | None
    doc: TranscriptDocument
    codes: list[Code]
    colours: dict[str, str | None]  # a code may have no colour
    counts_here: dict[str, int]
    nodes: dict[str, TreeNode[str]]
    loaded: bool
    shown: bool
    wrap_width: int
    _mounted: bool
    _pending: tuple[TranscriptDocument, list[Code], PreparedText | None] | None
    _known: DrawnCodings | None

    if TYPE_CHECKING:  # the coding screen's own methods
        def _update_position(self) -> None: ...
        def _reload_document(self, cursor: int | None = None) -> None: ...

    def load_transcript(self, path) -> None:
        """Read the text on this thread's own connection and wrap it here too, so the
        main thread only has to paint (a thread worker the app starts with the screen)."""
        try:
            with Project.open_reader(path) as project:
                doc, codes = project.transcripts.get(self.transcript_name), project.codebook.codes()
        except (QualcodeError, sqlite3.Error) as exc:
            self.post_message(ReadFailed(exc))
            return
        prepared = None
        for _ in range(100):  # set as the screen is pushed, from the terminal's width
            width = self.wrap_width  # (then checked by _note_wrap_width, on the main thread)
            if width:
                # Wrapped as the view shows it: control characters one visible cell each.
                prepared = prepare_text(doc, editable(doc.text), width)
                break
            time.sleep(0.005)
        self.post_message(TranscriptRead(doc, codes, prepared))

    def _note_wrap_width(self) -> None:
        """Once the view is laid out, tell the reading worker the width to wrap to."""
        view = self.query_one(TranscriptView)
        if view.scrollable_content_region.width > 0:
            self.wrap_width = view.text_width
        else:
            self.call_after_refresh(self._note_wrap_width)

    def on_transcript_read(self, message: TranscriptRead) -> None:
        self._loaded(message.doc, message.codes, message.prepared)

    def on_read_failed(self, message: ReadFailed) -> None:
        self._unreadable(message.error)

    def on_codings_read(self, message: CodingsRead) -> None:
        self._codings_loaded(message.codings, message.codes, message.saves, message.indexed, message.known)

    def on_codings_changed(self, message: CodingsChanged) -> None:
        self._codings_changed(message.fresh, message.dropped, message.codes, message.saves, message.known)

    def on_transcript_corrected(self, _message: TranscriptCorrected) -> None:
        self._transcript_changed()

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

    def load_codings(self, *, changes_only: bool = False) -> None:
        """(Re-)read the codings and codes in a worker; see :meth:`_read_codings`. With
        ``changes_only`` (another program saved something), only the codings added,
        changed or removed since the last read, when they are few; and the whole
        transcript again if its text or turns were corrected meanwhile."""
        shape = [_shape(c) for c in self.codes]
        bounds = tuple((t.start, t.end) for t in self.doc.turns)  # in seq order
        layout = (self.doc.text, bounds) if changes_only else None
        self._read_codings(self.app.project.path, self.app.saves, self._known if changes_only else None,
                           shape, self.query_one(TranscriptView).row_layout(), layout)

    # (A description of its own: Textual would otherwise describe the worker by the repr
    # of its arguments, the whole text and every coding's key among them.)
    @work(thread=True, exclusive=True, group="load", description="reading codings")
    def _read_codings(self, path, saves: int, known: DrawnCodings | None, shape: list[tuple],
                      rows: tuple, layout: tuple | None = None) -> None:
        """Read the codings (10,000 take a few hundred ms) and sort them onto rows,
        after the text is on screen: earlier, this thread would hold the GIL and delay
        that first frame. Also the codes, for the counts of the codebook pane.

        With ``known`` (what was drawn), while no code was renamed or recoloured, only
        the codings that are new or differ are read, and the main thread redraws only
        the rows they touch. The fingerprint tells SQLite-side whether any coding drawn
        has changed; while none has, only the keys of the newer ones are read.

        ``rows`` is the view's layout (:meth:`TranscriptView.row_layout`), taken on the
        main thread: the codings are sorted onto those rows here.
        """
        name = self.transcript_name
        changes = None
        try:
            with Project.open_reader(path) as project, project.reading():
                if layout is not None:
                    try:
                        same = project.coding.transcript_layout_matches(name, *layout)
                    except NotFoundError:  # deleted by another program
                        same = False
                    if not same:
                        self.post_message(TranscriptCorrected())
                        return
                codes = project.codebook.codes()
                if known is not None and [_shape(c) for c in codes] == shape:
                    if project.coding.codings_fingerprint(name, known.top) == known.fingerprint:
                        added = project.coding.coding_keys(name, after_id=known.top)
                        keys, differ, gone = {**known.keys, **added}, list(added), []
                    else:
                        keys = project.coding.coding_keys(name)
                        differ = [i for i, key in keys.items() if known.keys.get(i) != key]
                        gone = [i for i in known.keys if i not in keys]
                    if len(differ) + len(gone) <= FEW_CHANGES:
                        changed = [i for i in differ if i in known.keys]  # redrawn: out, then in
                        changes = project.coding.codings_by_ids(differ), [*gone, *changed]
                if changes is None:
                    codings = project.coding.codings(transcript=name)
                    keys = project.coding.coding_keys(name)
                top = max(keys, default=0)
                drawn = DrawnCodings(keys, top, project.coding.codings_fingerprint(name, top))
        except (QualcodeError, sqlite3.Error) as exc:
            self.post_message(ReadFailed(exc))
            return
        if get_current_worker().is_cancelled:
            return  # a newer read is on its way
        if changes is not None:
            self.post_message(CodingsChanged(*changes, codes, saves, drawn))
            return
        drawn_rows, row_starts, turn_starts = rows
        spans = sorted_spans(codings)
        indexed = (drawn_rows, spans, spans_by_row(row_starts, spans), coded_turns(turn_starts, spans))
        self.post_message(CodingsRead(codings, codes, saves, indexed, drawn))

    def _loaded(self, doc: TranscriptDocument, codes: list[Code], prepared: PreparedText | None = None) -> None:
        if not self._mounted:
            self._pending = (doc, codes, prepared)
            return
        self.doc = doc
        view = self.query_one(TranscriptView)
        self._set_codes(codes, [], tree_later=True)
        view.load(doc, [], self.colours, prepared=prepared)
        self._title(0)
        if self.span:
            view.go_to(*(min(offset, len(doc.text)) for offset in self.span))
        view.focus()
        self.shown = True
        self._update_position()
        self.call_after_refresh(self.load_codings)
        self.call_after_refresh(self.check_recording)  # type: ignore[attr-defined]

    def _codings_loaded(self, codings: list[Coding], codes: list[Code], saves: int,
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
        """Another program corrected this transcript (its text or turns) or deleted it:
        every offset on screen may now point elsewhere, so show it again as stored, near
        the same place (or leave, if it is gone)."""
        self.notify(f"{plain(self.transcript_name)} was changed by another program: shown again",
                    timeout=4, markup=False)
        self._reload_document()

    def _codings_changed(self, fresh: list[Coding], dropped: list[int], codes: list[Code],
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
        fresh = [c for c in fresh if c.id not in drawn]
        view.add_codings(fresh)
        for c in fresh:
            self._count(c.code, 1)
        self._known = known
        self._show_codes(codes)
        self._title(len(view.spans))
        self._update_position()

    def on_unmount(self) -> None:
        # Let this transcript's objects be collected again once the screen is gone.
        gc.unfreeze()

    def _title(self, codings: int) -> None:
        doc = self.doc
        who = " · ".join(x for x in (doc.participant, doc.wave, doc.kind) if x)
        self.query_one("#doc-title", QuickLine).show(
            Text.assemble((plain(doc.name), "bold"), f"  {plain(who)}  ·  {counted(len(doc.turns), 'turn')} · "
                          f"{counted(doc.char_count, 'character')} · ",
                          (counted(codings, "coding") if self.loaded else "loading codings…")))

    def _count(self, code: str, step: int) -> None:
        self.counts_here[code] = max(0, self.counts_here.get(code, 0) + step)

    def _set_codes(self, codes: list[Code], codings: list[Coding], *, tree_later: bool = False) -> None:
        self.counts_here = {}
        for c in codings:
            self.counts_here[c.code] = self.counts_here.get(c.code, 0) + 1
        self._show_codes(codes, tree_later=tree_later)

    def _show_codes(self, codes: list[Code], *, tree_later: bool = False) -> None:
        """The codebook pane: rebuilt when codes were added, moved, renamed or recoloured,
        else only the labels whose counts changed (a rebuild costs a layout pass). With
        ``tree_later`` (the first paint) the tree is built after the next frame: its first
        drawing takes ~15 ms, which the text should not wait for."""
        same = bool(self.nodes) and [_shape(c) for c in codes] == [_shape(c) for c in self.codes]
        self.codes = codes
        self.colours = {c.name: c.colour for c in codes}
        if not same:
            if tree_later:
                self.call_after_refresh(self._build_tree_once)
            else:
                self._build_tree()
            return
        for code in codes:
            node, label = self.nodes[code.name], self._label(code)
            if node.label != label:
                node.set_label(label)

    def _add_to_count(self, name: str, step: int) -> None:
        """Code ``name`` has ``step`` more codings (fewer when negative): its record is
        replaced by one with the new count, and its node relabelled."""
        for i, code in enumerate(self.codes):
            if code.name == name:
                self.codes[i] = code = replace(code, codings=max(0, code.codings + step))
                self.nodes[name].set_label(self._label(code))

    def _label(self, code: Code) -> Text:
        here = self.counts_here.get(code.name, 0)
        style = "dim italic" if not code.codable else ""
        return Text.assemble(("■ ", code.colour or "#888888"), (plain(code.name), style),
                             (f"  {here}/{code.codings}", "cyan" if here else "dim"))

    def _build_tree_once(self) -> None:
        if not self.nodes:  # not built meanwhile (the codings' read may come first)
            self._build_tree()

    def _build_tree(self) -> None:
        tree = self.query_one(Tree)
        tree.visible = True  # hidden until first built: see CodingScreen.compose
        tree.clear()
        self.nodes = {}
        parents = {c.parent for c in self.codes}
        for code in self.codes:
            parent = self.nodes.get(code.parent, tree.root) if code.parent else tree.root
            if code.name in parents:
                node = parent.add(self._label(code), data=code.name, expand=True)
            else:
                node = parent.add_leaf(self._label(code), data=code.name)
            self.nodes[code.name] = node
        tree.root.expand()

    def on_project_changed(self, event: ProjectChanged) -> None:
        """Another program changed the project: re-read what changed in a worker (see
        load_codings); the cursor and selection stay where they are."""
        event.stop()
        event.prevent_default()  # not BaseScreen's handler too: it would re-read it all here
        self.seen_generation = self.app.generation
        if self.loaded:
            self.load_codings(changes_only=True)
