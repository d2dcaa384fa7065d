"""REFI-QDA files that are hostile or careless: deep nesting, repeated GUIDs and huge
numbers give one line or a warning, never a traceback; a killed import leaves nothing
at its destination and a killed export no hidden file once the next one has run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from qualcode import Project
from qualcode.errors import InputError
from qualcode.exchange.refi_import import import_qdpx
from qualcode.exchange.refi_import_stream import MAX_DEPTH
from qualcode.temp_files import remove_stale, temporary_beside

from .._limited_cli import run_qualcode
from ..bad_inputs_corpus import make_bad_inputs
from ..conftest import file_digest

GUID = "11111111-1111-4111-8111-{:012d}"
SOURCE = "44444444-4444-4444-8444-444444444444"


def project_xml(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">'
            f"{body}</Project>").encode()


def qdpx(body: str, more_sources: str = "") -> bytes:
    source = (f'<Sources><TextSource guid="{SOURCE}" name="a" plainTextPath="internal://{SOURCE}.txt"/>'
              f"{more_sources}</Sources>")
    return make_bad_inputs.zip_of({"project.qde": project_xml(body + source),
                                   f"sources/{SOURCE}.txt": b"Interviewer: hello\n\nP01: hi there"})


def nested_codes(levels: int) -> str:
    return ("".join(f'<Code guid="{GUID.format(i)}" name="c{i}" isCodable="true">' for i in range(levels))
            + "</Code>" * levels)


@pytest.mark.parametrize("levels", [51, 20_000])
def test_codes_nested_too_deep_in_a_qdc_or_qdpx_are_one_line(tmp_path, levels):
    (tmp_path / "deep.qdc").write_text('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                                       + nested_codes(levels) + "</Codes></CodeBook>", encoding="utf-8")
    with Project.create(tmp_path / "p.qualcode") as project:
        with pytest.raises(InputError, match="deep.qdc: codes are nested more than 50 levels deep"):
            project.codebook.load(tmp_path / "deep.qdc")
    (tmp_path / "deep.qdpx").write_bytes(qdpx(f"<CodeBook><Codes>{nested_codes(levels)}</Codes></CodeBook>"))
    with pytest.raises(InputError, match="deep.qdpx: codes are nested more than 50 levels deep"):
        import_qdpx(tmp_path / "deep.qdpx", tmp_path / "new.qualcode")
    assert not (tmp_path / "new.qualcode").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_hierarchy_written_into_names_is_bounded_too(tmp_path):
    name = "::".join(["a"] * 5000)
    (tmp_path / "names.qdc").write_text(
        f'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{GUID.format(1)}" '
        f'name="{name}" isCodable="true"/></Codes></CodeBook>', encoding="utf-8")
    with Project.create(tmp_path / "p.qualcode") as project, pytest.raises(InputError, match="nested more than 50"):
        project.codebook.load(tmp_path / "names.qdc")


def test_nesting_of_other_elements_is_read_up_to_a_limit(tmp_path):
    # The document is read as a stream with a limit on nesting per element: an unknown
    # element nested within the limit is read (and dropped), one nested deeper is refused
    # in one line, however deep it goes, and nothing is made.
    def nested(levels: int) -> str:
        return "".join(f"<E{i}>" for i in range(levels)) + "x" + "".join(f"</E{i}>" for i in reversed(range(levels)))

    (tmp_path / "deep.qdpx").write_bytes(qdpx(nested(MAX_DEPTH - 1)))
    report = import_qdpx(tmp_path / "deep.qdpx", tmp_path / "new.qualcode")
    assert report.counts["transcripts"] == 1 and report.dropped == {"unknown elements (E0)": 1}
    for levels in (MAX_DEPTH, 100_000):
        (tmp_path / "deeper.qdpx").write_bytes(qdpx(nested(levels)))
        with pytest.raises(InputError, match=f"deeper.qdpx: refused: its elements are nested more than {MAX_DEPTH} "):
            import_qdpx(tmp_path / "deeper.qdpx", tmp_path / "other.qualcode")
        assert list(tmp_path.glob("other.qualcode*")) == []


@pytest.mark.parametrize(("body", "warning"), [
    (f'<TextSource guid="{SOURCE}" name="b" plainTextPath="internal://{SOURCE}.txt"/>',
     f"source 'b': guid {SOURCE} is used twice; given a new one"),
    (f'<Cases><Case guid="{GUID.format(1)}" name="P01"><SourceRef targetGUID="{SOURCE}"/></Case>'
     f'<Case guid="{GUID.format(1)}" name="P02"/></Cases>', f"case 'P02': guid {GUID.format(1)} is used twice"),
    (f'<Notes><Note guid="{GUID.format(1)}" name="n1"><PlainTextContent>one</PlainTextContent></Note>'
     f'<Note guid="{GUID.format(1)}" name="n2"><PlainTextContent>two</PlainTextContent></Note></Notes>',
     f"note 'n2': guid {GUID.format(1)} is used twice"),
    (f'<Sets><Set guid="{GUID.format(1)}" name="W1"><Description>qualcode wave\norder: 1</Description></Set>'
     f'<Set guid="{GUID.format(1)}" name="W2"><Description>qualcode wave\norder: 2</Description></Set></Sets>',
     f"set 'W2': guid {GUID.format(1)} is used twice"),
    (f'<Users><User guid="{GUID.format(1)}" name="anna"/><User guid="{GUID.format(1)}" name="bob"/></Users>',
     f"user 'bob': guid {GUID.format(1)} is used twice; its work is anna's"),
    (f'<Sets><Set guid="{GUID.format(1)}" name="W1"><Description>qualcode wave\norder: {"9" * 5000}'
     "</Description></Set></Sets>", None),
], ids=["sources", "cases", "notes", "wave sets", "users", "huge order"])
def test_repeated_guids_and_huge_numbers_are_read_with_a_warning(tmp_path, body, warning):
    # A repeated TextSource guid ended in an IntegrityError, a wave's order of 5,000
    # digits in a ValueError; both are read now, every element kept.
    is_source = body.startswith("<TextSource")
    (tmp_path / "x.qdpx").write_bytes(qdpx("", body) if is_source else qdpx(body))
    report = import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    if warning:
        assert any(w.startswith(warning) for w in report.warnings), report.warnings
    with Project.open(tmp_path / "new.qualcode") as project:
        assert project.status()["counts"]["transcripts"] == (2 if is_source else 1)


# --- killed runs ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_qdpx(example_project, tmp_path_factory):
    folder = tmp_path_factory.mktemp("qdpx")
    with Project.open(shutil.copy(example_project, folder / "example.qualcode")) as project:
        project.exchange.export_refi(folder / "example.qdpx")
    return folder / "example.qdpx"


def _start(args, cwd):
    env = {**os.environ, "QUALCODE_CODER": "tester"}
    return subprocess.Popen([sys.executable, "-m", "qualcode", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_at_its_destination(example_qdpx, tmp_path):
    dest = tmp_path / "imported.qualcode"
    outcomes, hidden = [], set()
    for delay in (0.4, 1.0, 1.6, 2.2, 3.5):
        proc = _start(["import-refi", example_qdpx, "-o", dest], tmp_path)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        hidden |= {p.name for p in tmp_path.iterdir() if p.name.startswith(".")}
        if dest.exists():  # finished before the kill: whole
            with Project.open(dest) as project:
                assert project.status()["counts"]["transcripts"] == 31
            outcomes.append("done")
            dest.unlink()
        else:
            outcomes.append("nothing")
    assert "nothing" in outcomes, outcomes
    assert hidden, "no kill landed while the project was being built"
    run = run_qualcode(["import-refi", example_qdpx, "-o", dest], cwd=tmp_path)
    assert run.returncode == 0, run.describe()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
def test_a_killed_export_leaves_no_hidden_file_after_the_next(example_project, tmp_path):
    project = shutil.copy(example_project, tmp_path / "example.qualcode")
    before = file_digest(project)
    for delay in (0.5, 0.7, 0.9):
        proc = _start(["-p", project, "export", "refi", "-o", tmp_path / "out.qdpx"], tmp_path)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    run = run_qualcode(["-p", project, "export", "refi", "-o", tmp_path / "out.qdpx"], cwd=tmp_path)
    assert run.returncode == 0, run.describe()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.qualcode", "out.qdpx"]
    assert file_digest(project) == before


def test_stale_temporaries_of_dead_processes_are_removed(tmp_path):
    dest = tmp_path / "out.qdpx"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".out.qdpx.output-{dead.pid}-abc123.tmp"
    stale.write_bytes(b"half a zip")
    (tmp_path / f".out.qdpx.importing-{dead.pid}-abc.tmp-wal").write_bytes(b"x")
    mine = temporary_beside(dest, "output")
    alive = tmp_path / f".out.qdpx.output-{os.getppid()}-zzz.tmp"  # a running process's
    alive.write_bytes(b"in use")
    other = tmp_path / ".other.qdpx.output-1-x.tmp"
    other.write_bytes(b"another file's")
    assert remove_stale(dest, "output") == [stale]
    assert remove_stale(dest, "importing") == [tmp_path / f".out.qdpx.importing-{dead.pid}-abc.tmp-wal"]
    assert mine.exists() and alive.exists() and other.exists()
    assert oct(mine.stat().st_mode & 0o777) == "0o600"


def test_a_codebook_of_too_many_codes_is_refused(tmp_path, monkeypatch):
    from qualcode.exchange import refi_qdc

    monkeypatch.setattr(refi_qdc, "MAX_CODES", 10)
    codes = "".join(f'<Code guid="{GUID.format(i)}" name="c{i}" isCodable="true"/>' for i in range(11))
    (tmp_path / "many.qdc").write_text('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                                       f"{codes}</Codes></CodeBook>", encoding="utf-8")
    with Project.create(tmp_path / "p.qualcode") as project, pytest.raises(InputError,
                                                                          match="many.qdc: holds more than 10 codes"):
        project.codebook.load(tmp_path / "many.qdc")
    (tmp_path / "many.qdpx").write_bytes(qdpx(f"<CodeBook><Codes>{codes}</Codes></CodeBook>"))
    with pytest.raises(InputError, match="many.qdpx: holds more than 10 codes"):
        import_qdpx(tmp_path / "many.qdpx", tmp_path / "new.qualcode")


def test_too_much_text_in_a_source_or_in_all_is_refused(tmp_path, monkeypatch):
    from qualcode.exchange import refi_import_reader
    from qualcode.ingest import encoding

    monkeypatch.setattr(encoding, "MAX_SOURCE_BYTES", 20)
    (tmp_path / "x.qdpx").write_bytes(qdpx(""))  # a source of 34 bytes
    with pytest.raises(InputError, match="x.qdpx: source 'a' holds more text than a transcript may have"):
        import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    monkeypatch.setattr(encoding, "MAX_SOURCE_BYTES", 1000)
    monkeypatch.setattr(refi_import_reader, "MAX_TEXT_TOTAL", 60)
    more = "".join(f'<TextSource guid="{GUID.format(i)}" name="s{i}" plainTextPath="internal://{SOURCE}.txt"/>'
                   for i in range(2))
    (tmp_path / "x.qdpx").write_bytes(qdpx("", more))
    with pytest.raises(InputError, match="x.qdpx: holds more than 60 bytes of text in its sources and notes"):
        import_qdpx(tmp_path / "x.qdpx", tmp_path / "new.qualcode")
    assert not (tmp_path / "new.qualcode").exists()
