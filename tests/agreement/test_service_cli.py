"""Agreement and blind coding through the project and the CLI: one bulk query, names
and text back in, exit codes, JSON, and errors as one line."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qualcode import QualcodeError

from ._build import AgreementProject, add_memo, build

TEXT1 = "".join(chr(ord("a") + i % 26) for i in range(100))
TEXT2 = "The quick brown fox jumps over the lazy dog. " * 2  # 90 characters
TEXT3 = "Nobody coded this twice." * 2


@pytest.fixture
def study(tmp_path):
    codings = [
        ("one", "Care", "anna", 0, 50), ("one", "Care", "ben", 25, 75),
        ("one", "Diet", "anna", 80, 90), ("one", "Diet", "ben", 80, 90),
        ("two", "Diet", "anna", 0, 20), ("two", "Care", "ben", 40, 45),
        ("three", "Care", "anna", 0, 10),  # only anna coded "three"
        ("one", "Work", "carl", 0, 100),
    ]
    path = build(tmp_path / "study.qualcode", {"one": TEXT1, "two": TEXT2, "three": TEXT3},
                 codings, turns={"one": [(0, 50), (50, 100)], "two": [(0, 45), (45, 90)]},
                 codes=[("Health", None), ("Care", "Health"), ("Diet", "Health"), ("Work", None)],
                 coders=["dora"])
    add_memo(path, "anna", "anna's memo")
    add_memo(path, "ben", "ben's memo")
    return path


def test_agreement_over_shared_transcripts(study):
    with AgreementProject.open(study) as project:
        r = project.agreement.report(["anna", "ben"])
    assert r.transcripts == ("one", "two")
    by_code = {c.code: c for c in r.codes}
    assert set(by_code) == {"Care", "Diet"}
    # Care: one (100 chars): both 25, only anna 25, only ben 25, neither 25;
    #       two (90 chars): only ben 5, neither 85.
    assert by_code["Care"].table == {"both": 25, "only_first": 25, "only_second": 30,
                                        "neither": 110}
    assert by_code["Care"].units == 190
    # Diet: one: both 10, neither 90; two: only anna 20, neither 70.
    assert by_code["Diet"].table == {"both": 10, "only_first": 20, "only_second": 0,
                                        "neither": 160}
    overall = r.overall
    assert overall.units == 380 and overall.table["both"] == 35
    assert overall.percent_agreement == pytest.approx(100 * (35 + 270) / 380)


def test_code_category_transcript_and_units(study):
    with AgreementProject.open(study) as project:
        only = project.agreement.report(["anna", "ben"], code="Diet")
        assert [c.code for c in only.codes] == ["Diet"]
        assert only.codes[0].units == 190
        category = project.agreement.report(["anna", "ben"], category="Health")
        assert {c.code for c in category.codes} == {"Care", "Diet"}
        one = project.agreement.report(["anna", "ben"], transcripts=["one"], unit="turn")
        assert one.transcripts == ("one",)
        care = {c.code: c for c in one.codes}["Care"]
        # anna's 0-50 ends where turn 2 starts (ends are exclusive); ben's 25-75 spans both.
        assert care.table == {"both": 1, "only_first": 0, "only_second": 1, "neither": 0}
        seg = project.agreement.report(["anna", "ben"], unit="segment", min_overlap=0.5)
        assert seg.overall.table == {"matched": 2, "only_first": 1, "only_second": 1}
        assert seg.note
        # A code asked for but unused by either coder: reported, chance-corrected
        # measures undefined (every unit is "not coded" by both).
        unused = project.agreement.report(["anna", "ben"], code="Work").codes[0]
        assert unused.percent_agreement == 100.0
        assert unused.kappa is None and unused.alpha is None
        with pytest.raises(QualcodeError):
            project.agreement.report(["anna", "ben"], code="Care", category="Health")


def test_three_coders_alpha_with_missing(study):
    with AgreementProject.open(study) as project:
        r = project.agreement.report(["anna", "ben", "carl"])
    assert r.transcripts == ("one", "two")
    assert {c.code for c in r.codes} == {"Care", "Diet", "Work"}
    assert all(c.kappa is None for c in r.codes)
    assert r.overall.alpha is not None


def test_disagreements_with_text(study):
    with AgreementProject.open(study) as project:
        rows = project.agreement.disagreements(["anna", "ben"])
    assert [(r.transcript, r.code, r.start, r.end, r.coded_by) for r in rows] == [
        ("one", "Care", 0, 25, ("anna",)), ("one", "Care", 50, 75, ("ben",)),
        ("two", "Diet", 0, 20, ("anna",)), ("two", "Care", 40, 45, ("ben",))]
    assert rows[0].text == TEXT1[0:25]
    assert rows[2].text == TEXT2[0:20]


@pytest.mark.parametrize("coders, message", [
    (["anna", "zed"], "no coder named 'zed'"),
    (["anna"], "at least two coders"),
    (["anna", "anna"], "named twice"),
    (["anna", "dora"], "no transcript coded by at least two"),
])
def test_errors(study, coders, message):
    with AgreementProject.open(study) as project, pytest.raises(QualcodeError, match=message):
        project.agreement.report(coders)


# --- CLI ------------------------------------------------------------------------------

def test_cli_agree_table_and_json(study, run_cli):
    result = run_cli("-p", study, "agree", "--coders", "anna", "ben")
    assert result.exit_code == 0, result.output
    assert "Care" in result.output and "kappa" in result.output
    result = run_cli("-p", study, "agree", "--coders", "anna", "ben", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["coders"] == ["anna", "ben"] and data["overall"]["units"] == 380
    result = run_cli("agree", "-p", study, "--coders", "anna,ben", "--unit", "turn",
                     "--transcript", "one", "two", "--json", "--disagreements")
    data = json.loads(result.output)
    assert data["unit"] == "turn" and data["disagreements"]
    result = run_cli("agree", "-p", study, "--coders", "anna", "--coders", "ben", "carl",
                     "--unit", "segment", "--disagreements")
    assert result.exit_code == 0 and "disagreements" in result.output


@pytest.mark.parametrize("args, message", [
    (["--coders", "anna", "zed"], "no coder named 'zed'"),
    (["--coders", "anna"], "at least two coders"),
    (["--coders", "anna", "dora"], "no transcript coded by at least two"),
    (["--coders", "anna", "ben", "--transcript", "nope"], "no transcript named 'nope'"),
    (["--coders", "anna", "ben", "--code", "Nope"], "no code named 'Nope'"),
])
def test_cli_errors_are_one_line_with_exit_code_1(study, run_cli, args, message):
    result = run_cli("-p", study, "agree", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_cli_usage_errors_exit_2(study, run_cli):
    assert run_cli("-p", study, "agree").exit_code == 2
    assert run_cli("-p", study, "agree", "--coders", "a", "b", "--unit", "word").exit_code == 2
    assert run_cli("-p", study, "agree", "--coders", "a", "b", "--min-overlap", "2").exit_code == 2


# --- blind coding ---------------------------------------------------------------------

def _counts(path):
    conn = sqlite3.connect(path)
    try:
        return {
            "codings": dict(conn.execute(
                "SELECT d.name, count(*) FROM codings c JOIN coders d ON d.id = c.coder_id "
                "GROUP BY d.name").fetchall()),
            "memos": [r[0] for r in conn.execute("SELECT title FROM memos ORDER BY title")],
            "events": conn.execute("SELECT count(*) FROM event_changes").fetchone()[0]
            + conn.execute("SELECT count(*) FROM events").fetchone()[0],
            "transcripts": conn.execute("SELECT count(*) FROM transcripts").fetchone()[0],
            "codes": conn.execute("SELECT count(*) FROM codes").fetchone()[0],
            "meta": dict(conn.execute("SELECT key, value FROM meta").fetchall()),
            "default_coder": conn.execute(
                "SELECT value FROM settings WHERE key = 'default_coder'").fetchone(),
        }
    finally:
        conn.close()


def test_export_for_coder(study, tmp_path, monkeypatch):
    dest = tmp_path / "ben.qualcode"
    before = _counts(study)
    with AgreementProject.open(study) as project:
        report = project.agreement.export_for_coder("ben", dest)
    assert report.codings_kept == 3 and report.codings_left_out == 5
    assert report.memos_left_out == 1
    after = _counts(dest)
    assert after["codings"] == {"ben": 3}
    assert after["memos"] == ["ben's memo"]
    assert after["events"] == 0  # no history to undo others' codings back from
    assert after["transcripts"] == 3 and after["codes"] == before["codes"]
    assert after["meta"]["blind_copy_for"] == "ben"
    assert after["meta"]["project_guid"] == before["meta"]["project_guid"]
    assert after["default_coder"] == ("ben",)
    # Nothing of the removed codings survives in free pages.
    assert b"anna's memo" not in dest.read_bytes()
    # The original is untouched (apart from a log entry of the export).
    assert _counts(study)["codings"] == before["codings"]
    monkeypatch.delenv("QUALCODE_CODER")
    with AgreementProject.open(dest) as copy:
        assert copy.coder == "ben"
        assert copy.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert copy.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert {t.name for t in copy.transcripts.all()} == {"one", "two", "three"}


def test_export_for_a_new_coder_and_refusals(study, tmp_path):
    with AgreementProject.open(study) as project:
        report = project.agreement.export_for_coder("erin", tmp_path / "erin.qualcode")
        assert report.codings_kept == 0
        with pytest.raises(QualcodeError, match="already exists"):
            project.agreement.export_for_coder("erin", tmp_path / "erin.qualcode")
        with pytest.raises(QualcodeError, match=".qualcode"):
            project.agreement.export_for_coder("erin", tmp_path / "erin.db")
        with pytest.raises(QualcodeError, match="does not exist"):
            project.agreement.export_for_coder("erin", tmp_path / "no" / "erin.qualcode")
    assert _counts(tmp_path / "erin.qualcode")["codings"] == {}


def test_cli_export_for_coder(study, tmp_path, run_cli):
    dest = tmp_path / "anna.qualcode"
    result = run_cli("-p", study, "export-for-coder", "anna", "-o", dest)
    assert result.exit_code == 0, result.output
    assert "anna" in result.output and dest.exists()
    result = run_cli("-p", study, "export-for-coder", "anna", "-o", dest)
    assert result.exit_code == 1 and "already exists" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = run_cli("-p", dest, "agree", "--coders", "anna", "ben")
    assert result.exit_code == 1 and "no transcript coded by at least two" in result.output
