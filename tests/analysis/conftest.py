"""Hand-built small projects for the analysis tests.

``longitudinal``: three clients over three waves and a trainer in a focus group.
Every respondent turn is 12 words ("wp1w1000 wp1w1001 ...", 8 characters each in the
interviews, "tfg000" 6 characters in the focus group); a coding covers one word, so
the counts below are numbers of codings and the characters are 8 per coding (6 in the
focus group).

    P1 (site A, sex F)  W1 interviewed, W2 interviewed, W3 interviewed
    P2 (site A, sex M)  W1 interviewed, W2 missed,      W3 interviewed
    P3 (site B)         W1 interviewed, W2 withdrawn,   W3 withdrawn
    T1 (trainer, B)     no attendance; speaks ("Tess") in focus group FG_W2 at W2

    codings per wave    P1 W1/W2/W3   P2 W1/W3   P3 W1   FG_W2
    Emerge              0 / 1 / 2
    Increase            1 / 1 / 2
    Surge               1 / 3 / 1                         1 (Tess = T1)
    Decrease            2 / 2 / 1
    Cease               1 / 1 / 0     1 / 0
    Constant            2 / 2 / 2     1 / 1      1        1 (Moderator: nobody)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import Project

AnalysisProject = Project  # the project, with its analysis use cases


WORDS = 12


def words(prefix: str) -> str:
    return " ".join(f"{prefix}{i:03d}" for i in range(WORDS))


def word_span(text: str, prefix: str, index: int) -> tuple[int, int]:
    word = f"{prefix}{index:03d}"
    start = text.index(word)
    return start, start + len(word)


PLAN = {
    # transcript: {code: number of codings}
    "P1_W1": {"Increase": 1, "Surge": 1, "Decrease": 2, "Cease": 1, "Constant": 2},
    "P1_W2": {"Emerge": 1, "Increase": 1, "Surge": 3, "Decrease": 2, "Cease": 1, "Constant": 2},
    "P1_W3": {"Emerge": 2, "Increase": 2, "Surge": 1, "Decrease": 1, "Constant": 2},
    "P2_W1": {"Cease": 1, "Constant": 1},
    "P2_W3": {"Constant": 1},
    "P3_W1": {"Constant": 1},
}
CODES = ("Emerge", "Increase", "Surge", "Decrease", "Cease", "Constant")


def build_longitudinal(path: Path, tmp: Path) -> AnalysisProject:
    project = AnalysisProject.create(path, title="Longitudinal")
    project.coder = "tester"
    for wave in ("W1", "W2", "W3"):
        project.study.add_wave(wave)
    project.study.add_participant("P1", role="client", site="A", attributes={"sex": "F"})
    project.study.add_participant("P2", role="client", site="A", attributes={"sex": "M"})
    project.study.add_participant("P3", role="client", site="B")
    project.study.add_participant("T1", role="trainer", site="B")
    project.codebook.add_code("Longitudinal", category=True, colour="#0072b2")
    for code in CODES:
        project.codebook.add_code(code, parent="Longitudinal")
    spans = []
    for name, plan in PLAN.items():
        pid, wave = name.split("_")
        prefix = "w" + name.lower().replace("_", "")
        body = (f"Interviewer: How have things been?\nR: {words(prefix)}\n"
                f"Interviewer: Thank you.\nR: That is all.\n")
        file = tmp / f"{name}.txt"
        file.write_text(body, encoding="utf-8")
        project.transcripts.import_transcript(file, participant=pid, wave=wave)
        text = project.transcripts.get(name).text
        index = 0
        for code, n in plan.items():
            for _ in range(n):
                spans.append((name, code, *word_span(text, prefix, index)))
                index += 1
    fg = tmp / "FG_W2.txt"
    fg.write_text("Moderator: Welcome mfg000 everyone.\nTess: " + words("tfg") +
                  "\nModerator: And then?\nTess: Nothing more.\n", encoding="utf-8")
    project.transcripts.import_transcript(fg, wave="W2", kind="focus-group", speaker_map={"Tess": "T1"})
    fg_text = project.transcripts.get("FG_W2").text
    spans.append(("FG_W2", "Surge", *word_span(fg_text, "tfg", 0)))
    start = fg_text.index("mfg000")
    spans.append(("FG_W2", "Constant", start, start + 6))
    project.coding.apply_spans(spans, summary="test codings")
    project.study.set_attendance("P2", "W2", "missed")
    project.study.set_attendance("P3", "W2", "withdrawn")
    project.study.set_attendance("P3", "W3", "withdrawn")
    return project


# Module-scoped: the analysis only reads, so one build serves a whole test module.

@pytest.fixture(scope="module")
def longitudinal_path(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("long")
    path = tmp / "long.qualcode"
    build_longitudinal(path, tmp).close()
    return path


@pytest.fixture
def longitudinal(longitudinal_path) -> AnalysisProject:
    with AnalysisProject.open(longitudinal_path) as project:
        yield project


# --- co-occurrence ------------------------------------------------------------------

DIGITS = "0123456789" * 4
LETTERS = "abcdefghijklmnopqrstuvwxyz" + "abcdefghijklmn"


def build_cooccurrence(path: Path, tmp: Path) -> AnalysisProject:
    """Transcripts X (W1, P1, site A), Y (W2, P2, site B), Z (W1, P1).

    X turn 1 ("0123..."): A [0,10)  B [5,15)  C [12,20)  A [18,25)
    X turn 2 ("abcd..."): A [0,5)   D [10,20)
    Y turn 1: B [0,4)      Y turn 2: C [0,6)
    Z (one turn): E [0,1) [1,2) [2,3) [3,4) [4,5) [5,6);  F [0,2);  and by coder zed F [2,3)
    """
    project = AnalysisProject.create(path, title="Co-occurrence")
    project.coder = "tester"
    project.study.add_wave("W1")
    project.study.add_wave("W2")
    project.study.add_participant("P1", role="client", site="A")
    project.study.add_participant("P2", role="client", site="B")
    for code, colour in zip("ABCDEF", ("#e69f00", "#56b4e9", "#009e73", "#f0e442",
                                       "#0072b2", "#d55e00")):
        project.codebook.add_code(code, colour=colour)
    files = {
        "X": (f"Interviewer: Start.\nAnn: {DIGITS}\nInterviewer: Next.\nAnn: {LETTERS}\n", "P1", "W1"),
        "Y": ("Interviewer: Start.\nBob: 0123456789\nInterviewer: Next.\nBob: abcdefghij\n", "P2", "W2"),
        "Z": ("Interviewer: Start.\nR: zyxwvutsrq\nInterviewer: End.\nR: Done.\n", "P1", "W1"),
    }
    for name, (body, pid, wave) in files.items():
        (tmp / f"{name}.txt").write_text(body, encoding="utf-8")
        project.transcripts.import_transcript(tmp / f"{name}.txt", participant=pid, wave=wave)
    x = project.transcripts.get("X").text
    y = project.transcripts.get("Y").text
    z = project.transcripts.get("Z").text
    b1, b2 = x.index(DIGITS), x.index(LETTERS)
    y1, y2 = y.index("0123456789"), y.index("abcdefghij")
    z1 = z.index("zyxwvutsrq")
    spans = [
        ("X", "A", b1 + 0, b1 + 10), ("X", "B", b1 + 5, b1 + 15), ("X", "C", b1 + 12, b1 + 20),
        ("X", "A", b1 + 18, b1 + 25), ("X", "A", b2 + 0, b2 + 5), ("X", "D", b2 + 10, b2 + 20),
        ("Y", "B", y1, y1 + 4), ("Y", "C", y2, y2 + 6),
        *[("Z", "E", z1 + i, z1 + i + 1) for i in range(6)],
        ("Z", "F", z1, z1 + 2),
    ]
    project.coding.apply_spans(spans, summary="test codings")
    project.coder = "zed"
    project.coding.apply_spans([("Z", "F", z1 + 2, z1 + 3)], summary="second coder")
    project.coder = "tester"
    return project


@pytest.fixture(scope="module")
def cooc_path(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("cooc")
    path = tmp / "cooc.qualcode"
    build_cooccurrence(path, tmp).close()
    return path


@pytest.fixture
def cooc(cooc_path) -> AnalysisProject:
    with AnalysisProject.open(cooc_path) as project:
        yield project
