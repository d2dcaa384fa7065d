"""No export of the example project contains a real name from its name key.

The example study gets a name key (fictional real names for its participants, a
street and a school), field notes that mention them are imported (the key replaces
them on import), coded, and then every export format is written and scanned: Word
files, Markdown, CSV, JSON, REFI-QDA (.qdpx and .qdc), the YAML codebook, and the
co-occurrence network files.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from qualcode import Project
from qualcode.cli import cli

REAL_NAMES = {
    "Janet Walker": ("Janet", "C01"),
    "Raymond Hughes": ("Ray", "C02"),
    "Maureen Pickering": ("Maureen", "C05"),
    "Leanne Dobson": ("Leanne", "H01"),
    "Carol Entwistle": ("Carol", "M01"),
    "Ashby Road": ("[Street 1]", None),
    "Greenfield Primary": ("[School 1]", None),
}
NOTES = (
    "Field notes, drop-in at the food bank.\n\n"
    "Janet Walker arrived early and helped Leanne Dobson set out the leaflets. "
    "She said Raymond Hughes from Ashby Road had been asking after the group. "
    "Carol Entwistle came by at noon; Maureen Pickering walked her grandson to Greenfield Primary first.\n"
)


def run(args, env):
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    assert result.exit_code == 0, (args, result.output)
    return result


def readable_bytes(path: Path) -> bytes:
    """A file's bytes, and for zip containers (.docx, .qdpx) their members' too."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            data += b"".join(archive.read(n) for n in archive.namelist())
    return data


def test_no_export_contains_a_real_name(example_project, tmp_path):
    project_path = tmp_path / "example.qualcode"
    shutil.copy(example_project, project_path)
    notes = tmp_path / "dropin_notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    with Project.open(project_path) as project:
        project.coder = "anna"
        for real, (pseudonym, pid) in REAL_NAMES.items():
            kind = "person" if pid else ("place" if "Road" in real else "organisation")
            project.add_name(real, pseudonym, kind=kind, participant=pid)
        project.import_transcript(notes, kind="notes", wave="W1")
        text = project.transcript("dropin_notes")["text"]
        start = text.index("Janet arrived early")
        project.apply_spans([("dropin_notes", "Community outreach", start, start + 120)],
                            summary="coded the notes")
        project.add_memo("transcript", "Drop-in notes", "Janet and Leanne at the drop-in.",
                         links=["transcript:dropin_notes"])

    out = tmp_path / "out"
    out.mkdir()
    env = {"QUALCODE_PROJECT": str(project_path), "QUALCODE_CODER": "anna"}
    commands = [
        ["export", "docx", "-o", out / "themes.docx"],
        ["export", "docx", "-o", out / "themes.md", "--format", "md"],
        ["export", "docx", "-o", out / "themes.csv", "--format", "csv"],
        ["export", "codebook", "-o", out / "codebook.docx"],
        ["export", "matrix", "-o", out / "matrix.docx", "--by", "wave"],
        ["export", "portraits", "-o", out / "portraits.docx"],
        ["export", "methods", "-o", out / "methods.docx"],
        ["export", "segments", "-o", out / "segments.csv"],
        ["export", "segments", "-o", out / "segments.md"],
        ["export", "refi", "-o", out / "study.qdpx"],
        ["codebook", "export", out / "codebook.qdc"],
        ["codebook", "save", out / "codebook.yaml"],
        ["matrix", "--format", "csv", "-o", out / "matrix.csv"],
        ["matrix", "--format", "json", "-o", out / "matrix.json"],
        ["cooccur", "-o", out / "network.graphml"],
        ["cooccur", "-o", out / "network.gexf"],
        ["cooccur", "-o", out / "network.json"],
        ["cooccur", "-o", out / "network.csv"],
        ["saturation", "--format", "json", "-o", out / "saturation.json"],
    ]
    for args in commands:
        run(args, env)
    printed = "".join(
        run(args, env).output
        for args in (["transcript", "show", "dropin_notes", "--json"], ["search", "food bank", "--json"],
                     ["segments", "--code", "Community outreach", "--json"], ["participant", "list", "--json"],
                     ["memo", "list", "--json"], ["change", "--json"]))
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(files) >= len(commands)
    # The pseudonymised notes really are in the exports (so the scan is not vacuous).
    assert b"Janet arrived early" in b"".join(readable_bytes(p) for p in files)
    for path in files:
        data = readable_bytes(path)
        for real in REAL_NAMES:
            assert real.encode() not in data, f"{real!r} leaked into {path.name}"
    for real in REAL_NAMES:
        assert real not in printed
