"""Every `qualcode` command in the README's tour runs on the example study."""

from __future__ import annotations

import re
import shlex
import shutil

from click.testing import CliRunner

from qualcode.cli import cli

from .conftest import REPO

# Commands about files the reader brings (their own study, a supervisor's export).
NEEDS_READERS_FILES = ("mystudy", "supervisor.qdpx")


def tour_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("qualcode ") and not any(f in line for f in NEEDS_READERS_FILES):
                commands.append(shlex.split(line)[1:])
    return commands


def test_readme_tour_runs(example_project, tmp_path, monkeypatch):
    commands = tour_commands()
    assert len(commands) >= 25
    project = tmp_path / "example.qualcode"
    shutil.copy(example_project, project)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exports").mkdir()
    env = {"QUALCODE_PROJECT": str(project), "QUALCODE_CODER": "anna"}
    runner = CliRunner()
    for args in commands:
        if "--output" not in args and "-o" not in args and args[:2] == ["export", "docx"]:
            args = [*args, "-o", str(tmp_path / "exports" / "themes.docx")]
        result = runner.invoke(cli, args, env=env, input="")
        assert result.exit_code == 0, (args, result.output, result.exception)
