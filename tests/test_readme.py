"""Every `qualcode` command in the README's tour runs on the example study (here in the
checkout; tests/test_install.py runs the same list from an installed wheel)."""

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
    """The tour's `qualcode ...` lines as argument lists, without the word qualcode."""
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
        result = runner.invoke(cli, args, env=env, input="")
        assert result.exit_code == 0, (args, result.output, result.exception)
    # The tour's export without -o went beside the project.
    assert (tmp_path / "exports" / "example-themes.docx").is_file()
