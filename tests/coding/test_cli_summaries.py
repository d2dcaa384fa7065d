"""`qualcode summary`: set (argument, file, standard input), show, list, delete, grid."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcode import Project
from qualcode.cli import cli
from qualcode.model import Target

from ..conftest import file_digest


@pytest.fixture
def cli_project(study_path):
    with Project.open(study_path) as project:
        project.codebook.add_code("Trust")
        project.codebook.add_code("Loss")
        [coding] = project.coding.tag("p01_w1", "Trust", Target(turn=2))
    return study_path, coding.id


def test_set_show_list_delete(run_cli, cli_project, tmp_path):
    path, coding_id = cli_project
    result = run_cli("-p", path, "summary", "set", "P01", "W1", "Trust", "Trusts Sam.", "--cite", coding_id)
    assert result.exit_code == 0 and "written (1 citations)" in result.output
    text = tmp_path / "loss.txt"
    text.write_text("Let down when the trainer left.\n", encoding="utf-8")
    assert run_cli("-p", path, "summary", "set", "P02", "W2", "Loss", "--file", text).exit_code == 0
    result = CliRunner().invoke(cli, ["-p", str(path), "summary", "set", "Northgate", "W1", "Funding", "-",
                                      "--case", "--dimension"], input="Public health money.\n")
    assert result.exit_code == 0, result.output
    shown = run_cli("-p", path, "summary", "show", "P01", "W1", "Trust")
    assert "Trusts Sam." in shown.output and f"cites #{coding_id} p01_w1" in shown.output
    listed = json.loads(run_cli("-p", path, "summary", "list", "--json").output)
    assert [(s["row"], s["wave"], s["theme"], s["body"]) for s in listed] == [
        ("Northgate", "W1", "Funding", "Public health money."),
        ("P01", "W1", "Trust", "Trusts Sam."),
        ("P02", "W2", "Loss", "Let down when the trainer left."),
    ]
    assert "id" not in listed[0]  # row ids stay inside the file
    assert run_cli("-p", path, "summary", "delete", "P02", "W2", "Loss").exit_code == 0
    assert len(json.loads(run_cli("-p", path, "summary", "list", "--json").output)) == 2


def test_grid_layouts(run_cli, cli_project):
    path, _ = cli_project
    for row, wave, theme, body in [("P01", "W1", "Trust", "T1"), ("P01", "W2", "Trust", "T2"),
                                   ("P01", "W2", "Loss", "L2"), ("P02", "W2", "Loss", "M2")]:
        run_cli("-p", path, "summary", "set", row, wave, theme, body)
    grid = json.loads(run_cli("-p", path, "summary", "grid", "--json").output)
    assert (grid["rows"], grid["waves"], grid["themes"]) == (["P01", "P02"], ["W1", "W2"], ["Trust", "Loss"])
    themed = run_cli("-p", path, "summary", "grid").output
    assert themed.index("Trust") < themed.index("Loss") and "M2" in themed
    trajectory = run_cli("-p", path, "summary", "grid", "--layout", "trajectory", "--row", "P01").output
    assert "P01: trajectory" in trajectory and "M2" not in trajectory and "L2" in trajectory
    framework = run_cli("-p", path, "summary", "grid", "--layout", "case-time").output
    assert framework.count("P01") == 2  # one line per participant and wave


def test_errors_are_one_line_and_change_nothing(run_cli, cli_project, tmp_path):
    path, _ = cli_project
    before = file_digest(path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    for args, message in [
        (("P01", "W1", "Nothing", "x"), "no code 'Nothing'"),
        (("P01", "W1", "Trust", "--file", bad), "bad.txt: is not UTF-8 text"),
        (("P01", "W1", "Trust", "--file", tmp_path / "none.txt"), "none.txt: does not exist"),
        (("P01", "W1", "Trust", "x", "--file", bad), "not both"),
        (("P01", "W1", "Trust", "x", "--cite", "1", "--uncite"), "cannot be used together"),
    ]:
        result = run_cli("-p", path, "summary", "set", *args)
        assert result.exit_code == 1 and message in result.output, result.output
        assert result.output.count("\n") == 1
    assert file_digest(path) == before
