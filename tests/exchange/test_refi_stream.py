"""The .qde is read as a stream: limits hold per element, not per file.

A document far larger than any one element is read in pieces (a source with many
selections is fine however many there are, as each selection is dropped once read),
while a single element past a limit is refused in one line and nothing is made.
"""

from __future__ import annotations

import itertools

import pytest

from qualcode import Project
from qualcode.errors import InputError
from qualcode.exchange import refi_import_reader, refi_import_stream
from qualcode.exchange.refi_import import import_qdpx

from ..bad_inputs_corpus import make_bad_inputs

CODE = "22222222-2222-4222-8222-222222222222"
SOURCE = "44444444-4444-4444-8444-444444444444"
VARIABLE = "55555555-5555-4555-8555-555555555555"
TEXT = "P01: " + "word " * 100  # 505 characters


def _qdpx(selections: int, *, case_values: int = 0, note: str = "") -> bytes:
    """A project of one code and one source with ``selections`` selections, each on its
    own range (start i, end i + 3) with one coding; a case with ``case_values`` values;
    a note holding ``note``."""
    sels = "".join(f'<PlainTextSelection guid="{_guid(i)}" startPosition="{i}" endPosition="{i + 3}">'
                   f'<Coding guid="{_guid(10_000 + i)}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
                   for i in range(selections))
    values = "".join(f'<VariableValue><VariableRef targetGUID="{VARIABLE}"/><TextValue>v{i}</TextValue>'
                     "</VariableValue>" for i in range(case_values))
    body = (f'<CodeBook><Codes><Code guid="{CODE}" name="c" isCodable="true"/></Codes></CodeBook>'
            f'<Variables><Variable guid="{VARIABLE}" name="site" typeOfVariable="Text"/></Variables>'
            f'<Cases><Case guid="{_guid(90_000)}" name="P01">{values}<SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
            f'<Sources><TextSource guid="{SOURCE}" name="a" plainTextPath="internal://{SOURCE}.txt">{sels}'
            "</TextSource></Sources>")
    if note:
        body += f'<Notes><Note guid="{_guid(80_000)}" name="n"><PlainTextContent>{note}</PlainTextContent></Note></Notes>'
    qde = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x" '
           f'origin="Other 1.0">{body}</Project>')
    return make_bad_inputs.zip_of({"project.qde": qde.encode(), f"sources/{SOURCE}.txt": TEXT.encode()})


def _guid(n: int) -> str:
    return f"33333333-3333-4333-8333-{n:012d}"


def _codings(path) -> list[tuple[int, int]]:
    with Project.open(path) as project:
        return [(c.start, c.end) for c in project.coding.codings()]


def test_many_selections_are_read_one_at_a_time(tmp_path, monkeypatch):
    # 200 selections of 3 elements each is 600 elements in the source, far more than may
    # be held at once: each is dropped once read, so the source imports whole.
    monkeypatch.setattr(refi_import_stream, "MAX_HELD_ELEMENTS", 50)
    monkeypatch.setattr(refi_import_stream, "CHUNK_BYTES", 512)
    (tmp_path / "x.qdpx").write_bytes(_qdpx(200))
    report = import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    assert report.counts["codings"] == 200 and report.counts["selections"] == 200
    assert sorted(_codings(tmp_path / "new.qualcode")) == [(i, i + 3) for i in range(200)]


def test_one_element_holding_too_much_is_refused(tmp_path, monkeypatch):
    # A case of 20 values (61 elements) is one element past the limit of 50.
    monkeypatch.setattr(refi_import_stream, "MAX_HELD_ELEMENTS", 50)
    (tmp_path / "x.qdpx").write_bytes(_qdpx(3, case_values=20))
    with pytest.raises(InputError, match=r"^x.qdpx: refused: a Case element holds more than 50 elements$"):
        import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    assert list(tmp_path.glob("*new.qualcode*")) == []
    (tmp_path / "x.qdpx").write_bytes(_qdpx(3, case_values=10))  # 31 elements: read
    assert import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode").counts["codings"] == 3


@pytest.mark.parametrize("chunk", [100, 1 << 16])
def test_a_text_larger_than_the_limit_is_refused_however_it_is_cut(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(refi_import_stream, "MAX_TOKEN_BYTES", 1000)
    monkeypatch.setattr(refi_import_stream, "CHUNK_BYTES", chunk)
    (tmp_path / "x.qdpx").write_bytes(_qdpx(1, note="n" * 1001))
    with pytest.raises(InputError, match=r"^x.qdpx: refused: it holds a text, attribute or tag of more than 1000 bytes$"):
        import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    assert list(tmp_path.glob("*new.qualcode*")) == []
    (tmp_path / "x.qdpx").write_bytes(_qdpx(1, note="n" * 950))  # with "PlainTextContent>", under 1000
    report = import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    assert report.counts["memos"] == 1


def test_a_source_with_too_many_selections_is_refused_and_nothing_is_left(tmp_path, monkeypatch):
    # Refused in the second pass, while the project is being written: the half-built
    # project goes.
    monkeypatch.setattr(refi_import_reader, "MAX_SELECTIONS_PER_SOURCE", 100)
    (tmp_path / "x.qdpx").write_bytes(_qdpx(101))
    with pytest.raises(InputError, match=r"^x.qdpx: refused: a source holds more than 100 selections$"):
        import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    assert list(tmp_path.iterdir()) == [tmp_path / "x.qdpx"]
    (tmp_path / "x.qdpx").write_bytes(_qdpx(100))
    assert import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode").counts["codings"] == 100


def test_a_document_cut_short_is_refused_before_anything_is_written(tmp_path):
    qde = _qdpx(5)
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(qde)) as archive:
        document = archive.read("project.qde")
    cut = make_bad_inputs.zip_of({"project.qde": document[: len(document) - 30],
                                  f"sources/{SOURCE}.txt": TEXT.encode()})
    (tmp_path / "x.qdpx").write_bytes(cut)
    with pytest.raises(InputError, match="x.qdpx:project.qde: is not well-formed XML"):
        import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    assert list(tmp_path.iterdir()) == [tmp_path / "x.qdpx"]


def test_the_export_writes_each_source_before_reading_the_next(example_project, tmp_path, monkeypatch):
    # The document goes out as it is built: by the time a transcript's text is read for
    # its source, everything before it is already written (a document built whole first
    # would have written nothing yet), and more with every source.
    from qualcode.exchange import refi_export_context, refi_export_sources

    written = [0]
    seen_at_each_text: list[int] = []
    tee_write = refi_export_context._Tee.write
    read_text = refi_export_sources.store_transcripts.transcript_text

    def counting_write(self, data: bytes) -> int:
        written[0] += len(data)
        return tee_write(self, data)

    def noting_read(db, transcript_id):
        seen_at_each_text.append(written[0])
        return read_text(db, transcript_id)

    monkeypatch.setattr(refi_export_context._Tee, "write", counting_write)
    monkeypatch.setattr(refi_export_sources.store_transcripts, "transcript_text", noting_read)
    with Project.open(example_project) as project:
        counts = project.exchange.export_refi(tmp_path / "out.qdpx")
    in_document = seen_at_each_text[: counts.sources]  # then the texts go into the zip
    assert counts.sources >= 3 and in_document[0] > 0
    assert all(later > earlier for earlier, later in itertools.pairwise(in_document))
    assert written[0] > in_document[-1]
