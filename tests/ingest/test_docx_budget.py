"""Word files read on a budget: the main document is streamed, its inflated bytes
counted as they come (whatever the zip headers say), and a document of too many
paragraphs, too large a paragraph or too much text is refused as soon as that is
known. Bombs run through the real command under a memory limit."""

from __future__ import annotations

import io
import time
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from qualcode import Project
from qualcode.errors import InputError
from qualcode.ingest import docx as docx_reader
from qualcode.ingest.docx import read_docx

from ..bad_inputs_corpus import make_bad_inputs


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
    return path


# The bombs themselves (190 MB of short paragraphs, the same with lying zip headers, 150 MB
# of bookmarks), and a document of 60,000 paragraphs that is read, run through the real
# command under 1 GB and a minute in tests/hardening/test_corpus_under_limits.py.


def test_the_bombs_are_refused_as_they_are_read(monkeypatch):
    # Scaled down: the same refusals, from the same counters.
    monkeypatch.setattr(docx_reader, "MAX_BLOCKS", 1000)
    paragraphs = make_bad_inputs.docx_with_body(b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 5000)
    with pytest.raises(InputError, match="x.docx: has more than 1,000 paragraphs"):
        read_docx(paragraphs, "x.docx")
    lying = make_bad_inputs.with_lying_sizes(paragraphs, "word/document.xml", 100)
    with pytest.raises(InputError, match="x.docx: is a damaged Word file"):
        read_docx(lying, "x.docx")
    monkeypatch.setattr(docx_reader, "MAX_BLOCK_BYTES", 64 * 1024)
    bookmarks = make_bad_inputs.docx_with_body(b'<w:bookmarkStart w:id="1" w:name="b"/>' * 10_000)
    with pytest.raises(InputError, match="x.docx: has a paragraph or table of more than 64 KB"):
        read_docx(bookmarks, "x.docx")


def test_reading_is_linear_in_the_paragraphs():
    # python-docx looked every run's style up by scanning all styles: 30 s for 20,000
    # paragraphs. Both sizes are timed in this process, so a busy machine slows both.
    def seconds(n: int) -> float:
        data = make_bad_inputs.docx_with_body(b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * n)
        started = time.perf_counter()
        assert len(read_docx(data, "x.docx").turns) == n
        return time.perf_counter() - started

    small, large = min(seconds(5_000) for _ in range(2)), min(seconds(50_000) for _ in range(2))
    assert large < 25 * small + 0.5, (small, large)
    assert large < 10


def test_limits_are_checked_as_the_document_is_read(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_BLOCKS", 10)
    data = make_bad_inputs.docx_with_body(b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 11)
    with pytest.raises(InputError, match="x.docx: has more than 10 paragraphs and table rows"):
        read_docx(data, "x.docx")
    monkeypatch.setattr(docx_reader, "MAX_SOURCE_BYTES", 100)
    data = make_bad_inputs.docx_with_body(b"<w:p><w:r><w:t>" + b"a" * 101 + b"</w:t></w:r></w:p>")
    with pytest.raises(InputError, match="x.docx: holds more text than a transcript may have"):
        read_docx(data, "x.docx")


def test_nesting_beyond_reason_is_refused():
    deep = b"<w:sdt><w:sdtContent>" * 60 + b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" + b"</w:sdtContent></w:sdt>" * 60
    with pytest.raises(InputError, match="x.docx: has content controls nested more than 50 deep"):
        read_docx(make_bad_inputs.docx_with_body(deep), "x.docx")
    deeper = b"<w:sdt><w:sdtContent>" * 5000 + b"</w:sdtContent></w:sdt>" * 5000
    with pytest.raises(InputError, match="x.docx: is a damaged Word file"):
        read_docx(make_bad_inputs.docx_with_body(deeper), "x.docx")


def test_a_template_or_macro_file_is_refused_as_before():
    source = make_bad_inputs.docx_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
    with pytest.raises(InputError, match="x.docx: is not a plain Word document"):
        read_docx(make_bad_inputs.zip_of(entries), "x.docx")


def test_a_bold_character_style_makes_a_label_as_before():
    document = docx.Document()
    style = document.styles.add_style("Speaker", WD_STYLE_TYPE.CHARACTER)
    style.font.bold = True
    for name, speech in (("Janet", " It was hard."), ("Interviewer", " Why?"), ("Janet", " Money.")):
        paragraph = document.add_paragraph()
        paragraph.add_run(name, style="Speaker")
        paragraph.add_run(speech)
    out = io.BytesIO()
    document.save(out)
    parsed = read_docx(out.getvalue(), "x.docx")
    assert [t.speaker for t in parsed.turns] == ["Janet", "Interviewer", "Janet"]
    assert [parsed.text[t.start:t.end] for t in parsed.turns] == ["It was hard.", "Why?", "Money."]
