"""The theme summary (.docx, .md, .csv): structure, quotes equal to the coded text,
attributions, tables and styles, quote selection, filters and bad input."""

from __future__ import annotations

import csv
import io
import os
import re

import docx
import pytest

from qualcode.errors import QualcodeError
from qualcode.export import docx_common
from qualcode.export.themes import pick_quotes

from .conftest import all_text, body_sequence, paragraphs, styled, table_rows


def coded_texts(project, code: str) -> dict[str, dict]:
    return {r["text"].strip(): r for r in project.segments(code, include_subcodes=True)}


def quotes_with_attribution(path) -> list[tuple[str, str]]:
    paras = paragraphs(path)
    out = []
    for i, p in enumerate(paras):
        if p.style.name == "Quote":
            out.append((p.text, paras[i + 1].text))
    return out


def test_structure_headings_styles_and_contents(small, tmp_path):
    path = small.export_themes(tmp_path / "themes.docx")
    assert path == tmp_path / "themes.docx"
    paras = paragraphs(path)
    assert paras[0].style.name == "Title" and paras[0].text == "Theme summary"
    assert styled(path, "Heading 1") == ["Journeys", "Workforce", "About the quotes"]
    text = all_text(path)
    assert "Study: Walking study" in text
    assert "Coders: anna, ben" in text
    assert "A small test study of walking with trainers." in text  # the project memo
    # A real TOC field the user can update, and the plain list of themes.
    xml = docx.Document(str(path)).element.xml
    assert 'TOC \\o "1-2"' in xml
    assert styled(path, "List Number") == ["Journeys \u2013 9 coded segments, 2 participants",
                                           "Workforce \u2013 2 coded segments, 1 participant"]
    # Theme content: definition, criteria, memos.
    assert "How people come to the service and what it does for them." in text
    assert "Include: Accounts of first contact and of change." in text
    assert "Exclude: Service organisation." in text
    assert "Walking is the heart of it." in text and "Both clients say let down." in text
    assert "Heading 2" in {p.style.name for p in paras}
    # The empty code is not a theme by default.
    assert "Unused" not in styled(path, "Heading 1")


def test_quotes_are_the_coded_text_with_attributions(small, tmp_path):
    path = small.export_themes(tmp_path / "themes.docx", quotes=5)
    quotes = quotes_with_attribution(path)
    journeys = coded_texts(small, "Journeys")
    workforce = coded_texts(small, "Workforce")
    assert len(quotes) == 7
    for text, source in quotes:
        row = journeys.get(text) or workforce.get(text)
        assert row is not None, text
        # compare with project.codings too: same text at the same offsets
        coding = next(c for c in small.codings(transcript=row["transcript"]) if c["id"] == row["id"])
        assert coding["text"] == text
        pid, pseud = row["participant"], row["pseudonym"]
        assert source.startswith("\u2014 ")
        assert f"{pid} ({pseud})" in source and row["transcript"] in source
        assert source.endswith(f"turn {row['turn']}")
    assert ("I felt let down by the service, to be honest, like they forgot about me.",
            "\u2014 Client P01 (Jan), Six months, p01_w2, turn 4") in quotes
    assert ("I grew up on the same estate as most of my clients",
            "\u2014 Health trainer P02 (Sammy), Baseline, p02_w1, turn 2") in quotes


def test_pseudonyms_only_never_speaker_labels(small, tmp_path):
    for fmt in ("docx", "md", "csv"):
        path = small.export_themes(tmp_path / f"themes.{fmt}")
        text = all_text(path) if fmt == "docx" else path.read_text(encoding="utf-8")
        for real in ("Janet", "Smith", "Sam Jones", "Kim Brown"):
            assert real not in text, (fmt, real)


def test_prevalence_and_subcode_tables_with_captions(small, tmp_path):
    path = small.export_themes(tmp_path / "themes.docx", themes="Journeys")
    document = docx.Document(str(path))
    assert all(t.style.name == "Table Grid" for t in document.tables)
    prevalence, subcodes = document.tables[:2]
    assert table_rows(prevalence) == [
        ["Role", "W1: Baseline", "W2: Six months", "All waves"],
        ["Client", "1/1 (5)", "2/2 (4)", "2/2 (9)"],
        ["Health trainer", "0/1 (0)", "\u2013", "0/1 (0)"],
        ["All participants", "1/2 (5)", "2/2 (4)", "2/3 (9)"],
    ]
    assert table_rows(subcodes) == [
        ["Sub-code", "W1", "W2", "Total"],
        ["Referral", "1", "0", "1"], ["Walking", "2", "2", "4"],
        ["Change", "2", "0", "2"], ["Let down", "0", "2", "2"],
    ]
    # Each table is followed by its caption in the Caption style.
    sequence = body_sequence(path)
    for i, (kind, _item) in enumerate(sequence):
        if kind == "t":
            nxt = sequence[i + 1][1]
            assert nxt.style.name == "Caption" and nxt.text.startswith("Table ")
    captions = styled(path, "Caption")
    assert captions[0].startswith("Table 1: Journeys: participants with at least one coded segment")
    assert captions[1] == "Table 2: Journeys: coded segments per sub-code and wave."


def test_exemplar_is_forced_in(small, tmp_path):
    rows = small.segments("Journeys", include_subcodes=True)
    target = next(r for r in rows if r["text"] == "It changed my life really.")
    small.set_exemplar(target["id"])
    path = small.export_themes(tmp_path / "themes.docx", themes="Journeys", quotes=1)
    assert [q for q, _ in quotes_with_attribution(path)] == ["It changed my life really."]


def _row(i, pid, wave, start=0, exemplar=False, length=80):
    return {"id": i, "participant": pid, "wave_order": wave, "transcript": f"{pid}_{wave}",
            "start": start, "end": start + length, "exemplar": exemplar, "text": "x" * length}


def test_pick_quotes_spreads_over_participants_and_waves():
    rows = [_row(i, "A", 1, start=i * 100) for i in range(10)]
    rows += [_row(20, "B", 1), _row(21, "B", 2), _row(22, "C", 2), _row(23, "A", 2)]
    # A has 11 segments, but the picks take each participant once before any twice,
    # then the least-quoted wave
    assert [(r["participant"], r["wave_order"]) for r in pick_quotes(rows, 3)] == [
        ("A", 1), ("B", 2), ("C", 2)]
    chosen = pick_quotes(rows, 4)
    assert [(r["participant"], r["wave_order"]) for r in chosen] == [
        ("A", 1), ("B", 1), ("B", 2), ("C", 2)]
    assert len({r["participant"] for r in chosen}) == 3
    assert {r["wave_order"] for r in chosen} == {1, 2}
    assert pick_quotes(list(reversed(rows)), 4) == chosen  # deterministic, order-free
    # exemplars first, even from an over-quoted participant
    rows[5]["exemplar"] = True
    assert rows[5] in pick_quotes(rows, 1)
    # overlapping segments in one transcript count once
    twins = [_row(1, "A", 1, start=0), _row(2, "A", 1, start=10)]
    assert len(pick_quotes(twins, 5)) == 1
    assert pick_quotes(rows, 0) == []


def test_choose_category_order_wave_and_coder(small, tmp_path):
    path = small.export_themes(tmp_path / "a.docx", category="Journeys", order="frequency")
    assert styled(path, "Heading 1")[:-1] == ["Walking", "Change", "Let down", "Referral"]
    path = small.export_themes(tmp_path / "b.docx", wave="W2")
    assert styled(path, "Heading 1") == ["Journeys", "About the quotes"]
    rows = table_rows(docx.Document(str(path)).tables[0])
    assert rows[0] == ["Role", "W2: Six months"]
    assert all("Six months" in source for _, source in quotes_with_attribution(path))
    path = small.export_themes(tmp_path / "c.docx", themes=["Walking"], coder="ben", quotes=5)
    assert [q for q, _ in quotes_with_attribution(path)] == [
        "A trainer came round and we went walking together"]
    assert "Coders: ben" in all_text(path)


def test_markdown_version(small, tmp_path):
    text = small.export_themes(tmp_path / "t.md").read_text(encoding="utf-8")
    assert text.startswith("# Theme summary: Walking study")
    assert "## Journeys" in text and "## Workforce" in text
    assert "| Client | 1/1 (5) | 2/2 (4) | 2/2 (9) |" in text
    assert ("> I felt let down by the service, to be honest, like they forgot about me.\n>\n"
            "> \u2014 Client P01 (Jan), Six months, p01_w2, turn 4") in text
    assert "**Include:** Accounts of first contact and of change." in text


def test_csv_version(small, tmp_path):
    path = small.export_themes(tmp_path / "t.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == 7
    by_id = {c["id"]: c for c in small.codings()}
    for row in rows:
        assert row["text"] == by_id[int(row["coding_id"])]["text"]
        assert row["attribution"].startswith(("Client ", "Health trainer "))
    assert {r["theme"] for r in rows} == {"Journeys", "Workforce"}
    # --format wins over nothing; a suffix that disagrees is refused
    with pytest.raises(QualcodeError, match="must end in .md"):
        small.export_themes(tmp_path / "t.csv", format="md")


def test_default_output_goes_beside_the_project(small, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the current folder plays no part when there is a project
    path = small.export_themes()
    assert path == tmp_path / "exports" / "small-themes.docx" and path.exists()
    assert not any(elsewhere.iterdir())


@pytest.mark.parametrize("kwargs, message", [
    ({"themes": "Nope"}, "unknown theme 'Nope'"),
    ({"category": "Nope"}, "unknown category 'Nope'"),
    ({"category": "Walking"}, "has no sub-codes"),
    ({"themes": "Unused"}, "nothing to export"),
    ({"themes": "Walking", "category": "Journeys"}, "not both"),
    ({"wave": "W9"}, "W9"),
    ({"coder": "zed"}, "unknown coder 'zed'"),
    ({"order": "alphabet"}, "order 'alphabet'"),
    ({"quotes": -1}, "negative"),
])
def test_bad_selection(small, tmp_path, kwargs, message):
    with pytest.raises(QualcodeError, match=re.escape(message)):
        small.export_themes(tmp_path / "x.docx", **kwargs)
    assert not (tmp_path / "x.docx").exists()


def test_bad_output_paths(small, tmp_path, monkeypatch):
    with pytest.raises(QualcodeError, match="does not exist"):
        small.export_themes(tmp_path / "missing" / "x.docx")
    with pytest.raises(QualcodeError, match="is a folder"):
        small.export_themes(tmp_path)
    with pytest.raises(QualcodeError, match="must end in .docx"):
        small.export_themes(tmp_path / "x.pdf", format="docx")
    real_access = os.access
    monkeypatch.setattr(docx_common.os, "access",
                        lambda p, mode: False if str(p) == str(tmp_path) else real_access(p, mode))
    with pytest.raises(QualcodeError, match="not writable"):
        small.export_themes(tmp_path / "x.docx")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder(small, tmp_path):  # pragma: no cover (CI runs as root)
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(QualcodeError, match="not writable"):
            small.export_themes(folder / "x.docx")
    finally:
        folder.chmod(0o700)


def test_example_end_to_end(example, tmp_path):
    """The example project: one call gives a summary with every category as a theme,
    quotes equal to the coded text, spread across participants and waves."""
    path = example.export_themes(tmp_path / "themes.docx", quotes=6)
    headings = styled(path, "Heading 1")
    categories = [c["name"] for c in example.codebook()]
    assert headings == [*categories, "About the quotes"]
    quotes = quotes_with_attribution(path)
    assert len(quotes) == 6 * len(categories)
    pattern = re.compile(r"^\u2014 (Client|Health trainer|Manager) [CHM]\d\d \([A-Z][a-z]+\), "
                         r"(Baseline|Six months|Twelve months), \w+, turn \d+$")
    texts = {c["text"].strip() for c in example.codings()}
    for text, source in quotes:
        assert text in texts
        assert pattern.match(source), source
    # spread: each theme quotes several participants and more than one wave
    document = docx.Document(str(path))
    current, per_theme = None, {}
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            current = p.text
        elif p.style.name == "Quote":
            per_theme.setdefault(current, []).append(p)
    for _theme, items in per_theme.items():
        assert len(items) == 6
    sources = [s for _, s in quotes]
    assert len({re.search(r"[CHM]\d\d", s).group() for s in sources}) >= 15
    assert {"Baseline", "Six months", "Twelve months"} <= {s.split(", ")[1] for s in sources}


def test_interviewer_words_are_not_quoted_as_a_participants(small, tmp_path):
    transcript = small.transcripts()[0]["name"]
    info = small.transcript(transcript)
    question = next(t for t in info["turns"] if t["interviewer"])
    small.add_code("Questions asked")
    small.apply_spans([(transcript, "Questions asked", question["start"], question["end"])],
                      summary="coded a question")
    rows = small.segments("Questions asked")
    assert rows and rows[0]["interviewer"] is True
    assert pick_quotes(rows, 3) == []
    small.set_exemplar(rows[0]["id"])  # the analyst can still force it in
    assert len(pick_quotes(small.segments("Questions asked"), 3)) == 1
