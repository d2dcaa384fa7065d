"""A small project whose every query result is worked out by hand in the tests.

Three interviews; each has four turns (an interviewer question, the respondent's three
sentences, a second question, the respondent's two sentences). Sentences are numbered
0-6 in text order (0 and 4 are the questions); turns 0-3.

    P1_W1 (P1, W1)  a1 Money is short.  a2 I feel alone.  a3 Friends help.
                    a4 No job now.      a5 I drink more.
    P1_W2 (P1, W2)  b1 Rent went up.    b2 Nobody calls me.  b3 The group is good.
                    b4 I lapsed twice.  b5 Bills scare me.
    P2_W1 (P2, W1)  c1 Cash is tight.   c2 I stay in.        c3 Mates visit.
                    c4 Work is fine.    c5 I use again.      (respondent label C05)

    Money worries   a1 (anna and ben: one passage), a4 (ben), b1, b5, c1 (ben)
    Isolation       a2, b2, c2 (ben)
    Peer support    a3, b2+b3 (one coding over both sentences)
    Relapse         a5, b4, c5
    Feelings        category over Money worries and Isolation (no codings of its own)

    P1: client, site A, sex F, age 52, employment W1 employed, W2 unemployed
    P2: client, site B, sex M, age 31, employment W1 employed
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import Project

TRANSCRIPTS = {
    "P1_W1": ("P1", "W1", "R", ["Money is short.", "I feel alone.", "Friends help."],
              ["No job now.", "I drink more."]),
    "P1_W2": ("P1", "W2", "R", ["Rent went up.", "Nobody calls me.", "The group is good."],
              ["I lapsed twice.", "Bills scare me."]),
    "P2_W1": ("P2", "W1", "C05", ["Cash is tight.", "I stay in.", "Mates visit."],
              ["Work is fine.", "I use again."]),
}
# code -> [(transcript, first sentence, last sentence, coder)]
CODINGS = {
    "Money worries": [("P1_W1", "Money is short.", "Money is short.", "anna"),
                      ("P1_W1", "Money is short.", "Money is short.", "ben"),
                      ("P1_W1", "No job now.", "No job now.", "ben"),
                      ("P1_W2", "Rent went up.", "Rent went up.", "anna"),
                      ("P1_W2", "Bills scare me.", "Bills scare me.", "anna"),
                      ("P2_W1", "Cash is tight.", "Cash is tight.", "ben")],
    "Isolation": [("P1_W1", "I feel alone.", "I feel alone.", "anna"),
                  ("P1_W2", "Nobody calls me.", "Nobody calls me.", "anna"),
                  ("P2_W1", "I stay in.", "I stay in.", "ben")],
    "Peer support": [("P1_W1", "Friends help.", "Friends help.", "anna"),
                     ("P1_W2", "Nobody calls me.", "The group is good.", "anna")],
    "Relapse": [("P1_W1", "I drink more.", "I drink more.", "anna"),
                ("P1_W2", "I lapsed twice.", "I lapsed twice.", "anna"),
                ("P2_W1", "I use again.", "I use again.", "anna")],
}


def build(path: Path, folder: Path) -> Project:
    project = Project.create(path, title="Queries")
    project.study.add_wave("W1")
    project.study.add_wave("W2")
    project.study.add_participant("P1", role="client", site="A", attributes={"sex": "F", "age": "52"})
    project.study.add_participant("P2", role="client", site="B", attributes={"sex": "M", "age": "31"})
    project.study.set_participant("P1", {"employment": "employed"}, wave="W1")
    project.study.set_participant("P1", {"employment": "unemployed"}, wave="W2")
    project.study.set_participant("P2", {"employment": "employed"}, wave="W1")
    texts = {}
    for name, (pid, wave, label, first, second) in TRANSCRIPTS.items():
        body = (f"Interviewer: How are things?\n{label}: {' '.join(first)}\n"
                f"Interviewer: And lately?\n{label}: {' '.join(second)}\n")
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
        project.transcripts.import_transcript(folder / f"{name}.txt", participant=pid, wave=wave)
        texts[name] = project.transcripts.get(name).text
    project.codebook.add_code("Feelings", category=True)
    project.codebook.add_code("Money worries", parent="Feelings")
    project.codebook.add_code("Isolation", parent="Feelings")
    project.codebook.add_code("Peer support")
    project.codebook.add_code("Relapse")
    for coder in ("anna", "ben"):
        project.coder = coder
        spans = []
        for code, rows in CODINGS.items():
            for name, first, last, who in rows:
                if who == coder:
                    start = texts[name].index(first)
                    spans.append((name, code, start, texts[name].index(last) + len(last)))
        project.coding.apply_spans(spans, summary=f"{coder}'s codings")
    project.coder = "tester"
    return project


@pytest.fixture(scope="module")
def query_project_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("query")
    with build(folder / "q.qualcode", folder):
        pass
    return folder / "q.qualcode"


@pytest.fixture
def qp(query_project_file, tmp_path):
    """A fresh copy of the hand-counted project for each test."""
    import shutil

    path = tmp_path / "q.qualcode"
    shutil.copy(query_project_file, path)
    with Project.open(path) as project:
        yield project
