"""Importing transcript files into a project: what is stored, speakers, duplicates,
bad input (through the project and the CLI), and the transcript commands."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qualcode.ingest.encoding as encoding
from qualcode import Project
from qualcode.errors import ConflictError, QualcodeError
from qualcode.store import study as store_study

from ._stored import assert_offsets_sound, assert_stored_like_reader, assert_turns_searchable
from .conftest import file_digest

# --- sources ---------------------------------------------------------------------------

INTERVIEW_TURNS = [
    ("Interviewer", "Thanks for talking to me again. How have you been since March?"),
    ("Maria", "Not bad, honestly. The walking group has helped a lot. I go on Tuesdays now."),
    ("Interviewer", "What changed for you?"),
    ("Maria", "Knowing somebody would notice if I didn't turn up. That's it really, the café after."),
]
PREAMBLE = "Interview with Maria, wave 1. Recorded at her home."


def interview_text(newline: str = "\n") -> str:
    body = [PREAMBLE, *(f"{speaker}: {speech}" for speaker, speech in INTERVIEW_TURNS)]
    return (newline * 2).join(body) + newline


def write_docx(path: Path, turns, preamble: str | None = PREAMBLE) -> Path:
    document = docx.Document()
    if preamble:
        document.add_paragraph(preamble)
    for speaker, speech in turns:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(f" {speech}")
    document.save(path)
    return path


def write_vtt(path: Path, turns) -> Path:
    lines = ["WEBVTT", ""]
    for i, (speaker, speech) in enumerate(turns):
        lines += [f"00:00:{i * 10:02d}.000 --> 00:00:{i * 10 + 8:02d}.500",
                  f"<v {speaker}>{speech}</v>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_srt(path: Path, turns) -> Path:
    lines = []
    for i, (speaker, speech) in enumerate(turns):
        lines += [str(i + 1), f"00:00:{i * 10:02d},000 --> 00:00:{i * 10 + 8:02d},500",
                  f"{speaker}: {speech}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def make_source(folder: Path, variant: str) -> Path:
    """The same interview in each format and encoding we read."""
    if variant == "utf8":
        path = folder / "maria_w1.txt"
        path.write_text(interview_text(), encoding="utf-8")
    elif variant == "cp1252-crlf":
        path = folder / "maria_w1.txt"
        path.write_bytes(interview_text("\r\n").encode("cp1252"))
    elif variant == "utf16-bom":
        path = folder / "maria_w1.txt"
        path.write_bytes(b"\xff\xfe" + interview_text("\r\n").encode("utf-16-le"))
    elif variant == "docx":
        path = write_docx(folder / "maria_w1.docx", INTERVIEW_TURNS)
    elif variant == "vtt":
        path = write_vtt(folder / "maria_w1.vtt", INTERVIEW_TURNS)
    elif variant == "srt":
        path = write_srt(folder / "maria_w1.srt", INTERVIEW_TURNS)
    else:  # pragma: no cover
        raise AssertionError(variant)
    return path


VARIANTS = {
    # variant: (format, encoding, has preamble, has times)
    "utf8": ("text", "utf-8", True, False),
    "cp1252-crlf": ("text", "cp1252", True, False),
    "utf16-bom": ("text", "utf-16-le", True, False),
    "docx": ("docx", None, True, False),
    "vtt": ("vtt", "utf-8", False, True),
    "srt": ("srt", "utf-8", False, True),
}


@pytest.fixture
def study(project: Project) -> Project:
    project.study.add_participant("P01", pseudonym="Maria")
    project.study.add_participant("P02")
    project.study.add_wave("W1")
    project.study.add_wave("W2")
    return project


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch):
    # Rich tables fit 80 columns when not on a terminal; let whole names through.
    from qualcode.cli import common

    monkeypatch.setattr(common.console, "width", 200)


@pytest.fixture
def seeded_path(project_path: Path) -> Path:
    """A closed project file with participants P01/P02 and waves W1/W2."""
    with Project.open(project_path) as proj:
        proj.study.add_participant("P01")
        proj.study.add_participant("P02")
        proj.study.add_wave("W1")
        proj.study.add_wave("W2")
    return project_path


# --- a good import ---------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_import_stores_transcript_turns_speakers_sentences(study, tmp_path, variant):
    fmt, enc, has_preamble, has_times = VARIANTS[variant]
    source = make_source(tmp_path, variant)
    result = study.transcripts.import_transcript(source, participant="P01", wave="W1", date="2025-03-12")

    assert result.status == "imported"
    assert result.name == "maria_w1"
    assert result.turns == len(INTERVIEW_TURNS) + has_preamble
    assert result.speakers == {"Interviewer": None, "Maria": "P01"}
    assert result.unmapped == []

    _parsed, info = assert_stored_like_reader(study, "maria_w1", source)
    assert info.kind == "interview"
    assert info.wave == "W1"
    assert info.participant == "P01"
    assert info.date == "2025-03-12"
    assert info.source_name == source.name
    assert info.source_format == fmt
    assert info.encoding == enc
    assert info.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert info.word_count == len(info.text.split()) == result.words
    # Normalised once: one line ending, no BOM, NFC.
    assert "\r" not in info.text and not info.text.startswith("\ufeff")
    assert "café" in info.text

    # The speeches, exactly, in order; the preamble is an unattributed turn.
    speeches = [(t.speaker, info.text[t.start:t.end]) for t in info.turns]
    if has_preamble:
        assert speeches[0] == (None, PREAMBLE)
        speeches = speeches[1:]
    assert speeches == INTERVIEW_TURNS
    if has_times:
        assert [t.start_time for t in info.turns] == [0.0, 10.0, 20.0, 30.0]
        assert info.turns[1].end_time == 18.5
    else:
        assert all(t.start_time is None for t in info.turns)

    # Interviewer recognised; the respondent is the participant interviewed.
    speakers = {s.label: s for s in info.speakers}
    assert speakers["Interviewer"].interviewer == 1
    assert speakers["Interviewer"].participant is None
    assert speakers["Maria"].interviewer == 0
    assert speakers["Maria"].participant == "P01"
    assert speakers["Maria"].turns == 2
    assert [t.participant for t in info.turns if t.speaker == "Maria"] == ["P01", "P01"]

    # Sentences: the second Maria turn has two, exactly these.
    last = info.turns[-1]
    inside = [info.text[s.start:s.end] for s in info.sentences if s.turn == last.seq]
    assert inside == ["Knowing somebody would notice if I didn't turn up.",
                      "That's it really, the café after."]
    assert result.sentences == len(info.sentences)

    # Attendance follows from the interview.
    assert store_study.attendance_rows(study.db) == [("P01", "W1", "interviewed")]
    assert_turns_searchable(study, "maria_w1")
    listed = study.transcripts.all()
    assert [(t.name, t.turns, t.words) for t in listed] == [("maria_w1", result.turns, result.words)]


def test_import_without_participant_or_wave(study, tmp_path):
    source = make_source(tmp_path, "utf8")
    result = study.transcripts.import_transcript(source, kind="notes", name="notes one")
    info = study.transcripts.get("notes one")
    assert (info.kind, info.wave, info.participant, info.date) == ("notes", None, None, None)
    # Nobody to map the respondent to: reported, not guessed.
    assert result.unmapped == ["Maria"]
    assert {s.label: s.participant for s in info.speakers} == {"Interviewer": None, "Maria": None}
    assert store_study.attendance_rows(study.db) == []


def test_interview_speaker_label_is_a_participant_id(study, tmp_path):
    source = tmp_path / "p02.txt"
    source.write_text("Interviewer: Hello.\n\nP02: Hi. I'm fine.\n\nInterviewer: Good.\n\nP02: Yes.\n",
                      encoding="utf-8")
    result = study.transcripts.import_transcript(source, participant="P02", wave="W2")
    assert result.speakers == {"Interviewer": None, "P02": "P02"}
    assert any("P02" in note and "by id" in note for note in result.notes)


FOCUS_GROUP = """Focus group, trainers, wave 1.

Moderator: Welcome, everyone. Who wants to start?

Leanne: I'll go. I found the job at the food bank.

Dave: Mine's similar. The warehouse shut.

H04: I was a volunteer first.

Sam: Same here, at the church.

Moderator: Thank you. And what is hardest?

Sam: The paperwork, honestly.

Leanne: The targets.
"""


def test_focus_group_speaker_map(project, tmp_path):
    for pid in ("H01", "H02", "H03", "H04"):
        project.study.add_participant(pid)
    project.study.add_wave("W1")
    source = tmp_path / "fg1.txt"
    source.write_text(FOCUS_GROUP, encoding="utf-8")
    result = project.transcripts.import_transcript(
        source, kind="focus-group", wave="W1",
        speaker_map={"Leanne": "H01", "dave": "H02", "Parveen": "H03"},
    )
    assert result.speakers == {"Moderator": None, "Leanne": "H01", "Dave": "H02", "H04": "H04", "Sam": None}
    # Unmapped labels are reported, never guessed.
    assert result.unmapped == ["Sam"]
    # A label that is a registered id is mapped, and the report says so.
    assert any("'H04'" in note and "by id" in note for note in result.notes)
    # A map entry that matches no speaker (a typo, or someone who said nothing) is reported.
    assert any("'Parveen'" in note and "matches no speaker" in note for note in result.notes)

    info = project.transcripts.get("fg1")
    speakers = {s.label: (s.participant, s.interviewer, s.turns) for s in info.speakers}
    assert speakers == {"Moderator": (None, 1, 2), "Leanne": ("H01", 0, 2), "Dave": ("H02", 0, 1),
                        "H04": ("H04", 0, 1), "Sam": (None, 0, 2)}
    assert info.participant is None and info.kind == "focus-group"
    # A focus group records no interview attendance.
    assert store_study.attendance_rows(project.db) == []
    assert_stored_like_reader(project, "fg1", source)


def test_reimport_is_reported_not_duplicated(study, tmp_path):
    source = make_source(tmp_path, "docx")
    first = study.transcripts.import_transcript(source, participant="P01", wave="W1")
    counts = study.status()["counts"]
    events = len(study.log())
    copy = tmp_path / "copy" / "other_name.docx"
    copy.parent.mkdir()
    copy.write_bytes(source.read_bytes())
    for again in (source, copy):
        result = study.transcripts.import_transcript(again, participant="P02", wave="W2")
        assert result.status == "duplicate"
        assert result.name == first.name == "maria_w1"
        assert result.turns == 0
        assert any("already imported as maria_w1" in note for note in result.notes)
    assert study.status()["counts"] == counts
    assert len(study.log()) == events  # nothing was imported, so nothing is logged
    assert study.transcripts.get("maria_w1").participant == "P01"


def test_name_clash_is_an_error(seeded_path, tmp_path):
    first = tmp_path / "a" / "interview.txt"
    second = tmp_path / "b" / "interview.txt"
    for path, who in ((first, "Maria"), (second, "Ken")):
        path.parent.mkdir()
        path.write_text(f"Interviewer: Hello.\n\n{who}: Hi there.\n", encoding="utf-8")
    with Project.open(seeded_path) as proj:
        proj.transcripts.import_transcript(first, participant="P01", wave="W1")
    before = file_digest(seeded_path)
    with Project.open(seeded_path) as proj, pytest.raises(ConflictError) as excinfo:
        proj.transcripts.import_transcript(second, participant="P02", wave="W1")
    message = str(excinfo.value)
    assert message.startswith("interview.txt: ") and "'interview'" in message and "\n" not in message
    assert file_digest(seeded_path) == before
    with Project.open(seeded_path) as proj:  # with another name it goes in
        assert proj.transcripts.import_transcript(second, participant="P02", wave="W1", name="interview ken").status == "imported"


# --- bad input -------------------------------------------------------------------------


def _docx_bytes(tmp_path: Path) -> bytes:
    return write_docx(tmp_path / "good.docx", INTERVIEW_TURNS).read_bytes()


def _zip_of_other_things() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/holiday.txt", "not a document")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


GOOD = interview_text().encode("utf-8")

# id: (file name, bytes or builder, import options, words the message must contain)
BAD_INPUT = {
    "empty": ("empty.txt", b"", {}, "is empty"),
    "binary": ("noise.txt", bytes(range(256)) * 8, {}, "binary"),
    "pdf-renamed": ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", {}, "binary"),
    "truncated-docx": ("cut.docx", lambda tmp: _docx_bytes(tmp)[:1500], {}, "damaged or truncated"),
    "password-docx": ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, {}, "password"),
    "zip-not-docx": ("photos.docx", lambda tmp: _zip_of_other_things(), {}, "not a Word document"),
    "malformed-vtt": ("call.vtt", b"WEBVTT\n\n00:00:01.000 --> soon\n<v A>Hello\n", {}, "does not parse"),
    "not-vtt": ("call.vtt", b"Hello, this is not a caption file\n", {}, "WEBVTT"),
    "too-large": ("long.txt", GOOD, {"_limit": 100}, "too large"),
    "unsupported": ("scan.pdf", b"%PDF-1.4\n", {}, "unsupported format"),
    "unknown-participant": ("ok.txt", GOOD, {"participant": "P99", "wave": "W1"}, "P99"),
    "unknown-wave": ("ok.txt", GOOD, {"participant": "P01", "wave": "W9"}, "W9"),
    "map-to-unknown-id": ("ok.txt", GOOD, {"kind": "focus-group", "speaker_map": {"Maria": "H77"}}, "H77"),
    "bad-date": ("ok.txt", GOOD, {"date": "12/03/2025"}, "not a date"),
}


def _write_bad(tmp_path: Path, case: str, monkeypatch) -> tuple[Path, dict, str]:
    name, content, options, expected = BAD_INPUT[case]
    options = dict(options)
    if callable(content):
        content = content(tmp_path)
    limit = options.pop("_limit", None)
    if limit is not None:
        monkeypatch.setattr(encoding, "MAX_SOURCE_BYTES", limit)
        assert len(content) > limit
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_bytes(content)
    return source, options, expected


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_one_line_error_and_project_unchanged(seeded_path, tmp_path, monkeypatch, case):
    source, options, expected = _write_bad(tmp_path, case, monkeypatch)
    before = file_digest(seeded_path)
    with Project.open(seeded_path) as proj:
        log_before = len(proj.log())
        with pytest.raises(QualcodeError) as excinfo:
            proj.transcripts.import_transcript(source, **options)
        assert len(proj.log()) == log_before
        assert proj.transcripts.all() == []
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith(f"{source.name}: "), message
    assert expected in message, message
    assert file_digest(seeded_path) == before
    assert not Path(str(seeded_path) + "-wal").exists()


def _cli_options(options: dict) -> list[str]:
    args = []
    for key, value in options.items():
        if key == "speaker_map":
            for label, pid in value.items():
                args += ["--speaker-map", f"{label}={pid}"]
        else:
            args += [f"--{key}", value]
    return args


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_through_cli(seeded_path, tmp_path, monkeypatch, run_cli, case):
    source, options, expected = _write_bad(tmp_path, case, monkeypatch)
    before = file_digest(seeded_path)
    result = run_cli("-p", seeded_path, "import", source, *_cli_options(options))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {source.name}: ") and expected in lines[0]
    assert "Traceback" not in result.output
    assert file_digest(seeded_path) == before


def test_cli_import_options_and_json(seeded_path, tmp_path, run_cli):
    source = make_source(tmp_path, "srt")
    result = run_cli("-p", seeded_path, "import", source, "--participant", "P01", "--wave", "W1",
                     "--date", "2025-04-01", "--name", "Maria one", "--json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert report["name"] == "Maria one" and report["status"] == "imported"
    assert report["turns"] == 4 and report["speakers"] == {"Interviewer": None, "Maria": "P01"}
    again = run_cli("-p", seeded_path, "import", source)
    assert again.exit_code == 0
    assert "duplicate" in again.stdout
    assert "already imported as Maria one" in again.stderr


def test_cli_focus_group_reports_unmapped(project_path, tmp_path, run_cli):
    with Project.open(project_path) as proj:
        for pid in ("H01", "H02", "H04"):
            proj.study.add_participant(pid)
    source = tmp_path / "fg.txt"
    source.write_text(FOCUS_GROUP, encoding="utf-8")
    result = run_cli("-p", project_path, "import", source, "--kind", "focus-group",
                     "--speaker-map", "Leanne=H01", "--speaker-map", "Dave=H02", "--json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert report["unmapped"] == ["Sam"]
    assert report["speakers"]["Leanne"] == "H01" and report["speakers"]["H04"] == "H04"
    bad = run_cli("-p", project_path, "import", source, "--speaker-map", "Leanne")
    assert bad.exit_code == 1 and "LABEL=ID" in bad.stderr


# --- transcript commands ---------------------------------------------------------------


@pytest.fixture
def imported_path(seeded_path, tmp_path) -> Path:
    with Project.open(seeded_path) as proj:
        proj.transcripts.import_transcript(make_source(tmp_path, "utf8"), participant="P01", wave="W1",
                               date="2025-03-12")
        vtt = write_vtt(tmp_path / "ken_w2.vtt", [("Interviewer", "Hello Ken."), ("Ken", "Hiya. All good.")])
        proj.transcripts.import_transcript(vtt, participant="P02", wave="W2")
        fg = tmp_path / "fg.txt"
        fg.write_text(FOCUS_GROUP, encoding="utf-8")
        proj.transcripts.import_transcript(fg, kind="focus-group", wave="W1")
    return seeded_path


def test_transcript_list(imported_path, run_cli):
    result = run_cli("-p", imported_path, "transcript", "list", "--json")
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"maria_w1", "ken_w2", "fg"}
    assert (rows["maria_w1"]["wave"], rows["maria_w1"]["participant"], rows["maria_w1"]["turns"]) == ("W1", "P01", 5)
    assert (rows["ken_w2"]["source_format"], rows["ken_w2"]["turns"]) == ("vtt", 2)
    assert rows["fg"]["kind"] == "focus-group" and rows["fg"]["participant"] is None
    table = run_cli("-p", imported_path, "transcript", "list")
    assert table.exit_code == 0
    for name in rows:
        assert name in table.stdout


def test_transcript_show(imported_path, run_cli):
    with Project.open(imported_path) as proj:
        text = proj.transcripts.get("maria_w1").text
    plain = run_cli("-p", imported_path, "transcript", "show", "maria_w1")
    assert plain.exit_code == 0
    assert plain.stdout == text + "\n"

    as_json = json.loads(run_cli("-p", imported_path, "transcript", "show", "maria_w1", "--json").stdout)
    assert as_json["text"] == text
    assert [(t["speaker"], t["text"]) for t in as_json["turns"][1:]] == INTERVIEW_TURNS
    for turn in as_json["turns"]:
        assert text[turn["start"]:turn["end"]] == turn["text"]
    assert len(as_json["sentences"]) == 10  # 2 + 2 + 3 + 1 + 2
    assert {"id", "wave_id", "participant_id"}.isdisjoint(as_json)

    turns = run_cli("-p", imported_path, "transcript", "show", "ken_w2", "--turns")
    assert turns.exit_code == 0
    assert "Interviewer" in turns.stdout and "Ken" in turns.stdout and "Hiya. All good." in turns.stdout
    assert "00:00:10" in turns.stdout  # the second cue's start time

    missing = run_cli("-p", imported_path, "transcript", "show", "nope")
    assert missing.exit_code == 1 and "nope" in missing.stderr


def test_transcript_speakers_mapping_is_undoable(imported_path, run_cli):
    listed = json.loads(run_cli("-p", imported_path, "transcript", "speakers", "fg", "--json").stdout)
    assert {s["label"]: s["participant"] for s in listed} == {
        "Moderator": None, "Leanne": None, "Dave": None, "H04": None, "Sam": None}
    with Project.open(imported_path) as proj:
        proj.study.add_participant("H04")
        proj.study.add_participant("H05")
    mapped = run_cli("-p", imported_path, "transcript", "speakers", "fg", "Sam=H05", "Leanne=P01", "--json")
    assert mapped.exit_code == 0, mapped.output
    after = {s["label"]: s["participant"] for s in json.loads(mapped.stdout)}
    assert after["Sam"] == "H05" and after["Leanne"] == "P01" and after["Dave"] is None

    with Project.open(imported_path) as proj:
        turns = proj.transcripts.get("fg").turns
        assert {t.participant for t in turns if t.speaker == "Sam"} == {"H05"}
        undone = proj.undo()
        assert undone.action == "speaker.map"
        assert {s.label: s.participant for s in proj.transcripts.get("fg").speakers}["Sam"] is None
        proj.redo()
        assert {s.label: s.participant for s in proj.transcripts.get("fg").speakers}["Sam"] == "H05"
        proj.transcripts.map_speakers("fg", {"Sam": None})
        assert {s.label: s.participant for s in proj.transcripts.get("fg").speakers}["Sam"] is None
        proj.transcripts.map_speakers("fg", {"dave": "H04"})  # any case, as with --speaker-map
        assert {s.label: s.participant for s in proj.transcripts.get("fg").speakers}["Dave"] == "H04"

    before = file_digest(imported_path)
    for pairs, expected in ((["Nobody=H05"], "no speaker 'Nobody'"), (["Sam=H99"], "H99"), (["Sam"], "LABEL=ID")):
        bad = run_cli("-p", imported_path, "transcript", "speakers", "fg", *pairs)
        assert bad.exit_code == 1 and expected in bad.stderr, bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
    assert file_digest(imported_path) == before


# --- property: offsets stay sound for any labelled text in any encoding ----------------

LABELS = ["Interviewer", "P07", "Janet", "MODERATOR", "R", "Dr Patel", "Q"]
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèçñüœ'ABCDEFGHIJK", min_size=1, max_size=9)
_SENTENCE = st.builds(lambda ws, end: " ".join(ws) + end, st.lists(_WORD, min_size=1, max_size=8),
                      st.sampled_from([".", "?", "!", "...", "", ","]))
_SPEECH = st.builds(" ".join, st.lists(_SENTENCE, min_size=1, max_size=4))


@st.composite
def labelled_transcripts(draw):
    turns = draw(st.lists(st.tuples(st.sampled_from(LABELS), _SPEECH), min_size=1, max_size=12))
    style = draw(st.sampled_from(["{label}: {speech}", "{label}:  {speech}", "[{label}] {speech}",
                                  "{label}:\n{speech}"]))
    separator = draw(st.sampled_from(["\n\n", "\n"]))
    preamble = draw(st.one_of(st.none(), _SPEECH))
    blocks = ([preamble] if preamble else []) + [style.format(label=l, speech=s) for l, s in turns]
    text = separator.join(blocks) + "\n"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "cp1252"]))
    text = text.replace("\n", newline)
    data = b"\xfe\xff" + text.encode("utf-16-be") if enc == "utf-16-be-bom" else text.encode(enc)
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=labelled_transcripts())
def test_random_transcripts_store_sound_offsets(project, tmp_path, data):
    digest = hashlib.sha256(data).hexdigest()
    source = tmp_path / f"{digest[:16]}.txt"
    source.write_bytes(data)
    result = project.transcripts.import_transcript(source, kind="focus-group")
    info = project.transcripts.get(result.name)
    if result.status == "imported":
        assert info.sha256 == digest
    assert_offsets_sound(info)
    for turn in info.turns:
        speech = info.text[turn.start:turn.end]
        assert speech == speech.strip() and speech


@pytest.mark.parametrize("label, interviewer", [
    ("Interviewer", True), ("INTERVIEWER", True), ("I", True), ("Q", True), ("Int.", True),
    ("Moderator", True), ("Facilitator", True), ("Interviewer 2", True), ("Moderator B", True),
    ("Interviewer (Anna)", True), ("Researcher - Sam", True),
    ("Interviewee", False), ("Intern", False), ("R", False), ("Respondent", False), ("P07", False),
    ("Janet", False), ("Moderate", False),
])
def test_interviewer_labels(label, interviewer):
    from qualcode.ingest.speakers import is_interviewer_label

    assert is_interviewer_label(label) is interviewer


def test_interviewer_marked_by_the_speaker_map(project, tmp_path):
    # An interview in Chinese: no label is an interviewer by name, so the map says which.
    source = tmp_path / "P01_W1.txt"
    source.write_text("访谈者：你好。\n\n李华：我每个星期都去食物银行。\n\n访谈者：为什么？\n\n李华：因为钱不够。\n",
                      encoding="utf-8")
    project.study.add_participant("P01")
    project.study.add_wave("W1")
    result = project.transcripts.import_transcript(source, participant="P01", wave="W1",
                                       speaker_map={"访谈者": "Interviewer"})
    assert result.speakers == {"访谈者": None, "李华": "P01"}
    assert result.notes == [] and result.unmapped == []
    turns = project.transcripts.get("P01_W1").turns
    assert [(t.speaker, t.interviewer, t.participant) for t in turns] == [
        ("访谈者", 1, None), ("李华", 0, "P01"), ("访谈者", 1, None), ("李华", 0, "P01")]
    # Marked later, and undone.
    project.transcripts.map_speakers("P01_W1", {"李华": "interviewer"})
    assert {t.speaker: (t.interviewer, t.participant) for t in project.transcripts.get("P01_W1").turns} \
        == {"访谈者": (1, None), "李华": (1, None)}
    project.undo()
    assert {t.speaker: (t.interviewer, t.participant) for t in project.transcripts.get("P01_W1").turns} \
        == {"访谈者": (1, None), "李华": (0, "P01")}
    # Mapping an interviewer's label to a participant makes it a participant's.
    project.transcripts.map_speakers("P01_W1", {"访谈者": "P01"})
    assert project.transcripts.get("P01_W1").turns[0].interviewer == 0
    with pytest.raises(QualcodeError, match="reserved"):
        project.study.add_participant("interviewer")


def test_manifest_marks_an_interviewer(project, tmp_path):
    (tmp_path / "A_W1.txt").write_text("المحاور: مرحبا.\n\nسارة: أهلا.\n\nالمحاور: كيف حالك؟\n\nسارة: بخير.\n",
                                       encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,participant,wave,speaker_map\nA_W1.txt,A01,W1,المحاور=interviewer\n", encoding="utf-8")
    report = project.transcripts.import_manifest(tmp_path / "manifest.csv")
    assert report.failures == []
    assert report.imported[0].speakers == {"المحاور": None, "سارة": "A01"}
    speakers = {s.label: s for s in project.transcripts.get("A_W1").speakers}
    assert speakers["المحاور"].interviewer == 1 and speakers["سارة"].participant == "A01"
