"""``merge`` treats the other file as untrusted, and a crafted project cannot hang a
command: refused with one line naming the file, this project byte-identical, no backup
left behind, the other file never written (not even migrated), Ctrl-C honoured."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qualcode import Project, QualcodeError
from qualcode.records import MemoLink
from qualcode.store import untrusted

from ..conftest import ctrl_c_as_in_a_terminal, file_digest
from ..team.test_merge import code_as, make_project

FIXTURES = Path(__file__).parents[1] / "fixtures"
RECURSIVE = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r"


def listing(folder: Path) -> dict[str, str]:
    return {p.name: file_digest(p) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def pair(tmp_path):
    """Ours, and their copy with one coding and a memo of their own (in its own folder)."""
    make_project(tmp_path / "ours.qualcode").close()
    (tmp_path / "theirs").mkdir()
    theirs = tmp_path / "theirs" / "ben.qualcode"
    shutil.copy(tmp_path / "ours.qualcode", theirs)
    with Project.open(theirs) as ben:
        code_as(ben, "ben", "GP referral", "My GP sent me after my blood test.")
        ben.memos.add("code", "Routes", "How people come in.", links=[MemoLink("code", "GP referral")])
    return tmp_path / "ours.qualcode", theirs


def craft(path: Path, *statements: str) -> None:
    """Change a closed project file the way a crafted one would be (CHECKs ignored)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def assert_refused(run_cli, ours: Path, theirs: Path, words: str, *extra: str) -> None:
    before, theirs_before = file_digest(ours), listing(theirs.parent)
    result = run_cli("-p", ours, "merge", theirs, *extra)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and theirs.name in lines[0] and words in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert file_digest(ours) == before
    assert not list(ours.parent.glob("*.bak"))
    assert listing(theirs.parent) == theirs_before


CRAFTED = {
    "a coding past the end": ("UPDATE codings SET end = 4611686018427387904", "past the end of transcript"),
    # Rows against the schema's CHECKs: SQLite's own check of the copy finds them first.
    "a negative start": ("UPDATE codings SET start = -5", "CHECK constraint failed in codings"),
    "an end before its start": ("UPDATE codings SET start = 30, end = 10", "CHECK constraint failed"),
    "offsets that are text": ("UPDATE codings SET end = 'far'", "not a whole number"),
    "a code name with control characters": (
        "UPDATE codes SET name = 'GP' || char(27) || ']0;x' || char(7) WHERE name = 'GP referral'",
        "control characters"),
    "a code name of 5,000 characters": (
        "UPDATE codes SET name = printf('%.*c', 5000, 'x') WHERE name = 'Small steps'", "longer than 200"),
    "a malformed code GUID": ("UPDATE codes SET guid = 'not-a-guid' WHERE name = 'Small steps'",
                              "is not well formed"),
    "a malformed coding GUID": ("UPDATE codings SET guid = '{zz}'", "is not well formed"),
    "a memo type outside the CHECK": ("UPDATE memos SET type = 'evil'", "CHECK constraint failed in memos"),
    "keywords that are not a list": ("UPDATE codes SET keywords = '{\"a\": [[[[' WHERE name = 'Small steps'",
                                     "keywords"),
    "a colour that is not a colour": ("UPDATE codes SET colour = 'bold blink' WHERE name = 'Small steps'",
                                      "#rrggbb"),
    "a code tree in a loop": ("UPDATE codes SET parent_id = id WHERE name = 'Routes in'", "deep"),
    "a participant id outside the rules": ("UPDATE participants SET pid = 'P 01; drop'", "participant id"),
    "a coder name with control characters": ("UPDATE coders SET name = 'ben' || char(155) || '2J' "
                                              "WHERE name = 'ben'",
                                              "control characters"),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_crafted_rows_are_refused_before_anything_changes(case, pair, run_cli):
    ours, theirs = pair
    statement, words = CRAFTED[case]
    craft(theirs, statement)
    assert_refused(run_cli, ours, theirs, words)
    assert_refused(run_cli, ours, theirs, words, "--dry-run")


def test_a_codebook_merge_plan_reads_the_other_project_the_same_way(pair, run_cli, tmp_path):
    ours, theirs = pair
    craft(theirs, CRAFTED["a code name with control characters"][0])
    before = file_digest(ours)
    result = run_cli("-p", ours, "codebook", "merge", theirs, "--plan", tmp_path / "plan.yaml")
    assert result.exit_code == 1 and "control characters" in result.stderr
    assert file_digest(ours) == before and not (tmp_path / "plan.yaml").exists()


def test_a_failed_merge_leaves_no_backup(pair, run_cli, monkeypatch):
    """A row the database refuses half-way (a CHECK, a UNIQUE): one line, nothing
    merged, and no backup of the unchanged project left behind."""
    from qualcode.store import memos as store_memos

    def refuse(*args, **kwargs):
        raise sqlite3.IntegrityError("CHECK constraint failed: type IN ('code')")

    monkeypatch.setattr(store_memos, "insert_memo", refuse)
    ours, theirs = pair
    assert_refused(run_cli, ours, theirs, "cannot be merged (CHECK constraint failed")


def test_an_older_schema_file_is_never_migrated_in_place(tmp_path, run_cli):
    ours = tmp_path / "ours.qualcode"
    shutil.copy(FIXTURES / "schema_v4.qualcode", ours)
    (tmp_path / "theirs").mkdir()
    theirs = tmp_path / "theirs" / "old.qualcode"
    shutil.copy(FIXTURES / "schema_v2.qualcode", theirs)
    os.chmod(theirs, 0o444)  # as from a read-only share
    before = listing(theirs.parent)
    for extra in (("--dry-run",), ()):
        result = run_cli("-p", ours, "merge", theirs, *extra)
        assert result.exit_code == 0, result.output
        assert listing(theirs.parent) == before  # no .bak, no -wal, the same bytes


def test_views_and_triggers_in_the_other_file_never_run(pair, run_cli):
    ours, theirs = pair
    craft(theirs,
          f"CREATE VIEW endless AS {RECURSIVE}",
          "CREATE TRIGGER loud AFTER INSERT ON codes BEGIN INSERT INTO codes SELECT * FROM codes; END")
    result = run_cli("-p", ours, "merge", theirs, "--dry-run")
    assert result.exit_code == 0, result.output


def run_briefly(args: list[str], seconds: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qualcode", *args], capture_output=True, text=True,
                          timeout=seconds, env={**os.environ, "QUALCODE_CODER": "tester"})


@pytest.mark.parametrize("table", ["codings", "transcripts", "_sqlite_migrations"])
def test_a_recursive_view_in_place_of_a_table_is_refused_at_once(table, pair):
    ours, theirs = pair
    for path in (ours, theirs):
        craft(path, f'DROP TABLE "{table}"', f'CREATE VIEW "{table}" AS {RECURSIVE}')
    before = file_digest(ours)
    started = time.monotonic()
    status = run_briefly(["-p", str(ours), "status"])
    merge = run_briefly(["-p", str(ours), "merge", str(theirs), "--dry-run"])
    assert time.monotonic() - started < 30
    assert status.returncode == 1 and "is damaged or crafted" in status.stderr
    assert len(status.stderr.strip().splitlines()) == 1 and "Traceback" not in status.stderr
    assert merge.returncode == 1 and len(merge.stderr.strip().splitlines()) == 1
    assert "Traceback" not in merge.stderr
    assert file_digest(ours) == before


def test_merge_refuses_a_fifo_and_itself_by_another_name(pair, run_cli, tmp_path):
    ours, _ = pair
    fifo = tmp_path / "pipe.qualcode"
    os.mkfifo(fifo)
    result = run_cli("-p", ours, "merge", fifo)
    assert result.exit_code == 1 and "not a regular file" in result.stderr
    link = tmp_path / "link.qualcode"
    link.symlink_to(ours)
    result = run_cli("-p", ours, "merge", link)
    assert result.exit_code == 1 and "into itself" in result.stderr


def test_the_time_budget_stops_an_endless_query(pair):
    _, theirs = pair
    with pytest.raises(QualcodeError, match="took more than 1 s to read"):
        with untrusted.open_untrusted_copy(theirs, budget=1.0) as db:
            db.execute(RECURSIVE).fetchall()


def test_ctrl_c_stops_a_long_statement(pair):
    """Python sees Ctrl-C only between its own instructions; a statement that never ends
    (here forced on the project) would hold it off forever without the progress handler."""
    ours, _ = pair
    script = (
        "import sys\n"
        "from qualcode.cli import cli\n"
        "from qualcode.project import Project\n"
        f"Project.status = lambda self: self.db.execute({RECURSIVE!r}).fetchall()\n"
        f"sys.argv = ['qualcode', '-p', {str(ours)!r}, 'status']\n"
        "print('started', flush=True)\n"
        "cli(prog_name='qualcode')\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_as_in_a_terminal)
    try:
        assert process.stdout.readline().strip() == "started"
        time.sleep(1.5)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert err.strip() == "interrupted; nothing half-done was saved"


def test_the_checks_catch_what_a_damaged_file_check_may_not(tmp_path):
    """The rows SQLite's quick_check already refuses (against a CHECK) are refused by the
    merge's own checks too, on an SQLite that does not check CHECKs."""
    from qualcode.team.merge_checks import check_other

    guid = "6a1f0f50-3f0a-4a59-9d0b-0f3f4c1d2e3f"
    transcripts = {"sha": {"name": "t", "length": 100}}
    coding = {"guid": guid, "sha256": "sha", "start": 0, "end": 10, "exemplar": 0, "memo": None,
              "created": "2024-01-01", "code_guid": guid, "coder": "ben"}
    memo = {"guid": guid, "type": "code", "title": "t", "body": "", "created": "x", "links": []}

    def check(coding=coding, memo=memo):
        check_other(tmp_path / "other.qualcode", transcripts=transcripts, ours=transcripts, codes=[],
                    people=[], coders=[], codings=[coding], memos=[memo])

    check()
    for bad, words in (({"start": -5}, "not a whole number"), ({"start": 9, "end": 3}, "starts or before"),
                       ({"end": 101}, "past the end"), ({"exemplar": 7}, "0 or 1")):
        with pytest.raises(QualcodeError, match=words):
            check(coding={**coding, **bad})
    with pytest.raises(QualcodeError, match="is not one of"):
        check(memo={**memo, "type": "evil"})


def test_the_list_of_project_tables_is_the_schema_s(tmp_path):
    with Project.create(tmp_path / "new.qualcode") as project:
        tables = {r[0] for r in project.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == untrusted.PROJECT_TABLES
