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

from .._limited_cli import run_qualcode
from ..bad_inputs_corpus import make_bad_inputs
from ..conftest import file_digest


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project:
        project.add_wave("W1")
        project.add_participant("P01")
    return path


BOMBS = {
    # 190 MB of one-letter paragraphs in a 600 KB file (5.4 million paragraphs).
    "short_paragraphs.docx": (lambda: make_bad_inputs.docx_of_short_paragraphs(190),
                              "short_paragraphs.docx: has more than 200,000 paragraphs and table rows"),
    # The same, its headers saying the document part is 1,000 bytes.
    "lying_sizes.docx": (lambda: make_bad_inputs.with_lying_sizes(make_bad_inputs.docx_of_short_paragraphs(190),
                                                                  "word/document.xml"),
                         "lying_sizes.docx: is a damaged Word file (BadZipFile)"),
    # 150 MB of bookmarks and no paragraph: only the byte budget stops it.
    "bookmarks.docx": (lambda: make_bad_inputs.docx_of_empty_elements(150),
                       "bookmarks.docx: has a paragraph or table of more than 16 MB"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_word_bombs_are_refused_at_once_in_the_real_command(study, tmp_path, name):
    make, message = BOMBS[name]
    (tmp_path / name).write_bytes(make())
    before = file_digest(study)
    run = run_qualcode(["-p", study, "import", tmp_path / name, "--participant", "P01", "--wave", "W1"],
                       timeout=60)
    assert run.returncode == 1, run.describe()
    assert run.stderr.strip().startswith(f"Error: {message}"), run.describe()
    assert len(run.stderr.strip().splitlines()) == 1
    assert run.seconds < 30 and run.peak_mb < 400, run.describe()
    assert file_digest(study) == before


def test_a_document_of_many_short_paragraphs_imports_in_well_under_a_minute(study, tmp_path):
    paragraphs = b"".join(b"<w:p><w:r><w:t>P01: answer %d.</w:t></w:r></w:p>" % i for i in range(60_000))
    (tmp_path / "many.docx").write_bytes(make_bad_inputs.docx_with_body(paragraphs))
    run = run_qualcode(["-p", study, "import", tmp_path / "many.docx", "--participant", "P01", "--wave", "W1",
                        "--json"], timeout=60)
    assert run.returncode == 0, run.describe()
    assert run.seconds < 45 and run.peak_mb < 600, run.describe()
    with Project.open(study) as project:
        assert len(project.transcript("many")["turns"]) == 60_000


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
