"""What every Word export shares: the document, its styles, tables, captions, fields,
landscape sections, attribution of quotes and where files go.

Only real Word styles are used (``Title``, ``Heading 1``/``2``/``3``, ``Quote``,
``Caption``, ``Table Grid``, ``List Bullet``), never direct formatting for structure,
so a supervisor can restyle the document and build a table of contents in Word.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .. import outputs
from ..errors import QualcodeError
from ..output_folder import make_output_folder
from ..records import Wave
from ..records.codings import Passage, Segment

TABLE_STYLE = "Table Grid"
KEEP_TOGETHER = 25  # rows: a shorter table is kept on one page with its caption
HEADER_FILL = "D9E2F3"
MUTED = RGBColor(0x59, 0x59, 0x59)


# --- where files go ------------------------------------------------------------------

def output_file(path: str | Path | None, default: str | Path, suffixes: Sequence[str]) -> Path:
    """Check (and choose) the file an export writes: the folder must exist and be
    writable, the suffix must be one of ``suffixes``. ``None``: ``default``, a path in the
    default output folder (:mod:`qualcode.output_folder`), which is made if missing."""
    if path is None:
        default = Path(default)
        make_output_folder(default.parent)
        return default
    path = Path(path)
    if path.is_dir():
        raise QualcodeError(f"{path} is a folder; give a file name ending in {' or '.join(suffixes)}")
    if path.suffix.lower() not in suffixes:
        raise QualcodeError(f"{path.name}: the output file must end in {' or '.join(suffixes)}")
    check_folder(path.parent if str(path.parent) else Path("."))
    return outputs.check_target(path)  # refused before the export is built, not after


def check_folder(folder: Path) -> Path:
    if not folder.exists():
        raise QualcodeError(f"output folder {folder} does not exist")
    if not folder.is_dir():
        raise QualcodeError(f"output folder {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise QualcodeError(f"output folder {folder} is not writable")
    return folder


def save(doc, path: Path) -> Path:
    """Write the document through a temporary file in the same folder (see
    :mod:`qualcode.outputs`), so a failure never leaves half a file where the old one was."""
    path = Path(path)
    with outputs.output_path(path) as tmp:
        doc.save(str(tmp))
    return path


def write_text(path: Path, text: str, *, bom: bool = False) -> Path:
    """Same as :func:`save` for plain text (Markdown, CSV)."""
    return outputs.write_text(path, text, bom=bom)


# --- the document --------------------------------------------------------------------

def new_document(title: str, *, subject: str | None = None, author: str | None = None):
    """A document with A4 pages, 2.5 cm margins, readable base styles and page numbers
    in the footer; its properties say it was created now, by ``author`` (the coder),
    with qualcode (python-docx's template would say 2013 and another program)."""
    doc = Document()
    set_properties(doc, title=title, subject=subject, author=author)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    quote = styles["Quote"]
    quote.paragraph_format.left_indent = Cm(1.0)
    quote.paragraph_format.right_indent = Cm(1.0)
    quote.paragraph_format.space_before = Pt(6)
    quote.paragraph_format.space_after = Pt(2)
    quote.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.space_after = Pt(10)
    _add_styles(doc)
    _page_number_footer(section)
    return doc


def set_properties(doc, *, title: str, subject: str | None, author: str | None) -> None:
    """Core properties (title, author, created and modified now) and the extended
    properties' application name and version."""
    from ..version import __version__

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props = doc.core_properties
    props.title = title
    props.subject = subject or ""
    props.author = author or "qualcode"
    props.last_modified_by = author or "qualcode"
    props.comments = f"Generated by qualcode {__version__}"
    props.created = props.modified = now
    for element in props._element.findall(qn("cp:lastPrinted")):
        props._element.remove(element)  # the template's, from 2013
    props.revision = 1
    major, minor = ([int(x) for x in re.findall(r"\d+", __version__)] + [0, 0])[:2]
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template>'
                f"<Application>qualcode {xml_escape(__version__)}</Application>"
                f"<DocSecurity>0</DocSecurity><AppVersion>{major:02d}.{minor:04d}</AppVersion>"
                "</Properties>").encode()


SOURCE_STYLE = "Quote Source"
TABLE_TEXT = "Table Text"
TABLE_TEXT_SMALL = "Table Text Small"


def _add_styles(doc) -> None:
    """Our own paragraph styles (restylable in Word like the built-in ones): the line
    citing a quote, and the text in table cells."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    source = styles.add_style(SOURCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = styles["Normal"]
    source.font.size = Pt(9.5)
    source.font.color.rgb = MUTED
    source.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    source.paragraph_format.right_indent = Cm(1.0)
    source.paragraph_format.space_after = Pt(10)
    # Word's own name for the first level of a table of contents, so that restyling
    # "TOC 1" in Word restyles our written contents too.
    entry = styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    entry.base_style = styles["Normal"]
    entry.paragraph_format.space_after = Pt(3)
    entry.paragraph_format.left_indent = Cm(0.4)
    for name, size in ((TABLE_TEXT, 9.5), (TABLE_TEXT_SMALL, 8)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(paragraph, "PAGE", "1")


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (``PAGE``, ``TOC ...``) with the text shown until it is updated."""
    def fld(kind: str):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            char.set(qn("w:dirty"), "true")
        run._r.append(char)
        return run

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def add_contents(doc, entries: Sequence[tuple[str, str]], title: str = "Contents") -> None:
    """A table of contents written as its entries, one level: ``(text, bookmark)``
    pairs, each a link to the bookmark (see :func:`bookmark`) in the "TOC 1" style. It
    reads correctly as soon as the file is opened: no field to update (a TOC field
    shows a placeholder until Word rebuilds it, and LibreOffice never does on its
    own)."""
    par(doc, title, "TOC Heading")
    ppr = f'<w:pPr><w:pStyle w:val="{style_id(doc, "toc 1")}"/></w:pPr>'
    for text, anchor in entries:
        _append_block(doc, parse_xml(
            f"<w:p {nsdecls('w')}>{ppr}<w:hyperlink w:anchor=\"{xml_escape(anchor)}\" "
            f'w:history="1">{runs_xml(text)}</w:hyperlink></w:p>'))


_BOOKMARK_IDS = iter(range(1, 10**9))


def bookmark(paragraph, name: str) -> None:
    """Make ``paragraph`` the target of internal links to ``name``."""
    mark = next(_BOOKMARK_IDS)
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(mark))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(mark))
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def title_page(doc, title: str, subtitle: str | None, facts: Sequence[tuple[str, str]],
               summary: str | None = None) -> None:
    par(doc, title, "Title")
    if subtitle:
        par(doc, subtitle, "Subtitle")
    for label, value in facts:
        if value:
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(str(value))
    if summary:
        heading(doc, "Project summary", 2)
        for block in paragraphs_of(summary):
            doc.add_paragraph(block)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def paragraphs_of(text: str | None) -> list[str]:
    """Memo bodies: blank lines separate paragraphs; single line breaks are spaces."""
    blocks = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        block = " ".join(block.split())
        if block:
            blocks.append(block)
    return blocks


def labelled(doc, label: str, value: str | None, style: str | None = None):
    """A paragraph "Label: value" with the label in bold (nothing when value is empty)."""
    if not value:
        return None
    p = par(doc, "", style)
    p.add_run(f"{label}: ").bold = True
    p.add_run(" ".join(str(value).split()))
    return p


def note(doc, text: str):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.italic = True
    run.font.color.rgb = MUTED
    return p


_STYLE_IDS: dict[str, str] = {}


def par(doc, text: str = "", style: str | None = None):
    """``doc.add_paragraph(text, style)``, fast: the paragraph's XML is written in one
    piece and put before the closing section properties (python-docx looks the style
    up by scanning every style, and finds the insertion point by scanning the body,
    on each call). Line breaks and tabs in ``text`` become Word breaks and tabs."""
    from docx.text.paragraph import Paragraph

    sid = style_id(doc, style) if style else None
    element = parse_xml(paragraph_xml(text, sid))
    _append_block(doc, element)
    return Paragraph(element, doc._body)


def _append_block(doc, element) -> None:
    body = doc.element.body
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(element)
    else:
        body.append(element)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def runs_xml(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """Runs for ``text``: "\n" is a line break, "\t" a tab; characters XML cannot hold
    (control characters) are left out."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    parts = []
    for n, line in enumerate(_NOT_XML.sub("", text or "").split("\n")):
        if n:
            parts.append(f"<w:r>{rpr}<w:br/></w:r>")
        for k, piece in enumerate(line.split("\t")):
            if k:
                parts.append(f"<w:r>{rpr}<w:tab/></w:r>")
            if piece:
                parts.append(f'<w:r>{rpr}<w:t xml:space="preserve">{xml_escape(piece)}</w:t></w:r>')
    return "".join(parts)


def paragraph_xml(text: str, style_id_: str | None = None, *, bold: bool = False,
                  namespaces: bool = True, keep_next: bool = False) -> str:
    style = f'<w:pStyle w:val="{style_id_}"/>' if style_id_ else ""
    keep = "<w:keepNext/>" if keep_next else ""
    ppr = f"<w:pPr>{style}{keep}</w:pPr>" if style or keep else ""
    ns = f" {nsdecls('w')}" if namespaces else ""
    return f"<w:p{ns}>{ppr}{runs_xml(text, bold=bold)}</w:p>"


def heading(doc, text: str, level: int = 1):
    return par(doc, text, "Title" if level == 0 else f"Heading {level}")


# --- tables --------------------------------------------------------------------------

def add_table(doc, header: Sequence[str], rows: Iterable[Sequence], *, caption: str | None = None,
              widths: Sequence[float] | None = None, font_size: float | None = None,
              first_column_bold: bool = False):
    """A ``Table Grid`` table with a shaded header row repeated on each page and, when
    given, a caption in the ``Caption`` style after it (Word's default place). Cell
    text is in the "Table Text" style ("Table Text Small" when ``font_size`` <= 8.5).
    The table's XML is written in one piece (python-docx builds it element by element,
    which is slow for big tables); the result is an ordinary python-docx Table. A table
    of up to :data:`KEEP_TOGETHER` rows is kept on one page with its caption."""
    from docx.table import Table

    table_rows = [list(r) for r in rows]
    keep = bool(caption) and len(table_rows) < KEEP_TOGETHER
    n = len(header)
    sid = style_id(doc, TABLE_TEXT_SMALL if font_size and font_size <= 8.5 else TABLE_TEXT)
    twips = [round(w * 567) for w in widths] if widths else [int(9000 / max(1, n))] * n
    layout = '<w:tblLayout w:type="fixed"/>' if widths else ""
    parts = [f"<w:tbl {nsdecls('w')}><w:tblPr>"
             f'<w:tblStyle w:val="{style_id(doc, TABLE_STYLE)}"/><w:tblW w:type="auto" w:w="0"/>'
             f'<w:jc w:val="center"/>{layout}<w:tblLook w:val="04A0" w:firstRow="1" '
             'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
             "</w:tblPr><w:tblGrid>"]
    parts += [f'<w:gridCol w:w="{w}"/>' for w in twips]
    parts.append("</w:tblGrid>")
    shade_xml = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
    for r, values in enumerate([list(header), *table_rows]):
        parts.append("<w:tr><w:trPr><w:cantSplit/>"
                     + ('<w:tblHeader w:val="true"/>' if r == 0 else "") + "</w:trPr>")
        for i, value in enumerate((values + [""] * n)[:n]):
            text = "" if value is None else str(value)
            bold = r == 0 or (first_column_bold and i == 0)
            parts.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips[i]}"/>'
                         f"{shade_xml if r == 0 else ''}</w:tcPr>"
                         f"{paragraph_xml(text, sid, bold=bold, namespaces=False, keep_next=keep)}"
                         "</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    element = parse_xml("".join(parts))
    _append_block(doc, element)
    table = Table(element, doc._body)
    if caption:
        add_caption(doc, caption)
    return table


def style_id(doc, name: str) -> str:
    sid = _STYLE_IDS.get(name)
    if sid is None:
        sid = _STYLE_IDS[name] = doc.styles[name].style_id
    return sid


def add_caption(doc, text: str):
    """A caption in the ``Caption`` style, numbered with a real SEQ field."""
    p = par(doc, "", "Caption")
    kind, sep, rest = text.partition(":")
    if sep and kind.split()[0] in ("Table", "Figure") and kind.split()[-1].isdigit():
        words = kind.split()
        p.add_run(f"{words[0]} ")
        add_field(p, f"SEQ {words[0]} \\* ARABIC", words[-1])
        p.add_run(f":{rest}")
    else:
        p.add_run(text)
    return p


class Numbering:
    """Table and figure numbers for captions (the SEQ field shows the same number)."""

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def table(self, text: str) -> str:
        self.tables += 1
        return f"Table {self.tables}: {text}"

    def figure(self, text: str) -> str:
        self.figures += 1
        return f"Figure {self.figures}: {text}"


# --- sections ------------------------------------------------------------------------

def landscape_section(doc, *, new: bool = True):
    """Start a new landscape page section (or turn the current one)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE) if new else doc.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    width, height = section.page_width, section.page_height
    if width < height:
        section.page_width, section.page_height = height, width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    return section


def portrait_section(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    width, height = section.page_width, section.page_height
    if width > height:
        section.page_width, section.page_height = height, width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    return section


def text_width_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def first_wide(n_columns: int, total: float = 16.0, first: float = 0.38) -> list[float]:
    """Column widths: the first column ``first`` of the width, the others equal."""
    if n_columns <= 1:
        return [total]
    head = total * first
    return [head] + [(total - head) / (n_columns - 1)] * (n_columns - 1)


# --- people, waves and quotes ---------------------------------------------------------

def role_label(role: str | None) -> str:
    """``health_trainer`` -> ``Health trainer``."""
    if not role:
        return "Participant"
    text = role.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def person_label(pid: str | None, pseudonym: str | None) -> str:
    """``C07 (Sharon)``: the participant id and pseudonym, nothing else."""
    if not pid:
        return "unattributed speaker"
    return f"{pid} ({pseudonym})" if pseudonym else pid


def wave_text(wave: Wave | None, role: str | None = None) -> str:
    """How a time point is cited for a participant of ``role``: the label set for the
    role or the wave, else the part of the wave's description for the role ("Baseline
    (clients) and service start-up (managers)": "Service start-up" for a manager),
    else its label (see :func:`qualcode.study_facts.time_point`)."""
    from ..study.facts import time_point

    return time_point(wave, role)


def attribution(row: Segment | Passage, waves: Mapping[str, Wave]) -> str:
    """"Client C07 (Sharon), Six months, C07_W2, turn 12, 00:14:32"; the time point is the
    one of the speaker's role; the time in the recording where the turn's time is known."""
    if row.participant:
        who = f"{role_label(row.role)} {person_label(row.participant, row.pseudonym)}"
    else:
        who = "Unattributed speaker"
    parts = [who]
    if row.wave:
        parts.append(wave_text(waves.get(row.wave), row.role) or row.wave)
    if row.transcript:
        parts.append(row.transcript)
    if row.turn:
        parts.append(f"turn {row.turn}")
    if row.time:  # where the turn starts in the recording ("~" when estimated)
        parts.append(row.time)
    return ", ".join(parts)


def add_quote(doc, text: str, source: str) -> None:
    """The quote in the ``Quote`` style, then its attribution (right-aligned, muted)."""
    par(doc, text.strip(), "Quote")
    par(doc, f"\u2014 {source}", SOURCE_STYLE)


def shorten(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    if limit and len(text) > limit:
        cut = text[: limit - 1]
        if " " in cut[limit // 2:]:
            cut = cut[: cut.rfind(" ")]
        return cut.rstrip(" ,;:") + "\u2026"
    return text


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def today() -> str:
    return dt.date.today().isoformat()


def coder_names(project) -> list[str]:
    return [c.name for c in project.study.coders() if c.codings]


def project_summary(project) -> str | None:
    """The body of the project memo(s), the analyst's own summary of the study."""
    memos = project.memos.all(type_="project")
    return "\n\n".join(m.body for m in memos if m.body) or None
