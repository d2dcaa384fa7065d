"""No code path opens a project file (or its -wal, -shm) outside SQLite while a connection
to it exists: a whole TUI session, and every command of the command line, run under the
watch that tests/conftest.py keeps on open() and os.open() (it fails the test at once)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys

import click
from click.testing import CliRunner

from qualcode import Project, open_files
from qualcode.cli import cli

from ..conftest import CODEBOOK, EXAMPLE_DIR, REPO
from ..media.recordings import make_wav, stand_in_player


def leaf_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> set[str]:
    names = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names |= leaf_commands(command, (*prefix, name))
        else:
            names.add(" ".join((*prefix, name)))
    return names


def command_steps(project, tmp) -> list[tuple[str, list[str]]]:
    """Every command once, in an order in which each has what it needs."""
    p = ["-p", str(project)]
    other = tmp / "other.qualcode"
    key = tmp / "key.csv"
    source = tmp / "Z99_W1.txt"
    source.write_text("Interviewer: How did you find the service?\n\nZoe: Through the food bank. "
                      "A woman there had leaflets. I went back the week after.\n\n"
                      "Interviewer: Why?\n\nZoe: She listened. Nobody listens like that.\n",
                      encoding="utf-8")
    corrected = tmp / "Z99_W1-corrected.txt"
    corrected.write_text(source.read_text(encoding="utf-8").replace("food bank", "foodbank"), encoding="utf-8")
    return [
        ("init", ["init", str(tmp / "new.qualcode"), "--title", "New"]),
        ("status", [*p, "status"]),
        ("participant add", [*p, "participant", "add", "Z99", "--role", "client"]),
        ("participant list", [*p, "participant", "list"]),
        ("participant show", [*p, "participant", "show", "Z99"]),
        ("participant set", [*p, "participant", "set", "Z99", "site=North"]),
        ("wave add", [*p, "wave", "add", "W9"]),
        ("wave list", [*p, "wave", "list"]),
        ("attend", [*p, "attend", "Z99", "W9", "missed"]),
        ("wave time-point", [*p, "wave", "time-point", "W9", "Ten years on"]),
        ("study load", [*p, "study", "load", str(EXAMPLE_DIR / "study.yaml")]),
        ("study set", [*p, "study", "set", "software=qualcode"]),
        ("study interviewer", [*p, "study", "interviewer", "Jo", "--occupation", "researcher"]),
        ("study duration", [*p, "study", "duration", "C01_W1", "45"]),
        ("study show", [*p, "study", "show"]),
        ("import", [*p, "import", str(source), "--participant", "Z99", "--wave", "W1",
                    "--speaker-map", "Zoe=Z99"]),
        ("transcript replace", [*p, "transcript", "replace", "Z99_W1", str(corrected)]),
        ("transcript set", [*p, "transcript", "set", "Z99_W1", "--date", "2025-05-01"]),
        ("transcript split-turn", [*p, "transcript", "split-turn", "Z99_W1", "2", "--before", "A woman"]),
        ("transcript join-turns", [*p, "transcript", "join-turns", "Z99_W1", "2"]),
        ("transcript relabel", [*p, "transcript", "relabel", "Z99_W1", "Zoe=Zed"]),
        ("transcript list", [*p, "transcript", "list"]),
        ("transcript show", [*p, "transcript", "show", "Z99_W1"]),
        ("transcript speakers", [*p, "transcript", "speakers", "Z99_W1"]),
        ("transcript media", [*p, "transcript", "media", "C04_W1", str(make_wav(tmp / "C04_W1.wav", 5))]),
        ("transcript player", [*p, "transcript", "player", "mpv"]),  # the stand-in on PATH
        ("transcript play", [*p, "transcript", "play", "C04_W1", "--turn", "2"]),
        ("search", [*p, "search", "food bank"]),
        ("codebook show", [*p, "codebook", "show"]),
        ("codebook save", [*p, "codebook", "save", str(tmp / "book.yaml")]),
        ("codebook load", [*p, "codebook", "load", str(CODEBOOK)]),
        ("codebook export", [*p, "codebook", "export", str(tmp / "book.qdc")]),
        ("code add", [*p, "code", "add", "Guard"]),
        ("code show", [*p, "code", "show", "Guard"]),
        ("code edit", [*p, "code", "edit", "Guard", "--definition", "Watched."]),
        ("code rename", [*p, "code", "rename", "Guard", "Watch"]),
        ("code move", [*p, "code", "move", "Watch", "--under", "Getting to the service"]),
        ("tag", [*p, "tag", "Z99_W1", "--turn", "2", "--code", "Watch"]),
        ("tag", [*p, "tag", "Z99_W1", "--turn", "3", "--code", "Watch"]),
        ("codings", [*p, "codings", "--transcript", "Z99_W1"]),
        ("code split", [*p, "code", "split", "Watch", "Watch two", "--coding", "{last_coding}"]),
        ("code merge", [*p, "code", "merge", "Watch two", "Watch"]),
        ("untag", [*p, "untag", "Z99_W1", "--turn", "3", "--code", "Watch"]),
        ("memo add", [*p, "memo", "add", "--type", "project", "--title", "Plan", "--body", "x"]),
        ("memo list", [*p, "memo", "list"]),
        ("memo show", [*p, "memo", "show", "{last_memo}"]),
        ("memo edit", [*p, "memo", "edit", "{last_memo}", "--body", "y"]),
        ("memo delete", [*p, "memo", "delete", "{last_memo}"]),
        ("summary set", [*p, "summary", "set", "C01", "W1", "Smoking", "A first try."]),
        ("summary show", [*p, "summary", "show", "C01", "W1", "Smoking"]),
        ("summary list", [*p, "summary", "list"]),
        ("summary grid", [*p, "summary", "grid", "--cases", "--layout", "case-time"]),
        ("export summaries", [*p, "export", "summaries", "-o", str(tmp / "grid.xlsx")]),
        ("summary delete", [*p, "summary", "delete", "C01", "W1", "Smoking"]),
        ("picture heatmap", [*p, "picture", "heatmap", "Smoking", "-o", str(tmp / "smoking.svg")]),
        ("picture timeline", [*p, "picture", "timeline", "C01", "-o", str(tmp / "c01.png")]),
        ("segments", [*p, "segments", "--code", "Watch"]),
        ("autocode speaker", [*p, "autocode", "speaker", "Interviewer", "--code", "Watch",
                              "--transcript", "Z99_W1"]),
        ("autocode pattern", [*p, "autocode", "pattern", "food", "--code", "Watch", "--apply"]),
        ("autocode keywords", [*p, "autocode", "keywords", "--code", "Smoking", "--apply"]),
        ("undo", [*p, "undo"]),
        ("redo", [*p, "redo"]),
        ("log", [*p, "log", "--limit", "5"]),
        ("code delete", [*p, "code", "delete", "Watch", "--force"]),
        ("query", [*p, "query", '"Getting to the service" NOT Smoking wave:W1', "--save", "routes"]),
        ("sets list", [*p, "sets", "list"]),
        ("sets show", [*p, "sets", "show", "routes", "-o", str(tmp / "routes.csv")]),
        ("sets refresh", [*p, "sets", "refresh", "routes"]),
        ("matrix", [*p, "matrix", "--set", "routes"]),
        ("change", [*p, "change"]),
        ("compare-waves", [*p, "compare-waves", "W1", "W2"]),
        ("saturation", [*p, "saturation"]),
        ("cooccur", [*p, "cooccur"]),
        ("attendance", [*p, "attendance"]),
        ("describe", [*p, "describe"]),
        ("attribute declare", [*p, "attribute", "declare", "shift", "--type", "category",
                               "--values", "day,night"]),
        ("attribute list", [*p, "attribute", "list"]),
        ("attribute summary", [*p, "attribute", "summary", "age"]),
        ("sets delete", [*p, "sets", "delete", "routes"]),
        ("agree", [*p, "agree", "--coders", "anna", "ben"]),
        ("export docx", [*p, "export", "docx", "-o", str(tmp / "report.docx")]),
        ("export codebook", [*p, "export", "codebook", "-o", str(tmp / "codebook.docx")]),
        ("export matrix", [*p, "export", "matrix", "-o", str(tmp / "matrix.docx")]),
        ("export portraits", [*p, "export", "portraits", "-o", str(tmp / "portraits.docx")]),
        ("export methods", [*p, "export", "methods", "-o", str(tmp / "methods.docx")]),
        ("export segments", [*p, "export", "segments", "-o", str(tmp / "segments.csv")]),
        ("export refi", [*p, "export", "refi", "-o", str(tmp / "study.qdpx")]),
        ("import-refi", ["import-refi", str(tmp / "study.qdpx"), "-o", str(tmp / "from-refi.qualcode")]),
        ("export-for-coder", [*p, "export-for-coder", "ben", "-o", str(other)]),
        ("codebook merge", [*p, "codebook", "merge", str(other)]),
        ("merge", [*p, "merge", str(other)]),
        ("namekey add", [*p, "namekey", "add", "Janet", "Jo"]),
        ("namekey list", [*p, "namekey", "list"]),
        ("namekey export", [*p, "namekey", "export", str(key), "--remove"]),
        ("namekey import", [*p, "namekey", "import", str(key)]),
        ("deidentify", [*p, "deidentify"]),
        ("namekey reidentify", [*p, "namekey", "reidentify", "C01_W1", "--key", str(key)]),
        ("transcript delete", [*p, "transcript", "delete", "Z99_W1", "--force"]),
        ("participant delete", [*p, "participant", "delete", "Z99", "--force"]),
        ("example", ["example", str(tmp / "example.qualcode")]),
        ("who", [*p, "who"]),
        ("backup", [*p, "backup", str(tmp / "nightly.qualcode")]),
        ("access-key add", [*p, "access-key", "add", "ben"]),
        ("access-key list", [*p, "access-key", "list"]),
        ("access-key revoke", [*p, "access-key", "revoke", "ben"]),
        # No key left: refused before listening (the server itself: tests/web).
        ("serve", ["serve", str(project), "--host", "0.0.0.0"]),
        ("tui", ["tui", str(project)]),  # no terminal here: refused, after finding the project
    ]


def test_every_command_runs_under_the_watch(example_project, tmp_path, monkeypatch,
                                            project_files_only_through_sqlite):
    project = tmp_path / "study.qualcode"
    shutil.copy(example_project, project)
    stand_in_player(tmp_path / "bin", "mpv")  # `transcript play` plays through it
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("QUALCODE_PLAYER", raising=False)
    steps = command_steps(project, tmp_path)
    assert {name for name, _ in steps} == leaf_commands(), "give every command a step here"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for name, args in steps:
        with Project.open(project) as p:
            last_coding = max(c.id for c in p.coding.codings())
            memos = p.memos.all()
            last_memo = max((m.id for m in memos), default=0)
        args = [a.format(last_coding=last_coding, last_memo=last_memo) for a in args]
        result = runner.invoke(cli, args, catch_exceptions=False)
        if name == "tui":
            assert result.exit_code == 1 and "needs a terminal" in result.stderr
        elif name == "serve":
            assert result.exit_code == 1 and "without access keys" in result.stderr
        else:
            assert result.exit_code == 0, (name, result.output)
    assert open_files.open_project_files() == []
    assert project_files_only_through_sqlite == []


def test_a_whole_tui_session_runs_under_the_watch(example_project, tmp_path,
                                                  project_files_only_through_sqlite):
    from qualcode.tui.app import make_app
    from qualcode.tui.screens.coding import CodingScreen

    project = tmp_path / "study.qualcode"
    shutil.copy(example_project, project)
    visited: set[str] = set()

    async def session() -> None:
        app = make_app(project, coder="anna")
        app.export_folder = tmp_path
        async with app.run_test(size=(160, 48)) as pilot:

            async def keys(*pressed: str) -> None:
                for key in pressed:
                    await pilot.press(key)
                    visited.add(type(app.screen).__name__)
                await app.workers.wait_for_complete()
                await pilot.pause()

            await pilot.pause()
            assert open_files.open_project_files() == [project.resolve()]  # the watch is armed
            await keys("enter")  # C01_W1 from the home grid
            assert isinstance(app.screen, CodingScreen)
            await keys("]", "s", "c", "1")  # code
            await keys("down", "c", "2")
            await keys("x")  # uncode
            await keys("w", "w", "S")  # split the turn at the cursor, then join it again
            await keys("J")
            # Another program writes: the live refresh re-reads through its worker.
            subprocess.run([sys.executable, "-m", "qualcode", "-p", str(project), "tag", "C01_W1",
                            "--turn", "5", "--code", "Time to talk"], check=True, capture_output=True,
                           cwd=REPO)
            await pilot.pause(1.5)
            await keys("m")
            await keys("ctrl+s")  # a memo on the selection
            await keys("/", *"food", "enter", "n")  # search, next uncoded turn
            await keys("u", "ctrl+r")  # undo, redo
            await keys("f3", "a")  # the codebook; add a code
            await keys(*"Guarded", "enter")
            await keys("f4")  # constant comparison: pick a code
            await keys(*"Trust", "enter", "g", "space", "enter")
            await keys("f5", "ctrl+n")  # memos; a new memo
            await keys(*"Watched memo", "ctrl+s")
            await keys("f6", "enter", "escape")  # the matrix; a cell's summary, left unwritten
            await keys("v")  # the cell's segments
            await keys("f7", "s", "m", "w", "e")  # the network; export GraphML and PNG
            await keys("f2", "p")  # home; a participant
            await keys("question_mark", "escape", "ctrl+p", "escape")
            await keys("ctrl+q")

    asyncio.run(session())
    assert visited >= {"HomeScreen", "CodingScreen", "MemoEditor", "CodebookScreen", "ComparisonScreen",
                       "MemosScreen", "MatrixScreen", "NetworkScreen", "ParticipantScreen", "HelpScreen"}
    assert list(tmp_path.glob("*.graphml")) and list(tmp_path.glob("*.png"))
    assert open_files.open_project_files() == []
    assert project_files_only_through_sqlite == []
    with Project.open(project) as p:
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert "Guarded" in {c.name for c in p.codebook.codes()}
        assert "Watched memo" in {m.title for m in p.memos.all()}
        assert {"turn.split", "turn.join"} <= {e.action for e in p.log()}

