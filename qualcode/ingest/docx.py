"""Word (.docx) transcripts, read with python-docx.

The stored text is the document body in order: each paragraph on its own line,
each table row on its own line where the table stands. Speaker labels are found by
the plain-text turn finder (:func:`qualcode.ingest.text.find_turns`), so a Word
transcript and the same transcript saved as .txt give the same turns, with two
extra hints only Word can give:

* a bold run at the start of a paragraph (``**Janet:** Well...`` or ``**Janet**
  Well...``) is a label even if the name occurs only once, when it ends with a
  colon, is a known role or id, or starts at least two paragraphs in bold;
* a two-column ``Speaker | Text`` table becomes one line ``Speaker: text`` per row
  (a header row "Speaker | Text" is skipped), and its first column is always the
  speaker; a ``Time | Speaker | Text`` table also keeps the time.

Every Word paragraph starts a paragraph for the turn finder: an unlabelled one is a
new turn of the same speaker, as an unlabelled paragraph after a blank line is in a
text file.

Text in tracked insertions, hyperlinks, fields and content controls is kept; text
in tracked deletions, headers, footers, footnotes, comments and text boxes is not.

The main document is read as a stream (:mod:`qualcode.ingest.docx_package` counts its
inflated bytes), each paragraph or table handled and dropped as soon as it is complete,
with python-docx's element classes for the runs' text; bold character styles are looked
up once, not per run (python-docx scans every style for each run, which took 1.3 ms a
run). A document of more than :data:`MAX_BLOCKS` paragraphs and table rows, or more
text than a transcript may have, is refused as soon as that is known.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from ..input_files import describe_size
from .docx_package import MAX_DOCUMENT_BYTES, WordPackage
from .encoding import MAX_SOURCE_BYTES, normalise
from .model import ParsedTranscript
from .text import classify_label, find_turns, label_prefix, parse_clock

#: Most paragraphs and table rows in one document: a two-hour interview has a few
#: thousand; 200,000 of them made of one letter each are a bomb, not a transcript.
MAX_BLOCKS = 200_000
#: Most bytes of XML one paragraph or table may take (the whole of it is in memory at
#: once while it is read; a long interview's whole document is a few MB).
MAX_BLOCK_BYTES = 16 * 1024 * 1024
#: Deepest nesting of block-level content controls (forms nest a few).
MAX_CONTROL_DEPTH = 50

_HEADER_SPEAKER = frozenset({"speaker", "name", "who", "speaker name", "participant"})
_HEADER_TEXT = frozenset({"text", "speech", "transcript", "utterance", "dialogue", "content", "what was said"})
_HEADER_TIME = frozenset({"time", "timestamp", "start", "start time", "tc", "timecode"})


@dataclass(slots=True)
class _Block:
    """One line of the stored text (a paragraph or a table row), before joining."""

    text: str
    speaker: str | None = None  # a label known from formatting or a table
    speech_at: int = 0  # where the speech starts in ``text`` when speaker is set
    bold_label: bool = False  # speaker came from bold (confirmed later)
    bold_colon: bool = False


def _label(text: str) -> str | None:
    """``text`` as a speaker label if it has a label's shape (as in a text file)."""
    found = label_prefix(f"{text.strip()}: ")
    if found is None or found[0] != " ".join(text.split()):
        return None
    return found[0]


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


class _Styles:
    """Which character styles are bold, read once from the styles part (python-docx's
    rule: a run's style is its ``w:rStyle`` when that names a character style, else the
    document's default character style; the style's own ``w:b`` decides)."""

    def __init__(self, root) -> None:
        from docx.text.font import Font

        self.bold: dict[str, bool] = {}
        self.default = False
        if root is None:
            return
        seen: set[str] = set()
        for style in root.iterchildren(_w("style")):
            character = style.get(_w("type")) == "character"
            if character and (style.get(_w("default")) or "").lower() in ("1", "true", "on"):
                self.default = bool(Font(style).bold)  # the last default counts
            style_id = style.get(_w("styleId"))
            if style_id in seen:
                continue  # of a repeated id, the first is the one found
            seen.add(style_id)
            if character:
                self.bold[style_id] = bool(Font(style).bold)

    def run_is_bold(self, run) -> bool:
        from docx.text.font import Font

        bold = Font(run).bold
        if bold is not None:
            return bool(bold)
        return self.bold.get(run.style, self.default) if run.style else self.default


@functools.cache
def _xpath(expression: str):
    """An XPath compiled once: python-docx's ``element.xpath`` compiles it on every
    call, which was most of the time spent on a document of many short paragraphs."""
    from docx.oxml.ns import nsmap
    from lxml import etree

    return etree.XPath(expression, namespaces=nsmap)


# The runs of a paragraph that are visible text, in document order. python-docx's
# ``Paragraph.text`` reads only direct runs and hyperlinks, and would drop text in
# tracked insertions, fields and inline content controls.
_RUNS = ("./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:moveTo/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
         " | ./w:sdt/w:sdtContent/w:r | ./w:ins/w:hyperlink/w:r | ./w:sdt/w:sdtContent/w:hyperlink/w:r")
# What python-docx's ``CT_R.text`` joins: each of these element classes gives its text
# equivalent as str() (a tab as "\t", a line break as "\n").
_RUN_TEXT = "w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab"


def _run_text(run) -> str:
    return "".join(str(e) for e in _xpath(_RUN_TEXT)(run))


def _paragraph_block(paragraph_element, styles: _Styles) -> _Block:
    runs = [(run, _run_text(run)) for run in _xpath(_RUNS)(paragraph_element)]
    text = normalise("".join(run_text for _, run_text in runs))
    prefix_parts: list[str] = []
    for run, run_text in runs:
        if not run_text:
            continue
        if not styles.run_is_bold(run):
            break
        prefix_parts.append(run_text)
    prefix = normalise("".join(prefix_parts))
    block = _Block(text)
    if not prefix.strip() or not text.startswith(prefix):
        return block
    rest = text[len(prefix):]
    label = prefix.strip()
    colon = label.endswith(":")
    label = label.rstrip(":").strip()
    after = len(prefix)
    if not colon and rest.lstrip(" \t").startswith(":"):
        colon = True
        after = len(prefix) + (len(rest) - len(rest.lstrip(" \t"))) + 1
    if not rest.strip() and not colon:
        return block  # a bold paragraph is a heading (or an emphasised question)
    speaker = _label(label) if label else None
    if speaker is not None:
        block.speaker, block.speech_at = speaker, after
        block.bold_label, block.bold_colon = True, colon
    return block


def _cell_text(cell_element, styles: _Styles) -> str:
    paragraphs = cell_element.findall(_w("p"))
    return "\n".join(_paragraph_block(p, styles).text for p in paragraphs)


def _table_blocks(table_element, styles: _Styles) -> list[_Block]:
    """Rows of a table; speaker tables become ``Speaker: text`` lines."""
    rows: list[list[str]] = []
    for tr in table_element.findall(_w("tr")):
        cells = [_cell_text(tc, styles).strip() for tc in tr.findall(_w("tc"))]
        rows.append(cells)
    if rows and len(rows[0]) in (2, 3):
        header = [c.lower().strip(" :") for c in rows[0]]
        if header[-2] in _HEADER_SPEAKER and header[-1] in _HEADER_TEXT:
            if len(header) == 2 or header[0] in _HEADER_TIME:
                rows = rows[1:]

    def timed(cells: list[str]) -> bool:
        return not cells[0] or parse_clock(cells[0].strip("[]() ")) is not None

    speaker_table = bool(rows) and (
        all(len(r) == 2 for r in rows) or all(len(r) == 3 and timed(r) for r in rows)
    )
    blocks: list[_Block] = []
    for cells in rows:
        if speaker_table:
            clock = cells[0].strip("[]() ") if len(cells) == 3 else ""
            lead = f"[{clock}] " if clock else ""
            speaker, speech = cells[-2], cells[-1]
            label = speaker.rstrip(":").strip()
            if not label:
                blocks.append(_Block(lead + speech))  # the speaker goes on
                continue
            if _label(label) == label:
                blocks.append(_Block(f"{lead}{label}: {speech}", label, len(lead) + len(label) + 2))
                continue
        blocks.append(_Block("\t".join(cells)))
    return blocks


class _TooDeep(Exception):
    """Content controls nested deeper than :data:`MAX_CONTROL_DEPTH`."""


def _blocks_of(element, styles: _Styles, depth: int = 0) -> list[_Block]:
    """The blocks of one child of the document body: a paragraph, a table, or a
    block-level content control (templates, forms) wrapping ordinary content."""
    if element.tag == _w("p"):
        return [_paragraph_block(element, styles)]
    if element.tag == _w("tbl"):
        return _table_blocks(element, styles)
    if element.tag == _w("sdt"):
        if depth >= MAX_CONTROL_DEPTH:
            raise _TooDeep
        content = element.find(_w("sdtContent"))
        if content is not None:
            return [b for child in content.iterchildren() for b in _blocks_of(child, styles, depth + 1)]
    return []


def _document_parser():
    """A pull parser making python-docx's element classes (so a run's text is read as
    python-docx reads it), without entities, DTDs or network access, and with libxml2's
    default ceiling on nesting (256 levels). Only the body and the elements that can be
    its blocks raise events (in C, the rest pass by)."""
    from docx.oxml.parser import element_class_lookup
    from lxml import etree

    parser = etree.XMLPullParser(events=("start", "end"), tag=(_w("body"), _w("p"), _w("tbl"), _w("sdt")),
                                 remove_blank_text=True, resolve_entities=False, no_network=True, load_dtd=False)
    parser.set_element_class_lookup(element_class_lookup)
    return parser


def _read_blocks(package: WordPackage) -> list[_Block]:
    """The body's blocks in order, the main document read as a stream: each child of
    the body becomes blocks when it is complete, and is dropped with whatever else of
    the body is complete after every chunk, so memory holds one block at a time."""
    from docx.oxml.parser import parse_xml

    styles_part = package.styles_part()
    styles_data = package.read(styles_part) if styles_part else None
    styles = _Styles(parse_xml(styles_data) if styles_data else None)
    parser = _document_parser()
    body_tag = _w("body")
    body = None
    blocks: list[_Block] = []
    characters = 0
    since_block = 0  # bytes read since the body's last complete child
    for chunk in package.stream(package.document, MAX_DOCUMENT_BYTES):
        parser.feed(chunk)
        since_block += len(chunk)
        for event, element in parser.read_events():
            if event == "start":
                if element.tag == body_tag:
                    body = element
                continue
            if body is None or element.getparent() is not body:
                continue  # a paragraph in a table cell: read with its table
            since_block = 0
            for block in _blocks_of(element, styles):
                blocks.append(block)
                characters += len(block.text) + 1
            if len(blocks) > MAX_BLOCKS:
                raise InputError(package.name, f"has more than {MAX_BLOCKS:,} paragraphs and table rows; "
                                               "it is not a transcript (split it)")
            if characters > MAX_SOURCE_BYTES:
                raise InputError(package.name, f"holds more text than a transcript may have "
                                               f"({describe_size(MAX_SOURCE_BYTES)})")
        if since_block > MAX_BLOCK_BYTES:
            raise InputError(package.name, f"has a paragraph or table of more than "
                                           f"{describe_size(MAX_BLOCK_BYTES)}; it is not a transcript")
        while body is not None and len(body) > 1:
            del body[0]  # complete, and read if it was a block; the last may be unfinished
    parser.close()
    return blocks


def read_docx(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a Word transcript; see the module docstring for the label rules."""
    package = WordPackage(data, source_name)
    try:
        blocks = _read_blocks(package)
    except InputError:
        raise
    except _TooDeep:
        raise InputError(source_name, f"has content controls nested more than {MAX_CONTROL_DEPTH} deep; "
                                      "it is not a transcript") from None
    except Exception as exc:
        # lxml and python-docx raise many types for a corrupt part (XMLSyntaxError,
        # a bad value of an attribute...): all mean the same to the user.
        raise package.damaged(type(exc).__name__) from None
    finally:
        package.close()

    # Bold labels without a colon must be roles, ids or used at least twice, so a
    # bold word for emphasis ("**Really** good") is not taken for a speaker.
    bold_counts = Counter(b.speaker for b in blocks if b.bold_label)
    for block in blocks:
        if block.bold_label and not block.bold_colon:
            kind = classify_label(block.speaker or "")
            if not (kind and kind[0]) and bold_counts[block.speaker] < 2:
                block.speaker = None

    parts: list[str] = []
    hints: dict[int, tuple[str, int]] = {}
    starts: set[int] = set()
    offset = 0
    for block in blocks:
        starts.add(offset)
        if block.speaker is not None:
            hints[offset] = (block.speaker, offset + block.speech_at)
        parts.append(block.text)
        offset += len(block.text) + 1
    text = "\n".join(parts)
    turns = find_turns(text, hints=hints, paragraph_starts=starts)
    return ParsedTranscript(
        text=text,
        turns=turns,
        source_name=source_name,
        sha256=hashlib.sha256(data).hexdigest(),
        format="docx",
        encoding=None,
        warnings=[] if turns else ["no text found"],
    )
