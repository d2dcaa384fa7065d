"""Fixtures for the exports: a small hand-built project (built once, read-only in the
tests), the example project (built once) and helpers to read .docx files."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from qualcode.project import Project
from qualcode.records import MemoLink

P = Project  # the project, with its export use cases


# Speaker labels are real-looking names ("Janet Smith"): exports must never show them.
P01_W1 = """\
Interviewer: How did you first hear about the service?

Janet Smith: My doctor told me about it. She said my blood pressure was high and I was scared.

Interviewer: What happened next?

Janet Smith: I rang them up. A trainer came round and we went walking together every Tuesday morning by the canal.

Interviewer: How do you feel about it now?

Janet Smith: It changed my life really. I lost two stone and my daughter says I look ten years younger.
"""

P01_W2 = """\
Interviewer: Last time you told me about the walking. How is it going?

Janet Smith: I stopped walking when the weather turned and the trainer left, and nobody rang me for weeks.

Interviewer: That sounds hard.

Janet Smith: It was. I felt let down by the service, to be honest, like they forgot about me.
"""

P02_W1 = """\
Interviewer: What is the job like?

Sam Jones: I grew up on the same estate as most of my clients, so they talk to me like a neighbour.

Interviewer: And the paperwork?

Sam Jones: The forms take longer than the walking, honestly, there is a box for everything except what matters.
"""

P03_W2 = """\
Interviewer: How did you get involved?

Kim Brown: My neighbour took me to a walking group at the leisure centre and I kept going every week after that.

Interviewer: Anything that did not work?

Kim Brown: When they moved everything to the telephone I felt let down, it was a voice reading a script.
"""

# (transcript, code, quote, coder)
CODINGS = [
    ("p01_w1", "Referral", "My doctor told me about it.", "anna"),
    ("p01_w1", "Walking", "we went walking together every Tuesday morning by the canal", "anna"),
    ("p01_w1", "Walking", "A trainer came round and we went walking together", "ben"),
    ("p01_w1", "Change", "It changed my life really.", "anna"),
    ("p01_w1", "Change", "I lost two stone and my daughter says I look ten years younger.", "anna"),
    ("p01_w2", "Walking", "I stopped walking when the weather turned", "anna"),
    ("p01_w2", "Let down", "I felt let down by the service, to be honest, like they forgot about me.", "anna"),
    ("p02_w1", "Someone like me", "I grew up on the same estate as most of my clients", "anna"),
    ("p02_w1", "Paperwork", "there is a box for everything except what matters", "anna"),
    ("p03_w2", "Walking", "My neighbour took me to a walking group at the leisure centre", "anna"),
    ("p03_w2", "Let down", "When they moved everything to the telephone I felt let down", "anna"),
]


def build_small(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("p01_w1", P01_W1), ("p01_w2", P01_W2), ("p02_w1", P02_W1),
                       ("p03_w2", P03_W2)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    with P.create(path, title="Walking study") as p:
        p.coder = "anna"
        p.study.add_wave("W1", description="Baseline (clients) and start-up")
        p.study.add_wave("W2", description="Six months")
        p.study.add_participant("P01", role="client", site="Northgate", pseudonym="Jan",
                          attributes={"age_band": "45-54"})
        p.study.add_participant("P02", role="health_trainer", site="Riverside", pseudonym="Sammy")
        p.study.add_participant("P03", role="client", site="Riverside", pseudonym="Kay")
        p.study.set_participant("P01", {"goal": "walk more"}, wave="W1")
        for name, pid, wave in (("p01_w1", "P01", "W1"), ("p01_w2", "P01", "W2"),
                                ("p02_w1", "P02", "W1"), ("p03_w2", "P03", "W2")):
            p.transcripts.import_transcript(folder / f"{name}.txt", participant=pid, wave=wave)
        p.study.set_attendance("P03", "W1", "missed")
        p.study.set_attendance("P02", "W2", "withdrawn")
        p.codebook.add_code("Journeys", category=True, definition="How people come to the service and what it does for them.",
                   inclusion="Accounts of first contact and of change.", exclusion="Service organisation.",
                   stage="axial")
        p.codebook.add_code("Referral", parent="Journeys", definition="Being sent by a professional.",
                   example="My GP sent me.", stage="focused")
        p.codebook.add_code("Walking", parent="Journeys", definition="Walking together with the trainer.")
        p.codebook.add_code("Change", parent="Journeys", definition="Changes the client notices.")
        p.codebook.add_code("Let down", parent="Journeys", definition="Feeling forgotten by the service.")
        p.codebook.add_code("Workforce", category=True, definition="The trainers' side.")
        p.codebook.add_code("Someone like me", parent="Workforce", in_vivo=True,
                   definition="Trainer shares the client's background.")
        p.codebook.add_code("Paperwork", parent="Workforce", definition="Forms and targets.")
        p.codebook.add_code("Unused", definition="A code nobody applied.")
        texts = {name: p.transcripts.get(name).text for name in ("p01_w1", "p01_w2", "p02_w1", "p03_w2")}
        for coder in ("anna", "ben"):
            p.coder = coder
            spans = []
            for name, code, quote, who in CODINGS:
                if who == coder:
                    start = texts[name].index(quote)
                    spans.append((name, code, start, start + len(quote)))
            p.coding.apply_spans(spans, summary=f"{coder} codes")
        p.coder = "anna"
        p.memos.add("theme", "Theme: journeys", "Walking is the heart of it.\n\nBut it stops when the trainer leaves.",
                   links=[MemoLink("code", "Journeys"), MemoLink("code", "Walking")])
        p.memos.add("code", "Code memo: let down", "Both clients say let down.", links=[MemoLink("code", "Let down")])
        p.memos.add("participant", "Jan (P01): pen portrait", "Jan is a retired cook who walks by the canal.",
                   links=[MemoLink("participant", "P01")])
        p.memos.add("project", "About the study", "A small test study of walking with trainers.")
    return path


@pytest.fixture(scope="session")
def small_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export_small")
    return build_small(folder / "small.qualcode", folder / "src")


@pytest.fixture
def small(small_file, tmp_path):
    """A private copy of the small project (tests may mark exemplars)."""
    path = tmp_path / "small.qualcode"
    shutil.copy(small_file, path)
    with P.open(path) as project:
        yield project


@pytest.fixture(scope="session")
def example_file(tmp_path_factory) -> Path:
    from qualcode.example import build_example

    return build_example(tmp_path_factory.mktemp("export_example") / "example.qualcode")


@pytest.fixture
def example(example_file):
    with P.open(example_file) as project:
        yield project


# --- reading .docx ------------------------------------------------------------------

def paragraphs(path) -> list:
    return docx.Document(str(path)).paragraphs


def styled(path, style: str) -> list[str]:
    return [p.text for p in paragraphs(path) if p.style.name == style]


def all_text(path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def body_sequence(path) -> list[tuple[str, object]]:
    """The body in order: ("p", paragraph) and ("t", table)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(("p", Paragraph(child, document)))
        elif tag == "tbl":
            out.append(("t", Table(child, document)))
    return out
