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
from qualcode.records import MemoLink

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
    # A file named after the person (its name becomes the transcript's name).
    notes = tmp_path / "Janet_Walker_dropin_notes.txt"
    notes.write_text(NOTES, encoding="utf-8")
    later = tmp_path / "maureen-pickering_followup.txt"
    later.write_text(NOTES.replace("Field notes", "Follow-up notes"), encoding="utf-8")
    with Project.open(project_path) as project:
        project.coder = "anna"
        # Before there is a key, real names reach the project by every way there is.
        project.transcripts.import_transcript(notes, kind="notes", wave="W1")
        name = "Janet_Walker_dropin_notes"
        text = project.transcripts.get(name).text
        start = text.index("Janet Walker arrived early")
        project.codebook.add_code("Family ties", definition="Talk of family, as Raymond Hughes did of his son.",
                         inclusion="Carol Entwistle's neighbours count too.",
                         example="Maureen Pickering: I walked my grandson to Greenfield Primary.",
                         keywords=["Ashby Road", "grandson"])
        project.coding.apply_spans([(name, "Community outreach", start, start + 120),
                             (name, "Family ties", start, start + 60)], summary="coded the notes")
        coding = project.coding.codings(transcript=name, code="Family ties")[0].id
        project.coding.set_coding_memo(coding, "Raymond Hughes is mentioned again here.")
        project.study.set_participant("C01", {"site": "Ashby Road", "school": "Greenfield Primary"})
        project.study.set_participant("C02", {"carer": "Carol Entwistle"}, wave="W1")
        project.study.set_attendance("C05", "W3", "missed", note="Maureen Pickering was in hospital")
        project.study.add_wave("W9", description="A visit to Greenfield Primary")
        project.memos.add("transcript", "Drop-in with Janet Walker",
                         "Janet Walker and Leanne Dobson at the drop-in.", links=[MemoLink("transcript", f"{name}")])
        project.memos.edit(project.memos.all(type_="transcript")[0].id,
                          body="Janet Walker, Leanne Dobson and Ashby Road again.")
        for real, (pseudonym, pid) in REAL_NAMES.items():
            kind = "person" if pid else ("place" if "Road" in real else "organisation")
            project.privacy.add_name(real, pseudonym, kind=kind, participant=pid)
        result = project.privacy.deidentify()
        assert result["names"] == 1 and result["fields"] >= 8 and result["log"] >= 5, result
        # After the key, an import keeps the names out from the start, its file name too.
        assert project.transcripts.import_transcript(later, kind="notes", wave="W1").name == "Maureen_followup"

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
        for args in (["transcript", "show", "Janet_dropin_notes", "--json"], ["search", "food bank", "--json"],
                     ["segments", "--code", "Community outreach", "--json"], ["participant", "list", "--json"],
                     ["participant", "show", "C02", "--json"], ["wave", "list", "--json"],
                     ["transcript", "list", "--json"], ["codebook", "show", "--json"],
                     ["code", "show", "Family ties", "--json"], ["codings", "--json"],
                     ["memo", "list", "--json"], ["log", "--json"], ["change", "--json"]))
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
    # With the key moved out, the project file itself holds no real name: not in a
    # field, not in the event log's copies, not in a freed page.
    run(["namekey", "export", tmp_path / "key.csv", "--remove"], env)
    raw = project_path.read_bytes()
    for companion in (project_path.with_name(project_path.name + "-wal"),):
        raw += companion.read_bytes() if companion.exists() else b""
    for real in REAL_NAMES:
        assert real.encode() not in raw, f"{real!r} is still in the project file"
