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
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from .encoding import normalise
from .model import ParsedTranscript
from .text import classify_label, find_turns, label_prefix, parse_clock

# Unpacked size we accept: a zip of a few MB that unpacks to gigabytes is a bomb,
# not a transcript (a long interview's document.xml is a few MB).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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


def _check_package(data: bytes, name: str) -> None:
    """Give each way a file can fail to be a .docx its own clear message."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            name,
            "is encrypted (password-protected) or an old .doc file; save it as .docx without a password",
        )
    if not data.startswith(b"PK"):
        raise InputError(name, "is not a Word .docx file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:
        raise InputError(name, "is a damaged or truncated .docx file (the zip archive cannot be read)") from None
    names = {info.filename for info in infos}
    if "word/document.xml" not in names and not any(re.fullmatch(r"word/document\d*\.xml", n) for n in names):
        raise InputError(name, "is a zip archive but not a Word document")
    if any(info.flag_bits & 0x1 for info in infos):
        raise InputError(name, "is encrypted; save it as .docx without a password")
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise InputError(name, f"unpacks to more than {limit} MB; it is not a transcript")


def _runs(paragraph_element, parent) -> list:
    """The runs of a paragraph that are visible text, in order.

    python-docx's ``Paragraph.text`` reads only direct runs and hyperlinks, and
    would drop text in tracked insertions, fields and inline content controls.
    """
    from docx.text.run import Run

    elements = paragraph_element.xpath(
        "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:moveTo/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
        " | ./w:sdt/w:sdtContent/w:r | ./w:ins/w:hyperlink/w:r | ./w:sdt/w:sdtContent/w:hyperlink/w:r"
    )
    # xpath unions come back in document order.
    return [Run(r, parent) for r in elements]


def _is_bold(run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    return bool(style is not None and style.font.bold)


def _paragraph_block(paragraph_element, parent) -> _Block:
    runs = _runs(paragraph_element, parent)
    text = normalise("".join(run.text for run in runs))
    prefix_parts: list[str] = []
    for run in runs:
        if not run.text:
            continue
        if not _is_bold(run):
            break
        prefix_parts.append(run.text)
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


def _cell_text(cell_element, parent) -> str:
    from docx.text.paragraph import Paragraph

    paragraphs = cell_element.findall(_w("p"))
    return "\n".join(_paragraph_block(p, Paragraph(p, parent)).text for p in paragraphs)


def _table_blocks(table_element, parent) -> list[_Block]:
    """Rows of a table; speaker tables become ``Speaker: text`` lines."""
    rows: list[list[str]] = []
    for tr in table_element.findall(_w("tr")):
        cells = [_cell_text(tc, parent).strip() for tc in tr.findall(_w("tc"))]
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


def _body_blocks(body, parent) -> list[_Block]:
    from docx.text.paragraph import Paragraph

    blocks: list[_Block] = []
    for child in body.iterchildren():
        if child.tag == _w("p"):
            blocks.append(_paragraph_block(child, Paragraph(child, parent)))
        elif child.tag == _w("tbl"):
            blocks.extend(_table_blocks(child, parent))
        elif child.tag == _w("sdt"):
            # Block-level content controls (templates, forms) wrap ordinary content.
            content = child.find(_w("sdtContent"))
            if content is not None:
                blocks.extend(_body_blocks(content, parent))
    return blocks


def read_docx(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a Word transcript; see the module docstring for the label rules."""
    _check_package(data, source_name)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = _body_blocks(document.element.body, document._body)
    except InputError:
        raise
    except ValueError as exc:
        if "content type" in str(exc):
            raise InputError(
                source_name, "is not a plain Word document (perhaps a template or macro file); save it as .docx"
            ) from None
        raise InputError(source_name, f"is a damaged Word file ({exc})") from None
    except Exception as exc:
        # python-docx and lxml raise many types for corrupt packages (KeyError for a
        # missing part, XMLSyntaxError, zlib.error, ...): all mean the same to the user.
        raise InputError(source_name, f"is a damaged Word file ({type(exc).__name__})") from None

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
