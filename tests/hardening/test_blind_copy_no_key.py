"""``export-for-coder`` never carries the name key: not in its table, not in any other
table of the copy, not in the file's free pages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qualcode import Project

REAL = {"Margaret Thornbury": "Maggie", "Ashby Road": "[Street 1]", "Greenfield Primary": "[School 1]"}
TEXT = ("Interviewer: Where did you meet the trainer?\n\n"
        "P01: Margaret Thornbury took me down Ashby Road to the hall by Greenfield Primary, "
        "and we walked there every week after that, whatever the weather was doing.\n")


def build(folder: Path) -> Path:
    path = folder / "lead.qualcode"
    source = folder / "p01_w1.txt"
    source.write_text(TEXT, encoding="utf-8")
    with Project.create(path) as project:
        project.coder = "anna"
        project.study.add_wave("W1")
        project.study.add_participant("P01", pseudonym="Maggie")
        for real, pseudonym in REAL.items():
            project.privacy.add_name(real, pseudonym, participant="P01" if pseudonym == "Maggie" else None,
                             kind="person" if pseudonym == "Maggie" else "place")
        project.transcripts.import_transcript(source, participant="P01", wave="W1")
        project.codebook.add_code("Walking")
        text = project.transcripts.get("p01_w1").text
        start = text.index("Maggie")
        project.coding.apply_spans([("p01_w1", "Walking", start, start + 40)], summary="coded")
        assert len(project.privacy.name_key()) == 3
    return path


def test_the_blind_copy_has_no_name_key_anywhere(tmp_path, run_cli):
    lead = build(tmp_path)
    copy = tmp_path / "ben.qualcode"
    result = run_cli("-p", lead, "export-for-coder", "ben", "-o", copy)
    assert result.exit_code == 0, result.output
    with Project.open(lead) as project:  # the lead's project keeps its key
        assert len(project.privacy.name_key()) == 3

    connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        assert "name_key" in tables and len(tables) > 15
        assert connection.execute("SELECT count(*) FROM name_key").fetchone()[0] == 0
        cells = 0
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    cells += 1
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    for real in REAL:
                        assert real not in text, f"{real!r} is in table {table} of the blind copy"
        assert cells > 100
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        assert meta["blind_copy_of"] == "lead.qualcode"  # a file name, not where it lives
    finally:
        connection.close()
    data = copy.read_bytes()
    for real in REAL:
        assert real.encode() not in data, f"{real!r} survives in the file's pages"
    # It opens as a project, for the other coder.
    with Project.open(copy) as project:
        assert project.privacy.name_key() == []
        assert "Maggie" in project.transcripts.get("p01_w1").text
