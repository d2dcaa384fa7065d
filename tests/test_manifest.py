"""Importing a whole study from a manifest CSV."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.errors import QualcodeError
from qualcode.store import study as store_study

from ._stored import assert_stored_like_reader
from .conftest import EXAMPLE_DIR, file_digest


@pytest.fixture(scope="module")
def manifest_import(tmp_path_factory):
    """The example manifest imported into a fresh project (once for this module)."""
    path = tmp_path_factory.mktemp("manifest") / "study.qualcode"
    proj = Project.create(path, title="manifest")
    proj.coder = "tester"
    report = proj.transcripts.import_manifest(EXAMPLE_DIR / "manifest.csv")
    yield proj, report
    proj.close()


def test_example_manifest_counts(manifest_import):
    proj, report = manifest_import
    assert report.failures == []
    assert report.rows == 47
    assert len(report.imported) == 31 and report.duplicates == []
    counts = proj.status()["counts"]
    assert counts["transcripts"] == 31
    assert counts["participants"] == 25
    assert [w.label for w in proj.study.waves()] == ["W1", "W2", "W3"]
    assert sorted(report.participants_added) == sorted(p.pid for p in proj.study.participants())
    assert report.waves_added == ["W1", "W2", "W3"]
    by_format = {}
    for t in proj.transcripts.all():
        by_format[t.source_format] = by_format.get(t.source_format, 0) + 1
    assert by_format == {"text": 26, "docx": 4, "vtt": 1}


def test_example_manifest_fixed_attributes(manifest_import):
    proj, _ = manifest_import
    c01 = proj.study.participant("C01")
    assert (c01.role, c01.site, c01.pseudonym) == ("client", "Northgate", "Janet")
    assert c01.attributes == {"sex": "F", "age_band": "45-54", "age": "51", "imd_quintile": "1",
                              "primary_issue": "diet"}
    # Deliberately missing values stay missing (not "" and not guessed).
    assert "primary_issue" not in proj.study.participant("C06").attributes
    assert "imd_quintile" not in proj.study.participant("C07").attributes
    m01 = proj.study.participant("M01")
    assert (m01.role, m01.pseudonym) == ("manager", "Carol")
    assert m01.attributes == {}
    h03 = proj.study.participant("H03")
    assert (h03.role, h03.site, h03.pseudonym, h03.attributes) == (
        "health_trainer", "Northgate", "Parveen", {"sex": "F"})
    roles = {}
    for person in proj.study.participants():
        roles[person.role] = roles.get(person.role, 0) + 1
    assert roles == {"client": 8, "manager": 4, "health_trainer": 13}


def test_example_manifest_wave_attributes_and_attendance(manifest_import):
    proj, _ = manifest_import
    assert proj.study.participant("C01").wave_attributes == {
        "W1": {"employment": "unemployed", "goal_status": "set"},
        "W2": {"employment": "part-time", "goal_status": "partly met"},
        "W3": {"employment": "part-time", "goal_status": "met"},
    }
    c06 = proj.study.participant("C06").wave_attributes
    assert c06["W1"] == {"employment": "full-time"}  # goal_status missing at W1
    assert c06["W3"] == {"goal_status": "partly met"}  # employment missing at W3
    # A missed wave has no wave attributes.
    assert "W2" not in proj.study.participant("C02").wave_attributes
    attendance = {(p, w): s for p, w, s in store_study.attendance_rows(proj.db)}
    assert attendance[("C02", "W2")] == "missed"
    assert attendance[("C04", "W3")] == "withdrawn"
    assert attendance[("C07", "W3")] == "missed"
    assert attendance[("C01", "W2")] == "interviewed"
    assert sum(1 for s in attendance.values() if s == "interviewed") == 29  # interviews, not focus groups
    assert not any(p.startswith("H") for p, _ in attendance)


def test_example_manifest_focus_groups_mapped(manifest_import):
    proj, report = manifest_import
    fg1 = next(r for r in report.results if r.name == "FG1_trainers_W1")
    assert fg1.kind == "focus-group" and fg1.wave == "W1" and fg1.participant is None
    for label, pid in {"Leanne": "H01", "Dave": "H02", "Parveen": "H03", "Marcus": "H04",
                       "Julie": "H05", "Sam": "H06"}.items():
        assert fg1.speakers[label] == pid
    speakers = {s.label: s for s in proj.transcripts.get("FG1_trainers_W1").speakers}
    assert speakers["Moderator"].interviewer == 1
    assert speakers["Leanne"].participant == "H01"
    # Whatever is not in the map is reported, never guessed.
    assert fg1.unmapped == [label for label, pid in fg1.speakers.items()
                            if pid is None and not speakers[label].interviewer]
    assert all(speakers[label].participant is None for label in fg1.unmapped)
    fg2 = proj.transcripts.get("FG2_trainers_W3")
    assert {s.participant for s in fg2.speakers} >= {"H07", "H08", "H09", "H10", "H11", "H12", "H13"}
    c03 = proj.transcripts.get("C03_W2")
    assert (c03.participant, c03.wave, c03.date, c03.source_format) == ("C03", "W2", "2025-10-01", "docx")
    assert_stored_like_reader(proj, "C06_W2", EXAMPLE_DIR / "C06_W2.vtt")


def test_reimporting_the_manifest_reports_duplicates(manifest_import):
    proj, _ = manifest_import
    counts = proj.status()["counts"]
    report = proj.transcripts.import_manifest(EXAMPLE_DIR / "manifest.csv")
    assert report.imported == [] and len(report.duplicates) == 31
    assert proj.status()["counts"] == counts


# --- bad manifests -----------------------------------------------------------------------

HEADER = "file,participant,wave,kind,date,speaker_map,status,site,wave:employment"
GOOD_ROWS = [
    "C01_W1.txt,C01,W1,interview,2025-03-12,,,Northgate,unemployed",
    ",C02,W2,,,,missed,Northgate,",
    "FG1_trainers_W1.txt,H01;H02,W1,focus-group,2025-04-29,Leanne=H01;Dave=H02,,,",
]
# id: (bad row, column named in the error, words of the error)
BAD_ROWS = {
    "missing-file": ("C99_W1.txt,C99,W1,interview,,,,,", "file", "C99_W1.txt does not exist"),
    "bad-kind": ("C01_W2.txt,C01,W2,chat,,,,,", "kind", "'chat'"),
    "bad-date": ("C01_W2.txt,C01,W2,interview,2025-02-30,,,,", "date", "not a date"),
    "bad-speaker-map": ("C01_W2.txt,C01,W2,interview,,Leanne,,,", "speaker_map", "LABEL=ID"),
    "map-to-unknown": ("C01_W2.txt,C01,W2,interview,,Janet=Z9,,,", "speaker_map", "Z9"),
    "status-without-wave": (",C03,,,,,missed,,", "wave", "needs the wave"),
    "bad-status": (",C03,W1,,,,absent,,", "status", "'absent'"),
    "bad-participant": ("C01_W2.txt,C 01,W2,interview,,,,,", "participant", "not valid"),
    "not-a-transcript": ("photo.txt,C05,W1,interview,,,,,", "file", "binary"),
}


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "study"
    folder.mkdir()
    for name in ("C01_W1.txt", "C01_W2.txt", "FG1_trainers_W1.txt"):
        shutil.copy(EXAMPLE_DIR / name, folder / name)
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return folder


def _write_manifest(folder: Path, rows: list[str]) -> Path:
    path = folder / "manifest.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_row_fails_naming_row_and_column_and_commits_nothing(project_path, folder, case):
    row, column, words = BAD_ROWS[case]
    manifest = _write_manifest(folder, [GOOD_ROWS[0], GOOD_ROWS[1], row, GOOD_ROWS[2]])
    before = file_digest(project_path)
    with Project.open(project_path) as proj, pytest.raises(QualcodeError) as excinfo:
        proj.transcripts.import_manifest(manifest)
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith(f"manifest.csv row 4, column {column}: "), message
    assert words in message, message
    assert file_digest(project_path) == before


def test_keep_going_imports_good_rows_and_reports_each_bad_one(project, folder):
    bad = [BAD_ROWS[case][0] for case in ("missing-file", "bad-kind", "map-to-unknown", "not-a-transcript")]
    manifest = _write_manifest(folder, [GOOD_ROWS[0], bad[0], GOOD_ROWS[1], bad[1], bad[2],
                                        GOOD_ROWS[2], bad[3]])
    report = project.transcripts.import_manifest(manifest, keep_going=True)
    assert [r.name for r in report.imported] == ["C01_W1", "FG1_trainers_W1"]
    assert sorted(report.failures) == sorted([
        "manifest.csv row 3, column file: C99_W1.txt does not exist",
        "manifest.csv row 5, column kind: 'chat' is not one of interview, focus-group, notes, document",
        "manifest.csv row 6, column speaker_map: Janet=Z9: no participant with id 'Z9' "
        "(list them in the participant column or register them in an earlier row)",
        "manifest.csv row 8, column file: photo.txt: looks like a binary file, not a transcript (PNG image)",
    ])
    # The failed rows left nothing behind (C99 and C05 are not registered).
    assert sorted(p.pid for p in project.study.participants()) == ["C01", "C02", "H01", "H02"]
    assert [t.name for t in project.transcripts.all()] == ["C01_W1", "FG1_trainers_W1"]
    assert store_study.attendance_rows(project.db) == [("C01", "W1", "interviewed"), ("C02", "W2", "missed")]


def test_manifest_problems_with_the_file_itself(project_path, tmp_path):
    before = file_digest(project_path)
    cases = {
        "missing.csv": (None, "missing.csv: does not exist"),
        "empty.csv": (b"", "empty.csv: is empty"),
        "nofile.csv": (b"participant,wave\nC01,W1\n", "needs a header row with a 'file' column"),
        "wide.csv": (b"file,participant\nx.txt,C01,extra\n", "row 2 has more cells than the header"),
    }
    with Project.open(project_path) as proj:
        for name, (content, words) in cases.items():
            path = tmp_path / name
            if content is not None:
                path.write_bytes(content)
            with pytest.raises(QualcodeError) as excinfo:
                proj.transcripts.import_manifest(path)
            assert words in str(excinfo.value) and str(excinfo.value).startswith(name)
    assert file_digest(project_path) == before


def test_cli_manifest_summary_and_progress(project_path, folder, run_cli, monkeypatch):
    from qualcode.cli import common, ingest

    monkeypatch.setattr(common.console, "width", 200)
    updates = []

    class RecordingProgress(ingest.Progress):
        def update(self, task_id, **fields):
            updates.append(fields)
            return super().update(task_id, **fields)

    monkeypatch.setattr(ingest, "Progress", RecordingProgress)
    manifest = _write_manifest(folder, GOOD_ROWS)
    result = run_cli("-p", project_path, "import", "--manifest", manifest)
    assert result.exit_code == 0, result.output
    for column in ("transcript", "status", "turns", "sentences", "unmapped"):
        assert column in result.stdout
    assert "C01_W1" in result.stdout and "FG1_trainers_W1" in result.stdout
    assert "2 imported, 0 already there, 0 failed; participants added: 4" in result.stdout
    # The bar moved once per file, to the end.
    assert [(u["completed"], u["total"]) for u in updates] == [(1, 2), (2, 2)]

    again = run_cli("-p", project_path, "import", "--manifest", manifest, "--json")
    assert again.exit_code == 0
    data = json.loads(again.stdout)
    assert (data["imported"], data["duplicates"], data["failures"]) == (0, 2, [])


def test_cli_manifest_failures(project_path, folder, run_cli):
    manifest = _write_manifest(folder, [GOOD_ROWS[0], BAD_ROWS["bad-kind"][0]])
    before = file_digest(project_path)
    strict = run_cli("-p", project_path, "import", "--manifest", manifest)
    assert strict.exit_code == 1
    assert strict.stderr.strip().splitlines() == [
        "Error: manifest.csv row 3, column kind: 'chat' is not one of interview, focus-group, notes, document"]
    assert "Traceback" not in strict.output
    assert file_digest(project_path) == before
    lenient = run_cli("-p", project_path, "import", "--manifest", manifest, "--keep-going")
    assert lenient.exit_code == 1  # something failed, though the good row went in
    assert "failed: manifest.csv row 3, column kind" in lenient.stderr
    assert "1 imported" in lenient.stdout
    with Project.open(project_path) as proj:
        assert [t.name for t in proj.transcripts.all()] == ["C01_W1"]


def _content(proj: Project) -> dict:
    """Everything an import stores, without the columns that differ run to run."""
    out = {}
    for table in ("transcripts", "speakers", "turns", "sentence_spans", "participants", "attendance",
                  "participant_attributes", "participant_wave_attributes"):
        columns = [c for c in proj.db[table].columns_dict if c not in ("guid", "imported_at", "created")]
        out[table] = proj.db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2").fetchall()
    # The index keeps no copy of the text: compare every word it holds, where.
    proj.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_words USING fts5vocab(main, turn_fts, 'instance')")
    out["fts"] = proj.db.execute("SELECT term, doc, offset FROM temp.fts_words ORDER BY doc, offset").fetchall()
    assert out["fts"]
    return out


def test_parallel_reading_stores_the_same(tmp_path, folder):
    rows = [GOOD_ROWS[0], BAD_ROWS["not-a-transcript"][0], GOOD_ROWS[1], GOOD_ROWS[2],
            BAD_ROWS["map-to-unknown"][0], "C01_W2.txt,C01,W2,interview,,,,,"]
    manifest = _write_manifest(folder, rows)
    contents, failures = [], []
    for workers in (0, 2):
        with Project.create(tmp_path / f"w{workers}.qualcode") as proj:
            report = proj.transcripts.import_manifest(manifest, keep_going=True, workers=workers)
            assert [r.name for r in report.imported] == ["C01_W1", "FG1_trainers_W1", "C01_W2"]
            contents.append(_content(proj))
            failures.append(report.failures)
    assert contents[0] == contents[1]
    assert failures[0] == failures[1] and len(failures[0]) == 2
    # Without keep_going a bad file read by a worker still fails the whole manifest.
    target = tmp_path / "strict.qualcode"
    Project.create(target).close()
    before = file_digest(target)
    with Project.open(target) as proj, pytest.raises(QualcodeError, match="row 3, column file: photo.txt"):
        proj.transcripts.import_manifest(manifest, workers=2)
    assert file_digest(target) == before


def test_parallel_reading_with_a_name_key(tmp_path, folder):
    # Pseudonymising changes the text, so sentences split ahead in a worker must be redone.
    manifest = _write_manifest(folder, GOOD_ROWS)
    contents = []
    for workers in (0, 1):
        with Project.create(tmp_path / f"k{workers}.qualcode") as proj:
            proj.privacy.add_name("Leanne", "Lee")
            proj.privacy.add_name("Janet", "Participant Janet-Ann")
            report = proj.transcripts.import_manifest(manifest, workers=workers)
            assert len(report.imported) == 2
            info = proj.transcripts.get("FG1_trainers_W1")
            assert "Leanne" not in info.text and "Lee" in info.text
            from ._stored import assert_offsets_sound

            assert_offsets_sound(info)
            assert info.word_count == len(info.text.split())
            contents.append(_content(proj))
    assert contents[0] == contents[1]
