"""The one sanitiser for text that reaches a terminal.

Project data comes from files other people made: transcripts, their file names,
codebooks, another coder's project. A terminal acts on control characters in what it is
sent: ESC starts sequences that clear the screen, move the cursor, draw in colour, set
the window or pane title (OSC 0/2) or write the clipboard (OSC 52); C1 characters
(U+0080-U+009F) are the same sequences in one character on terminals that take them; a
carriage return or backspace overwrites what was printed. So every listing of the CLI and
every TUI widget shows project data through this module, with each control character
made visible (tab and newline excepted), and the data itself stays as it was imported.

- :func:`printable` writes each one as ``\\xNN`` (``\\x1b]0;title\\x07``): for listings
  and messages, where the length of the text does not matter;
- :func:`same_length` puts one visible character in its place (the Unicode control
  pictures, U+241B for ESC; U+FFFD for C1), for views that map a character offset to a
  screen column (the transcript, an editable memo);
- :func:`json_text` is JSON with every control character escaped as ``\\uNNNN`` (the
  json module leaves DEL and C1 as they are), so ``--json`` output is safe to print and
  still reads back as the same data.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Every C0 control but tab and newline, DEL, and every C1 control.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNESCAPED = re.compile("[\x7f-\x9f]")


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None


def _escape(match: re.Match) -> str:
    return f"\\x{ord(match.group()):02x}"


def printable(value: Any) -> str:
    """``value`` as text with every control character shown as ``\\xNN``."""
    text = "" if value is None else str(value)
    return CONTROLS.sub(_escape, text) if CONTROLS.search(text) else text


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # SYMBOL FOR ESCAPE and the other control pictures
    if code == 0x7F:
        return "\u2421"  # SYMBOL FOR DELETE
    return "\ufffd"  # C1 has no pictures


def same_length(text: str) -> str:
    """``text`` with each control character replaced by one visible character, so
    offsets into it still point at the same characters."""
    return CONTROLS.sub(_picture, text) if CONTROLS.search(text) else text


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON of ``data`` safe to print: C0 controls escaped by the json module, DEL and
    C1 escaped here (inside strings, the only place they can be, ``\\u0080`` is the same
    character to any JSON reader)."""
    text = json.dumps(data, indent=indent, ensure_ascii=False, default=str)
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = ["CONTROLS", "has_controls", "json_text", "printable", "same_length"]
