"""What the transcript view's mixins share: its state and the methods they call on it.

:class:`~qualcode.tui.widgets.transcript_view.TranscriptView` is put together from
mixins (drawing, units) that read the view's state. This class names that state once,
with its types, so the type checker sees the mixins as parts of a ``ScrollView`` that
has it; at run time it adds nothing (the view sets every attribute in ``__init__``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from textual.strip import Strip

from ...records.transcripts import Turn
from .transcript_rows import Span

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView as _ViewBase
else:
    _ViewBase = object


class TranscriptState(_ViewBase):
    """The transcript view's state, declared for its mixins."""

    text: str
    turns: list[Turn]
    sentences: list[tuple[int, int, int]]  # (start, end, turn seq)
    spans: list[Span]
    colours: dict[str, str | None]
    cursor: int  # a code-point offset into the text
    selection_anchor: int | None  # the other end of the selection (Widget.anchor is a method)
    unit: str
    snap: bool
    visual: bool
    on_change: Callable[[], None] | None
    _rows: list[tuple[int, int, int, bool]]  # (start, end, turn index, first)
    _row_starts: list[int]
    _row_spans: list[list[Span]]
    _turn_starts: list[int]
    _turn_items: list[tuple[int, int]]
    _sentence_items: list[tuple[int, int]]
    _sentence_starts: list[int]
    _coded_turns: set[int]
    _cache: OrderedDict[int, Strip]
    _wrap_width: int
    _styles: dict[tuple, Style]

    if TYPE_CHECKING:  # defined by TranscriptView; declared here for the mixins

        @property
        def selection(self) -> tuple[int, int] | None: ...

        @property
        def _content_width(self) -> int: ...

        def row_of(self, offset: int) -> int: ...
