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
from qualcode.records import MemoLink
from qualcode.records.codings import Passage, Segment

from .conftest import all_text, body_sequence, paragraphs, styled, table_rows


def coded_texts(project, code: str) -> dict[str, Segment]:
    return {r.text.strip(): r for r in project.coding.segments(code, include_subcodes=True)}


def quotes_with_attribution(path) -> list[tuple[str, str]]:
    paras = paragraphs(path)
    out = []
    for i, p in enumerate(paras):
        if p.style.name == "Quote":
            out.append((p.text, paras[i + 1].text))
    return out


# The small project's theme Journeys, by hand (conftest.CODINGS): anna's and ben's
# Walking codings in p01_w1 overlap ("we went walking together"): one passage. So
# W1: Referral 1, Walking 1, Change 2 = 4 passages (5 codings); W2: Walking 2, Let
# down 2 = 4. Workforce: 2 passages at W1.

def test_structure_headings_styles_and_contents(small, tmp_path):
    path = small.exports.themes(tmp_path / "themes.docx")
    assert path == tmp_path / "themes.docx"
    paras = paragraphs(path)
    assert paras[0].style.name == "Title" and paras[0].text == "Theme summary"
    assert styled(path, "Heading 1") == ["Journeys", "Workforce", "About the quotes"]
    text = all_text(path)
    assert "Study: Walking study" in text
    assert "Coders: anna, ben" in text
    assert "A small test study of walking with trainers." in text  # the project memo
    assert "Counts: Coded passages: overlapping codings of a theme" in text
    # The contents are written out, one entry per theme, each a link to its heading:
    # they read correctly without Word updating a field.
    xml = docx.Document(str(path)).element.xml
    assert "TOC \\o" not in xml
    assert styled(path, "TOC Heading") == ["Contents"]
    assert styled(path, "toc 1") == ["1. Journeys \u2013 8 coded passages, 2 participants",
                                     "2. Workforce \u2013 2 coded passages, 1 participant",
                                     "About the quotes"]
    assert 'w:anchor="theme_1"' in xml and 'w:name="theme_1"' in xml
    # Theme content: definition, criteria, memos.
    assert "How people come to the service and what it does for them." in text
    assert "Include: Accounts of first contact and of change." in text
    assert "Exclude: Service organisation." in text
    assert "Walking is the heart of it." in text and "Both clients say let down." in text
    assert "Heading 2" in {p.style.name for p in paras}
    # The empty code is not a theme by default.
    assert "Unused" not in styled(path, "Heading 1")


def test_quotes_are_whole_sentences_naming_their_codes(small, tmp_path):
    path = small.exports.themes(tmp_path / "themes.docx", quotes=5)
    quotes = quotes_with_attribution(path)
    segments = {**coded_texts(small, "Journeys"), **coded_texts(small, "Workforce")}
    # 8 + 2 passages; 5 places per theme, and P01's two paired across the waves
    assert len(quotes) == 5 + 2 + 2
    assert len(set(quotes)) == len(quotes)             # no passage quoted twice
    for text, source in quotes:
        # each quote is a whole sentence holding a coded segment
        inside = [s for s in segments if s in text]
        assert inside, text
        assert text[0].isupper() and text.endswith((".", "?", "!")), text
        row = segments[inside[0]]
        assert f"{row.participant} ({row.pseudonym})" in source and row.transcript in source
        assert f"turn {row.turn} \u00b7 " in source and source.endswith(row.code)
    # The coded clause "there is a box for everything except what matters" is quoted as
    # its sentence; a trainer's first wave is the start-up, a client's the baseline.
    assert ("The forms take longer than the walking, honestly, there is a box for everything "
            "except what matters.",
            "\u2014 Health trainer P02 (Sammy), Start-up, p02_w1, turn 4 \u00b7 Paperwork") in quotes
    assert ("I felt let down by the service, to be honest, like they forgot about me.",
            "\u2014 Client P01 (Jan), Six months, p01_w2, turn 4 \u00b7 Let down") in quotes
    # anna's and ben's overlapping Walking codings are one passage, quoted once
    walking = [q for q, _ in quotes if "walking together" in q]
    assert walking == ["A trainer came round and we went walking together every Tuesday morning "
                       "by the canal."]


def test_long_passages_are_cut_after_a_sentence_with_an_ellipsis(small):
    from dataclasses import replace

    from qualcode.export.quotes import Texts, passages, quote_text

    texts = Texts(small)
    waves = {w.label: w for w in small.study.waves()}
    rows = small.coding.segments("Journeys", include_subcodes=True, transcript="p01_w1")
    [change] = [p for p in passages(rows, texts, waves, by_code=False)
                if p.text.startswith("It changed my life")]
    whole, cut = quote_text(change, texts, cap=600)
    assert not cut and whole == "It changed my life really."
    assert (change.quote, change.cut) == (whole, cut)   # quoted as it was made
    text = small.transcripts.get("p01_w1").text
    start = text.index("My doctor")
    long = replace(change, start=start, end=text.index("younger.") + len("younger."))
    quote, cut = quote_text(long, texts, cap=90)
    # 27 + 1 + 53 characters fit under the cap, the third sentence does not: cut after
    # the second, marked
    assert cut and quote == ("My doctor told me about it. She said my blood pressure was high and I "
                             "was scared. \u2026")
    quote, cut = quote_text(long, texts, cap=20)        # not even one sentence fits
    assert cut and quote == "My doctor told me \u2026"


def test_prevalence_subcode_and_change_tables_with_captions(small, tmp_path):
    path = small.exports.themes(tmp_path / "themes.docx", themes="Journeys")
    document = docx.Document(str(path))
    assert all(t.style.name == "Table Grid" for t in document.tables)
    prevalence, subcodes, change = document.tables[:3]
    assert table_rows(prevalence) == [
        ["Role", "W1: Start-up", "W2: Six months", "All waves"],
        ["Client", "1/1 (4)", "2/2 (4)", "2/2 (8)"],
        ["Health trainer", "0/1 (0)", "\u2013", "0/1 (0)"],
        ["All participants", "1/2 (4)", "2/2 (4)", "2/3 (8)"],
    ]
    assert table_rows(subcodes) == [
        ["Sub-code", "W1", "W2", "Total"],
        ["Referral", "1", "0", "1"], ["Walking", "1", "2", "3"],
        ["Change", "2", "0", "2"], ["Let down", "0", "2", "2"],
    ]
    # Two clients have the theme: too few to call a trend (idiosyncratic).
    assert table_rows(change) == [
        ["Role", "W1", "W2", "Change"],
        ["Client", "1/1", "2/2", "idiosyncratic"],
        ["Health trainer", "0/1", "\u2013", "\u2013"],
        ["All participants", "1/2", "2/2", "idiosyncratic"],
    ]
    # Each table is followed by its caption in the Caption style.
    sequence = body_sequence(path)
    for i, (kind, _item) in enumerate(sequence):
        if kind == "t":
            nxt = sequence[i + 1][1]
            assert nxt.style.name == "Caption" and nxt.text.startswith("Table ")
    captions = styled(path, "Caption")
    assert captions[0].startswith("Table 1: Journeys: participants with at least one coded passage")
    assert "overlapping codings of a theme, by several coders or with several sub-codes, count once" in captions[0]
    assert captions[1].startswith("Table 2: Journeys: coded passages per sub-code and wave")
    # the participant seen at both waves, quoted at each
    heading = styled(path, "Heading 3")
    assert heading == ["One participant across the waves: P01 (Jan)"]
    paired = [s for _, s in quotes_with_attribution(path) if "P01" in s]
    assert {"Baseline", "Six months"} <= {s.split(", ")[1] for s in paired}


def test_theme_change_labels_by_hand():
    """Four clients, three waves. Observed: W1 all four, W2 P1-P3, W3 all four. With the
    theme: W1 P1; W2 P1, P2; W3 P1, P2, P3. Shares 1/4, 2/3, 3/4: present at both ends,
    0.75 >= 1.5 x 0.25 and 0.5 >= 0.10: increases. P1 is seen at all three waves."""
    from qualcode.export.themes import theme_change
    from qualcode.records import Participant, Wave

    people = {f"P{i}": Participant(id=i, guid=f"g{i}", pid=f"P{i}", role="client") for i in range(1, 5)}
    observed = {"W1": {"P1", "P2", "P3", "P4"}, "W2": {"P1", "P2", "P3"},
                "W3": {"P1", "P2", "P3", "P4"}}
    waves = [Wave(id=n, guid=f"w{n}", label=w, ordinal=n) for n, w in enumerate(("W1", "W2", "W3"), start=1)]
    rows = []
    for n, who in enumerate((["P1"], ["P1", "P2"], ["P1", "P2", "P3"]), start=1):
        rows += [_row(len(rows), pid, n) for pid in who]    # at wave Wn
    result = theme_change(rows, people, observed, waves, ["client"])
    assert result["sample"] == {"label": "increases", "values": [(1, 4), (2, 3), (3, 4)]}
    assert result["roles"]["client"]["label"] == "increases"
    assert result["paired"]["participant"] == "P1"
    assert [q.wave for q in result["paired"]["quotes"]] == ["W1", "W2", "W3"]


def test_memos_of_every_type_printed_once_and_cross_referenced(small, tmp_path):
    small.memos.add("comparison", "Walking and forms across waves",
                   "The walking stops when the forms start.",
                   links=[MemoLink("code", "Walking"), MemoLink("code", "Paperwork")])
    small.memos.add("participant", "Sammy (P02)", "Grew up on the estate.",
                   links=[MemoLink("participant", "P02"), MemoLink("code", "Someone like me")])
    path = small.exports.themes(tmp_path / "themes.docx")
    text = all_text(path)
    assert text.count("The walking stops when the forms start.") == 1
    assert "Printed in full under Journeys." in text
    assert "Grew up on the estate." in text
    paras = [p.text for p in paragraphs(path)]
    workforce = paras[paras.index("Workforce"):]
    assert any(p.startswith("Walking and forms across waves  (comparison memo") for p in workforce)
    assert any(p.startswith("Sammy (P02)  (participant memo") for p in workforce)


def _row(i, pid, wave, start=0, exemplar=False, length=80):
    return Passage(id=i, code="C", transcript=f"{pid}_{wave}", start=start, end=start + length,
                   text="x" * length, codes=("C",), coders=("anna",), coding_ids=(i,), memos=(),
                   exemplar=exemplar, interviewer=False, wave=f"W{wave}", wave_order=wave,
                   turn=1, time="", participant=pid, pseudonym=None, role=None, site=None,
                   attribution=pid, quote="x" * length, cut=False)


def test_pick_quotes_spreads_over_participants_and_waves():
    rows = [_row(i, "A", 1, start=i * 100) for i in range(10)]
    rows += [_row(20, "B", 1), _row(21, "B", 2), _row(22, "C", 2), _row(23, "A", 2)]
    # A has 11 segments, but the picks take each participant once before any twice,
    # then the least-quoted wave
    assert [(r.participant, r.wave_order) for r in pick_quotes(rows, 3)] == [
        ("A", 1), ("B", 2), ("C", 2)]
    chosen = pick_quotes(rows, 4)
    assert [(r.participant, r.wave_order) for r in chosen] == [
        ("A", 1), ("B", 1), ("B", 2), ("C", 2)]
    assert len({r.participant for r in chosen}) == 3
    assert {r.wave_order for r in chosen} == {1, 2}
    assert pick_quotes(list(reversed(rows)), 4) == chosen  # deterministic, order-free
    # exemplars first, even from an over-quoted participant
    rows[5] = _row(5, "A", 1, start=500, exemplar=True)
    assert rows[5] in pick_quotes(rows, 1)
    # overlapping segments in one transcript count once
    twins = [_row(1, "A", 1, start=0), _row(2, "A", 1, start=10)]
    assert len(pick_quotes(twins, 5)) == 1
    assert pick_quotes(rows, 0) == []


def test_choose_category_order_wave_and_coder(small, tmp_path):
    # Walking: 3 passages, Change 2, Let down 2, Referral 1 (ties keep codebook order)
    path = small.exports.themes(tmp_path / "a.docx", category="Journeys", order="frequency")
    assert styled(path, "Heading 1")[:-1] == ["Walking", "Change", "Let down", "Referral"]
    path = small.exports.themes(tmp_path / "b.docx", wave="W2")
    assert styled(path, "Heading 1") == ["Journeys", "About the quotes"]
    assert "Change over time" not in styled(path, "Heading 2")          # one wave: no change
    rows = table_rows(docx.Document(str(path)).tables[0])
    assert rows[0] == ["Role", "W2: Six months"]
    assert all("Six months" in source for _, source in quotes_with_attribution(path))
    path = small.exports.themes(tmp_path / "c.docx", themes=["Walking"], coder="ben", quotes=5)
    assert [q for q, _ in quotes_with_attribution(path)] == [
        "A trainer came round and we went walking together every Tuesday morning by the canal."]
    text = all_text(path)
    assert "Coders: ben" in text and "passages coded by ben" in text


def test_markdown_version(small, tmp_path):
    text = small.exports.themes(tmp_path / "t.md").read_text(encoding="utf-8")
    assert text.startswith("# Theme summary: Walking study")
    assert "## Journeys" in text and "## Workforce" in text
    assert "| Client | 1/1 (4) | 2/2 (4) | 2/2 (8) |" in text
    assert ("> I felt let down by the service, to be honest, like they forgot about me.\n>\n"
            "> \u2014 Client P01 (Jan), Six months, p01_w2, turn 4 \u00b7 Let down") in text
    assert "### Change over time" in text and "| Client | 1/1 | 2/2 | idiosyncratic |" in text
    assert "**Include:** Accounts of first contact and of change." in text


def test_csv_version(small, tmp_path):
    path = small.exports.themes(tmp_path / "t.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == 7
    by_id = {c.id: c for c in small.coding.codings()}
    for row in rows:
        ids = [int(i) for i in row["coding_ids"].split()]
        assert all(by_id[i].text in row["text"] for i in ids)
        assert row["attribution"].startswith(("Client ", "Health trainer "))
    assert {r["theme"] for r in rows} == {"Journeys", "Workforce"}
    walking = next(r for r in rows if "walking together" in r["text"])
    assert (walking["coders"], len(walking["coding_ids"].split())) == ("anna; ben", 2)
    sammy = next(r for r in rows if r["participant"] == "P02")
    assert sammy["time_point"] == "Start-up"          # a trainer's W1, not the clients' baseline
    # --format wins over nothing; a suffix that disagrees is refused
    with pytest.raises(QualcodeError, match="must end in .md"):
        small.exports.themes(tmp_path / "t.csv", format="md")


def test_default_output_goes_beside_the_project(small, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the current folder plays no part when there is a project
    path = small.exports.themes()
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
        small.exports.themes(tmp_path / "x.docx", **kwargs)
    assert not (tmp_path / "x.docx").exists()


def test_bad_output_paths(small, tmp_path, monkeypatch):
    with pytest.raises(QualcodeError, match="does not exist"):
        small.exports.themes(tmp_path / "missing" / "x.docx")
    with pytest.raises(QualcodeError, match="is a folder"):
        small.exports.themes(tmp_path)
    with pytest.raises(QualcodeError, match="must end in .docx"):
        small.exports.themes(tmp_path / "x.pdf", format="docx")
    real_access = os.access
    monkeypatch.setattr(docx_common.os, "access",
                        lambda p, mode: False if str(p) == str(tmp_path) else real_access(p, mode))
    with pytest.raises(QualcodeError, match="not writable"):
        small.exports.themes(tmp_path / "x.docx")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder(small, tmp_path):  # pragma: no cover (CI runs as root)
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(QualcodeError, match="not writable"):
            small.exports.themes(folder / "x.docx")
    finally:
        folder.chmod(0o700)


def test_example_end_to_end(example, tmp_path):
    """The example project: one call gives a summary with every category as a theme,
    quotes equal to the coded text, spread across participants and waves."""
    path = example.exports.themes(tmp_path / "themes.docx", quotes=6)
    headings = styled(path, "Heading 1")
    categories = [c.name for c in example.codebook.tree()]
    assert headings == [*categories, "About the quotes"]
    quotes = quotes_with_attribution(path)
    exemplar = [q for q in quotes if "across the waves" not in q[0]]
    assert len(exemplar) >= 6 * len(categories)
    pattern = re.compile(r"^\u2014 (Client|Health trainer|Manager) [CHM]\d\d \([A-Z][a-z]+\), "
                         r"(Baseline|Six months|Twelve months|Service start-up|Follow-up), \w+, "
                         r"turn \d+(, ~?\d\d:\d\d:\d\d)? \u00b7 [A-Z].+$")  # the time where it is known
    codings = [c.text.strip() for c in example.coding.codings()]
    for text, source in quotes:
        assert any(c in text for c in codings), text          # whole sentences around a coding
        assert len(text) <= 600 + 2, text
        assert pattern.match(source), source
        role, when = source[2:].split(" ")[0], source.split(", ")[1]
        # managers and trainers are cited by the start-up and follow-up
        assert (role == "Client") == (when in ("Baseline", "Six months", "Twelve months")), source
    # spread: each theme quotes several participants and more than one wave
    document = docx.Document(str(path))
    current, per_theme = None, {}
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            current = p.text
        elif p.style.name == "Quote":
            per_theme.setdefault(current, []).append(p)
    for _theme, items in per_theme.items():
        assert len(items) >= 6
    sources = [s for _, s in quotes]
    assert len({re.search(r"[CHM]\d\d", s).group() for s in sources}) >= 15
    assert {"Baseline", "Six months", "Twelve months", "Service start-up", "Follow-up"} <= {
        s.split(", ")[1] for s in sources}
    # no passage is quoted twice in the document, and no memo printed twice
    assert len({q for q, _ in quotes}) == len(quotes)
    text = all_text(path)
    for memo in example.memos.all():
        if memo.body:
            assert text.count(memo.body[:80]) <= 1, memo.title


def test_interviewer_words_are_not_quoted_as_a_participants(small, tmp_path):
    transcript = small.transcripts.all()[0].name
    info = small.transcripts.get(transcript)
    question = next(t for t in info.turns if t.interviewer)
    small.codebook.add_code("Questions asked")
    small.coding.apply_spans([(transcript, "Questions asked", question.start, question.end)],
                      summary="coded a question")
    rows = small.coding.segments("Questions asked")
    assert rows and rows[0].interviewer is True
    from qualcode.export.quotes import Texts, passages

    texts, waves = Texts(small), {w.label: w for w in small.study.waves()}
    assert pick_quotes(passages(rows, texts, waves), 3) == []
    small.coding.set_exemplar(rows[0].id)  # the analyst can still force it in
    again = passages(small.coding.segments("Questions asked"), texts, waves)
    assert len(pick_quotes(again, 3)) == 1
