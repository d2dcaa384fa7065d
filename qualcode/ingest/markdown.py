"""Markdown transcripts (.md), parsed with markdown-it-py.

Podcast and meeting transcripts are often published as Markdown: a bold label at the
start of a paragraph (``**Name:** text``, ``**Name**: text``), a heading per speaker
(``### Name:`` with the speech in the paragraphs below), or a bold name and a time
on a line of its own (``**Name**  12:04``, speech below). The stored text is the
document as a reader sees it: emphasis marks, escapes (``\\[04:06\\]``), entities
(``&amp;``), link targets, HTML tags and quote markers are gone, each block is a
paragraph, a bold label is written ``Name: text`` and a heading label ``Name:`` on
its own line.

Labels from markup are weighed with every other candidate (see
:mod:`qualcode.ingest.label_evidence`): a bold run or heading ending in a colon is a
label even when the name occurs once (the markup says so); without a colon, a bold
name or a heading counts only when it recurs, so that emphasis ("**Really** good")
and section headings are not taken for speakers. Plain ``Name: text`` lines are
recognised as in a text file.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from .clock import TRAILING_TIME, parse_clock
from .encoding import decode_text, normalise
from .labels import LabelCandidate, classify_label, label_shape, speech_time
from .model import ParsedTranscript
from .turns import detect_turns

_COLONS = (":", "\uff1a")


@dataclass(slots=True)
class _Label:
    name: str
    style: str  # "bold" or "heading"
    colon: bool
    speech: str = ""  # what follows the label on its line
    below: str = ""  # the paragraph's further lines
    time_text: str = ""  # "12:04" of "**Name**  12:04"


def _inline_text(children) -> str:
    """The visible text of an inline token: no marks, no tags, link text kept."""
    parts = []
    for child in children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(child.content)
    return "".join(parts)


def _bold_label(children) -> _Label | None:
    """``**Name:** speech``, ``**Name**: speech`` or ``**Name**  12:04`` at the start."""
    kids = [c for c in children or () if not (c.type == "text" and not c.content)]
    if len(kids) < 3 or kids[0].type != "strong_open":
        return None
    close = next((i for i, c in enumerate(kids) if c.type == "strong_close"), None)
    if close is None:
        return None
    name = _inline_text(kids[1:close]).strip()
    if "\n" in name or not name:
        return None
    first_line, _, below = _inline_text(kids[close + 1:]).partition("\n")
    if name.endswith(_COLONS):
        return _Label(name[:-1].strip(), "bold", True, first_line.strip(), below)
    rest = first_line.strip()
    if rest.startswith(_COLONS):
        return _Label(name, "bold", True, rest[1:].strip(), below)
    if TRAILING_TIME.fullmatch(rest.strip("[]() ")):
        return _Label(name, "bold", False, "", below, rest)
    return _Label(name, "bold", False, rest, below)


def _heading_label(text: str) -> _Label | None:
    name = text.strip()
    if "\n" in name or not name:
        return None
    if name.endswith(_COLONS):
        return _Label(name[:-1].strip(), "heading", True, "")
    return _Label(name, "heading", False, "")


def _blocks(source: str) -> list[tuple[str, _Label | None]]:
    """The document's blocks in order: (text, label found by markup)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    blocks: list[tuple[str, _Label | None]] = []
    row: list[str] | None = None
    heading = False
    list_item_start = False
    for token in md.parse(source):
        kind = token.type
        if kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind == "list_item_open":
            list_item_start = True
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            if any(cell.strip() for cell in row):
                blocks.append(("\t".join(cell.strip() for cell in row), None))
            row = None
        elif kind == "inline":
            text = _inline_text(token.children)
            if row is not None:
                row.append(" ".join(text.split()))
                continue
            label = _heading_label(text) if heading else _bold_label(token.children)
            if list_item_start and label is None:
                text = "- " + text
            list_item_start = False
            blocks.append((text, label))
        elif kind in ("fence", "code_block", "html_block"):
            content = token.content
            if kind == "html_block":
                content = _strip_tags(content)
            if content.strip():
                blocks.append((content.rstrip("\n"), None))
    return blocks


def _strip_tags(html_text: str) -> str:
    """The text of an HTML block (a slide embed, a link) without its tags."""
    import html
    import re

    return html.unescape(re.sub(r"<[^<>]*>", " ", html_text)).strip()


def read_markdown(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a Markdown transcript (see the module docstring)."""
    raw, encoding, notes = decode_text(data, source_name)
    blocks = _blocks(normalise(raw))
    # Labels without a colon count only when they recur (see the module docstring).
    recurring = Counter(label.name for _, label in blocks if label is not None)
    parts: list[str] = []
    marked: dict[int, LabelCandidate] = {}
    offset = 0
    for text, label in blocks:
        if label is not None and label_shape(label.name) is not None and (
            label.colon or recurring[label.name] >= 2
        ):
            head = f"{label.name}:" if label.colon else label.name
            if label.time_text:
                head = f"{label.name}  {label.time_text}"
            line = f"{head} {label.speech}" if label.speech else head
            text = f"{line}\n{label.below}" if label.below else line
            strong, role_word, name_like = classify_label(label.name)  # type: ignore[misc]
            time = parse_clock(label.time_text.strip("[]() ")) if label.time_text else None
            at, time = speech_time(line, len(head) + (1 if label.speech else 0), time)
            marked[offset] = LabelCandidate(label.name, label.style, at, time, strong, role_word, name_like,
                                            label_shape(label.name) or "")
        parts.append(text)
        offset += len(text) + 2
    text = "\n\n".join(parts)
    turns, layout = detect_turns(text, marked=marked)
    return ParsedTranscript(
        text=text,
        turns=turns,
        source_name=source_name,
        sha256=hashlib.sha256(data).hexdigest(),
        format="markdown",
        encoding=encoding,
        warnings=[*notes, *([] if turns else ["no text found"])],
        layout=layout,
    )
