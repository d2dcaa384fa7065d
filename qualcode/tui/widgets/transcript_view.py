"""The transcript viewer: a Line API ``ScrollView`` that stays smooth on a 1M-character
transcript with 10,000 codings.

Why not a ``TextArea`` or a widget per line: see ``shared/notes/tui-long-documents.md``.
Here the document is wrapped once into rows (one row = one screen line), a prefix-sum
index (the sorted row start offsets) maps a character offset to its row with ``bisect``,
each row keeps the list of codings that touch it, and rendered ``Strip``s are cached
until the codings on that row or the width change. A cursor move repaints only the rows
it touches (``refresh_lines``).

Offsets are code points into the transcript text, the unit the core stores.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable

from rich.style import Style
from textual import events
from textual.actions import parse as parse_action
from textual.binding import Binding, BindingsMap
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...records.codings import Coding
from ...records.transcripts import TranscriptDocument, Turn
from ..shown import editable
from ..textual_adapter import SteadyScrollView, repaint
from .transcript_drawing import TranscriptDrawing
from .transcript_rows import (  # noqa: F401  (re-exported for the screens)
    BASE_BG,
    MARGIN,
    PREFIX,
    WORD,
    PreparedText,
    Span,
    _blend,
    _clock,
    _rgb,
    coded_turns,
    columns_for,
    offset_in_row,
    prepare_text,
    sorted_spans,
    spans_by_row,
    still_coded,
    turns_touched,
    usable_turns,
    wrap_rows,
)
from .transcript_units import TranscriptUnits


class TranscriptView(SteadyScrollView, TranscriptDrawing, TranscriptUnits, ScrollView, can_focus=True):
    """Transcript text with speaker/time prefixes, coloured codings, a margin of code
    names, a cursor and a selection that moves by character, word, sentence or turn."""

    BINDINGS = [
        Binding("left", "move('char', -1)", "char", show=False),
        Binding("right", "move('char', 1)", "char", show=False),
        Binding("ctrl+left,b", "move('word', -1)", "word back", show=False),
        Binding("ctrl+right,w", "move('word', 1)", "word", show=False),
        Binding("up", "move('unit', -1)", "previous sentence (or selected unit)", show=False),
        Binding("down", "move('unit', 1)", "next sentence (or selected unit)", show=False),
        Binding("ctrl+up,[", "move('turn', -1)", "prev turn", show=False),
        Binding("ctrl+down,]", "move('turn', 1)", "next turn", show=False),
        Binding("shift+left", "move('char', -1, True)", "extend char", show=False),
        Binding("shift+right", "move('char', 1, True)", "extend char", show=False),
        Binding("ctrl+shift+left", "move('word', -1, True)", "extend word", show=False),
        Binding("ctrl+shift+right", "move('word', 1, True)", "extend word", show=False),
        Binding("shift+up", "move('sentence', -1, True)", "extend sentence", show=False),
        Binding("shift+down", "move('sentence', 1, True)", "extend sentence", show=False),
        Binding("ctrl+shift+up", "move('turn', -1, True)", "extend turn", show=False),
        Binding("ctrl+shift+down", "move('turn', 1, True)", "extend turn", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        Binding("home", "edge(-1)", "start", show=False),
        Binding("end", "edge(1)", "end", show=False),
        Binding("v", "visual", "select"),
        Binding("s", "select_unit('sentence')", "sentence"),
        Binding("t", "select_unit('turn')", "turn"),
        Binding("e", "select_unit('word')", "word", show=False),
        Binding("escape", "clear", "clear selection", show=False),
    ]

    DEFAULT_CSS = """
    TranscriptView { scrollbar-gutter: stable; background: rgb(30,30,30); }
    """


    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.turns: list[Turn] = []
        self.sentences: list[tuple[int, int, int]] = []  # (start, end, turn seq)
        self.spans: list[Span] = []
        self.colours: dict[str, str | None] = {}  # a code may have no colour
        self.key_hook: Callable[[events.Key], bool] | None = None  # sees every key first
        self.cursor = 0  # a code-point offset into the text
        self.selection_anchor: int | None = None  # the other end of the selection
        self.before_selection: int | None = None  # where the cursor was when it began
        self.unit = "sentence"  # what up/down move a snapped selection by
        self.snap = False  # the selection is a whole unit and moves with up/down
        self.visual = False
        self._rows: list[tuple[int, int, int, bool]] = []  # (start, end, turn index, first)
        self._row_starts: list[int] = []
        self._row_spans: list[list[Span]] = []
        self._turn_starts: list[int] = []
        self._turn_items: list[tuple[int, int]] = []
        self._sentence_items: list[tuple[int, int]] = []
        self._coded_turns: set[int] = set()
        self._sentence_starts: list[int] = []
        self._cache: OrderedDict[int, Strip] = OrderedDict()
        self._wrap_width = 0
        self._drag = False
        self.on_change: Callable[[], None] | None = None  # the screen follows the cursor
        self._styles: dict[tuple, Style] = {}

    # --- loading -----------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """While a key hook is set (the code picker is open), keys go to it first; a key
        it uses is stopped here, before any binding sees it. A key the view binds itself
        runs its action here: left to bubble, it would be dispatched by every container
        up to the app and only then matched against the binding chain, which costs more
        than the move itself (the view comes first in that chain, so the action is the
        same either way)."""
        hook = self.key_hook
        if hook is not None and hook(event):
            event.stop()
            event.prevent_default()
            return
        action = _OWN_ACTIONS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            # Called straight: these actions only move the cursor and the selection,
            # and Textual's run_action would parse the action and inspect the method's
            # signature again on every key.
            name, arguments = action
            getattr(self, f"action_{name}")(*arguments)

    def load(self, transcript: TranscriptDocument, codings: list[Coding], colours: dict[str, str | None],
             prepared: PreparedText | None = None) -> None:
        """Show a transcript (``project.transcripts.get()``) with its codings; ``prepared``
        may carry it made ready beforehand by :func:`prepare_text` in a worker (used if
        made for the width the view has)."""
        if prepared is not None and prepared.width != self.text_width:
            prepared = None
        # Shown with each control character as one visible character: same offsets, and
        # nothing in the text reaches the terminal as an escape sequence.
        self.text = prepared.text if prepared else editable(transcript.text)
        self.turns = prepared.turns if prepared else usable_turns(transcript)
        self._turn_starts = [t.start for t in self.turns]
        self.sentences = prepared.sentences if prepared else [(s.start, s.end, s.turn) for s in transcript.sentences]
        self._sentence_starts = [s[0] for s in self.sentences]
        self._turn_items = [(t.start, t.end) for t in self.turns]
        self._sentence_items = [(s[0], s[1]) for s in self.sentences]
        self.colours = colours
        self._styles = {}
        self.selection_anchor, self.snap, self.visual = None, False, False
        self.cursor = self.turns[0].start if self.turns else 0
        if prepared is not None:
            self._set_rows(prepared.rows, prepared.width, prepared.row_starts)
            if not codings:
                self.set_codings([], indexed=(prepared.rows, [], prepared.no_spans, set()))
                return
        else:
            self._rewrap(force=True)
        self.set_codings(codings)

    def set_codings(self, codings: list[Coding], colours: dict[str, str | None] | None = None,
                    indexed: tuple | None = None) -> None:
        """Replace the codings drawn (after tagging, removing, undo). ``indexed`` may
        carry (rows, spans, spans by row[, coded turns]) computed in a worker for these
        very rows."""
        same_colours = colours is None or colours == self.colours
        if colours is not None:
            self.colours = colours
        before = self._row_spans
        if indexed is not None and indexed[0] is self._rows:
            self.spans, self._row_spans = indexed[1], indexed[2]
            self._coded_turns = indexed[3] if len(indexed) > 3 else coded_turns(self._turn_starts, self.spans)
        else:
            self.spans = sorted_spans(codings)
            self._index_spans()
        if same_colours and len(before) == len(self._row_spans):
            # Re-read while shown: drop only the drawn rows whose codings changed.
            for row in [r for r in self._cache if before[r] != self._row_spans[r]]:
                del self._cache[row]
        else:
            self._styles.clear()
            self._cache.clear()
        self.refresh()
        if self.is_mounted:
            self.call_after_refresh(self._prefetch)

    @property
    def _content_width(self) -> int:
        return self.scrollable_content_region.width or self.size.width or 120

    @property
    def prefix(self) -> int:
        """The speaker column's width at the view's present width."""
        return columns_for(self._content_width)[0]

    @property
    def margin(self) -> int:
        """The code-name margin's width at the view's present width."""
        return columns_for(self._content_width)[1]

    @property
    def text_width(self) -> int:
        return text_width_for(self._content_width)

    def _rewrap(self, force: bool = False) -> None:
        width = self.text_width
        if force or width != self._wrap_width:
            self._set_rows(wrap_rows(self.text, self.turns, width), width)

    def _set_rows(self, rows: list, width: int, row_starts: list[int] | None = None) -> None:
        self._wrap_width = width
        self._rows = rows
        self._row_starts = [r[0] for r in rows] if row_starts is None else row_starts
        self.virtual_size = Size(self.size.width, len(rows))
        self._cache.clear()

    def row_layout(self) -> tuple[list, list[int], list[int]]:
        """The rows as laid out now, their start offsets and the turns' starts: what a
        worker needs to sort codings onto rows (given to it; it never reads the view)."""
        return self._rows, self._row_starts, self._turn_starts

    def _index_spans(self) -> None:
        self._row_spans = spans_by_row(self._row_starts, self.spans)
        self._index_coded_turns()

    def on_resize(self, event: events.Resize) -> None:
        if self.text_width != self._wrap_width and self.turns:
            self._rewrap()
            self._index_spans()
            self.scroll_to_cursor(center=True)

    # --- geometry ----------------------------------------------------------------------

    def row_of(self, offset: int) -> int:
        """The row showing character ``offset`` (O(log n) over the row starts)."""
        if not self._rows:
            return 0
        # The last row starting at or before the offset; where a blank row and a turn's
        # first row share a start, bisect_right picks the turn's row.
        return max(0, bisect_right(self._row_starts, offset) - 1)

    def offset_at(self, x: int, y: int) -> int:
        """The character offset under a point in the widget (for the mouse)."""
        row = min(max(0, y + int(self.scroll_y)), len(self._rows) - 1)
        start, end, turn, _ = self._rows[row]
        if turn < 0:
            row = min(row + 1, len(self._rows) - 1)
            start, end, turn, _ = self._rows[row]
        return offset_in_row(self.text, start, end, x - self.prefix)

    # --- selection state ---------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected (start, end), or None."""
        if self.selection_anchor is None or self.selection_anchor == self.cursor:
            return None
        return (min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor))

    @property
    def selected_text(self) -> str:
        sel = self.selection
        return self.text[sel[0]:sel[1]] if sel else ""

    def codings_at(self, offset: int | None = None) -> list[Span]:
        """Codings covering the cursor (or the selection's start)."""
        offset = self.cursor if offset is None else offset
        if not self._rows:
            return []
        return [s for s in self._row_spans[self.row_of(offset)] if s.start <= offset < s.end]

    def set_selection(self, start: int, end: int, *, snap_unit: str | None = None) -> None:
        """Select ``start:end`` (cursor at the end) and bring it into view."""
        before = self._touched_rows()
        self._remember_cursor()
        self.selection_anchor, self.snap = start, snap_unit is not None
        if snap_unit:
            self.unit = snap_unit
        self._set_cursor(end, before)

    def _set_cursor(self, offset: int, before: set[int] | None = None) -> None:
        before = self._touched_rows() if before is None else before
        self.cursor = min(max(0, offset), len(self.text))
        self._repaint_rows(before | self._touched_rows())
        self.scroll_to_cursor()
        self._changed()

    def _changed(self) -> None:
        # Called synchronously (not via a message) so whatever the screen updates in
        # response lands in the same frame as the cursor: one frame per key press.
        if self.on_change is not None:
            self.on_change()

    def _touched_rows(self) -> set[int]:
        """Rows the cursor and selection are drawn on (so only they repaint)."""
        if not self._rows:
            return set()
        sel = self.selection
        if sel:
            first, last = self.row_of(sel[0]), self.row_of(max(sel[0], sel[1] - 1))
            return set(range(first, last + 1)) | {self.row_of(self.cursor)}
        return {self.row_of(self.cursor)}

    def _repaint_rows(self, rows: set[int]) -> None:
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height
        visible = sorted(r for r in rows if top <= r < top + height)
        if len(visible) > height // 2:
            self.refresh()
        elif visible and top <= self.row_of(self.cursor) < top + height:
            # The cursor stays in view: only these rows change, and the screen is told
            # at once (regions are counted from the top of the view, as refresh_lines
            # counts them).
            repaint(self, Region(0, visible[0] - top, max(self.virtual_size.width, self.size.width),
                                 visible[-1] - visible[0] + 1))
        elif visible:
            # The view will scroll to the cursor, and repaint itself whole in the same
            # frame: these rows are only marked as changed.
            self.refresh_lines(visible[0], visible[-1] - visible[0] + 1)

    def scroll_to_cursor(self, center: bool = False) -> None:
        row = self.row_of(self.cursor)
        top, height = int(self.scroll_y), max(1, self.scrollable_content_region.height)
        if center:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    # --- actions -----------------------------------------------------------------------

    def action_move(self, unit: str, direction: int, extend: bool = False) -> None:
        if not self.text:
            return
        before = self._touched_rows()
        if unit == "unit":  # up/down: the selected unit while one is selected, else sentences
            unit = self.unit if self.snap else "sentence"
        if self.snap and not extend and unit in ("sentence", "turn", "word"):
            # A whole sentence/turn/word is selected: the selection moves to the next one.
            sel = self.selection or (self.cursor, self.cursor)
            target = self._step(unit, sel[0], direction, False)
            start, end = self.unit_at(unit, target)
            self.selection_anchor = start
            self._set_cursor(end, before)
            return
        if extend or self.visual:
            if self.selection_anchor is None:
                self._remember_cursor()
                self.selection_anchor = self.cursor
            self.snap = False
            self._set_cursor(self._step(unit, self.cursor, direction, direction > 0), before)
            return
        self.selection_anchor, self.snap = None, False
        self._set_cursor(self._step(unit, self.cursor, direction, False), before)

    def action_select_unit(self, unit: str) -> None:
        """Select the sentence/turn/word under the cursor; up/down then move it."""
        if not self.text:
            return
        sel = self.selection
        start, end = self.unit_at(unit, sel[0] if sel else self.cursor)
        self.visual = False
        self.set_selection(start, end, snap_unit=unit)

    def action_visual(self) -> None:
        """Start (or stop) a selection that every move extends."""
        self.visual = not self.visual
        if self.visual:
            self._remember_cursor()
            self.selection_anchor, self.snap = self.cursor, False
        self._changed()

    def _remember_cursor(self) -> None:
        if self.selection is None:
            self.before_selection = self.cursor

    def action_clear(self) -> None:
        """Escape: drop the selection, the cursor back where it was when the selection
        began (still inside it), else at its start; never at its far end, which for a
        long turn is pages away."""
        before = self._touched_rows()
        sel = self.selection
        back = self.before_selection
        if sel is None:
            target = self.cursor
        elif back is not None and sel[0] <= back <= sel[1]:
            target = back
        else:
            target = sel[0]
        self.selection_anchor, self.snap, self.visual = None, False, False
        self.before_selection = None
        self._set_cursor(target, before)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        row = min(max(0, self.row_of(self.cursor) + direction * height), len(self._rows) - 1)
        before = self._touched_rows()
        self.selection_anchor, self.snap = (self.selection_anchor, False) if self.visual else (None, False)
        self.scroll_to(y=max(0, int(self.scroll_y) + direction * height), animate=False,
                       immediate=True)
        start, _, turn, _ = self._rows[row]
        if turn < 0 and row + 1 < len(self._rows):
            start = self._rows[row + 1][0]
        self._set_cursor(start, before)

    def action_edge(self, direction: int) -> None:
        self.selection_anchor, self.snap = None, False
        self._set_cursor(0 if direction < 0 else len(self.text))

    def go_to(self, start: int, end: int | None = None) -> None:
        """Put the cursor (and selection) on a span and centre it."""
        self.visual = False
        if end is not None and end > start:
            self.set_selection(start, end)
        else:
            self.selection_anchor = None
            self._set_cursor(start)
        self.scroll_to_cursor(center=True)
        self.refresh()

    def next_uncoded_turn(self, direction: int) -> bool:
        """Move to the next (or previous) turn no coding touches; False if none."""
        if not self.turns:
            return False
        here = self.turn_index_at(self.cursor)
        order = range(here + 1, len(self.turns)) if direction > 0 else range(here - 1, -1, -1)
        for i in order:
            if i not in self._coded_turns:
                turn = self.turns[i]
                self.set_selection(turn.start, turn.end, snap_unit="turn")
                return True
        return False

    # --- mouse -------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if not self._rows:
            return
        self.focus()
        offset = self.offset_at(event.x, event.y)
        before = self._touched_rows()
        self.selection_anchor, self.snap, self._drag = offset, False, True
        self.capture_mouse()
        self._set_cursor(offset, before)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag and self._rows:
            self._set_cursor(self.offset_at(event.x, event.y))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag:
            self._drag = False
            self.release_mouse()

    # --- drawing -----------------------------------------------------------------------

    def add_codings(self, codings: list[Coding]) -> None:
        """Draw new codings without re-indexing the whole document."""
        for c in codings:
            span = Span(c.id, c.code, c.start, c.end, c.coder)
            self.spans.append(span)
            first, last = self.row_of(span.start), self.row_of(max(span.start, span.end - 1))
            for row in range(first, last + 1):
                self._row_spans[row].append(span)
                self._row_spans[row].sort(key=lambda s: (s.start, -s.end))
                self._cache.pop(row, None)
            a = self.turn_index_at(span.start)
            self._coded_turns.update(range(a, bisect_left(self._turn_starts, span.end)))
            self._repaint_rows(set(range(first, last + 1)))

    def remove_codings(self, coding_ids) -> None:
        """Stop drawing codings (after they were removed), redrawing only their rows."""
        ids = set(coding_ids)
        gone = [s for s in self.spans if s.id in ids]
        if not gone:
            return
        self.spans = [s for s in self.spans if s.id not in ids]
        rows: set[int] = set()
        for span in gone:
            rows.update(range(self.row_of(span.start), self.row_of(max(span.start, span.end - 1)) + 1))
        for row in rows:
            self._row_spans[row] = [s for s in self._row_spans[row] if s.id not in ids]
            self._cache.pop(row, None)
        touched = set().union(*(turns_touched(self._turn_starts, s) for s in gone))
        self._coded_turns -= touched - still_coded(touched, self._turn_starts, self.row_of, self._row_spans)
        self._repaint_rows(rows)

    def _index_coded_turns(self) -> None:
        self._coded_turns = coded_turns(self._turn_starts, self.spans)

    def invalidate(self, start: int, end: int) -> None:
        """Forget the cached rows of a span (after it was coded or uncoded)."""
        for row in range(self.row_of(start), self.row_of(max(start, end - 1)) + 1):
            self._cache.pop(row, None)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self._rows:
            self.call_after_refresh(self._prefetch)


def text_width_for(content_width: int) -> int:
    """The width the text is wrapped to in a view whose content is ``content_width``
    cells wide (besides the speaker column and the code margin)."""
    prefix, margin = columns_for(content_width)
    return max(10, content_width - prefix - margin - 1)


#: The view's own keys (as Textual names them: ``[`` is ``left_square_bracket``) and
#: their actions, parsed: (name, arguments).
_OWN_ACTIONS: dict[str, tuple[str, tuple]] = {
    key: parse_action(bindings[0].action)[1:]
    for key, bindings in BindingsMap(TranscriptView.BINDINGS).key_to_bindings.items()
}
