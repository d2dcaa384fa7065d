"""Another program's reader opens our .qdpx: pyrefiqda (a Pydantic REFI-QDA parser from
PyPI, a test-only dependency) finds the same counts as our own export reports."""

from __future__ import annotations

import pytest

from qualcode import Project

pyrefiqda = pytest.importorskip("pyrefiqda", reason="pyrefiqda (test dependency) is not installed")


def _count_codes(codes) -> int:
    return sum(1 + _count_codes(c.code) for c in codes or [])


def test_pyrefiqda_reads_our_export(example_project, tmp_path):
    with Project.open(example_project) as project:
        project.exchange.export_refi(tmp_path / "study.qdpx")
        codes = len(project.codebook.codes())
        codings = len(project.coding.codings())
        transcripts = project.transcripts.all()
        participants = len(project.study.participants())
        coders = len(project.study.coders())
        memos = len(project.memos.all())
    parsed = pyrefiqda.RefiProject.load(tmp_path / "study.qdpx", extract_dir=str(tmp_path / "x"))
    assert _count_codes(parsed.code_book.codes.code) == codes
    sources = parsed.sources.text_source
    assert len(sources) == len(transcripts)
    assert sum(len(s.coding) for t in sources for s in t.plain_text_selection) == codings
    assert len(parsed.cases.case) == participants
    assert len(parsed.users.user) == coders
    assert len(parsed.notes.note) >= memos
    by_name = {t.name: t for t in sources}
    assert set(by_name) == {t.name for t in transcripts}
