"""``?``: every key, for the screen underneath and for every screen."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


def _screens() -> list[tuple[str, type[DOMNode]]]:
    from ..widgets.code_picker import PickerPanel
    from ..widgets.transcript_view import TranscriptView
    from .codebook import CodebookScreen
    from .coding import CodingScreen
    from .comparison import ComparisonScreen
    from .home import HomeScreen
    from .matrix import MatrixScreen
    from .memos import MemosScreen
    from .network import NetworkScreen
    from .participant import ParticipantScreen

    return [("Study home", HomeScreen), ("Coding", CodingScreen),
            ("Transcript text", TranscriptView), ("Code picker", PickerPanel),
            ("Codebook", CodebookScreen), ("Comparison", ComparisonScreen),
            ("Participant", ParticipantScreen), ("Memos", MemosScreen),
            ("Matrix and change", MatrixScreen), ("Network", NetworkScreen)]


def _key_names(keys: str) -> str:
    return ", ".join(k.replace("question_mark", "?").replace("slash", "/") for k in keys.split(","))


DIGIT_ACTION = re.compile(r"(\w+)\(\d\)")


def key_rows(bindings) -> list[tuple[str, str]]:
    """(keys, what they do) for a table of keys: one row per binding, except that the
    digit keys of one action (``digit(0)`` ... ``digit(9)``) make a single ``0-9`` row."""
    rows: list[tuple[str | list[str], str]] = []
    digits: dict[str, list[str]] = {}  # action name -> its digit keys (also held in rows)
    for binding in bindings:
        if isinstance(binding, tuple):
            binding = Binding(*binding)
        grouped = DIGIT_ACTION.fullmatch(binding.action)
        if grouped and binding.key.isdigit():
            keys = digits.get(grouped.group(1))
            if keys is None:
                keys = digits[grouped.group(1)] = []
                rows.append((keys, binding.description or grouped.group(1)))
            keys.append(binding.key)
            continue
        rows.append((_key_names(binding.key), binding.description or binding.action))
    return [(keys if isinstance(keys, str) else
             (f"{min(keys)}-{max(keys)}" if len(keys) > 1 else keys[0]), what) for keys, what in rows]


class HelpScreen(ModalScreen[None]):
    """A table of keys: the screen you came from first, then global, then the rest."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide help"):
            yield Label("Keys  (Escape closes; ctrl+p finds any action, code, participant or transcript)",
                        classes="dialog-title")
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        from ..app import QualcodeApp

        table = self.query_one(DataTable)
        table.add_columns("where", "key", "what")
        sections: list[tuple[str, type[DOMNode]]] = [("Everywhere", QualcodeApp)]
        sections += [(label, cls) for label, cls in _screens()]
        here = type(self.under)
        sections.sort(key=lambda s: s[1] is not here)  # the screen you came from first
        for label, cls in sections:
            for keys, what in key_rows(cls.BINDINGS):
                table.add_row(Text(label, "bold" if cls is here else ""), keys, what)
        for key, desc in (("ctrl+p", "command palette"), ("mouse drag", "select text")):
            table.add_row("Everywhere", key, desc)

    def action_close(self) -> None:
        self.dismiss(None)
