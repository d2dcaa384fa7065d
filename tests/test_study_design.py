"""Participants, waves, attributes, attendance, undo/redo of them, and their CLI."""

from __future__ import annotations

import json

import pytest

from qualcode import QualcodeError

from .conftest import file_digest


def test_participants_with_fixed_and_wave_attributes(project):
    project.study.add_wave("W1")
    project.study.add_wave("W2", start="2025-09-01", end="2025-11-30")
    project.study.add_participant("C01", role="client", site="Northgate", pseudonym="Janet",
                            attributes={"sex": "F", "age_band": "45-54"})
    project.study.set_participant("C01", {"employment": "unemployed"}, wave="W1")
    project.study.set_participant("C01", {"employment": "part-time"}, wave="W2")
    person = project.study.participant("C01")
    assert person.pseudonym == "Janet" and person.site == "Northgate"
    assert person.attributes == {"age_band": "45-54", "sex": "F"}
    assert person.wave_attributes == {
        "W1": {"employment": "unemployed"},
        "W2": {"employment": "part-time"},
    }
    assert [w.label for w in project.study.waves()] == ["W1", "W2"]
    assert [w.ordinal for w in project.study.waves()] == [1, 2]


def test_fixed_field_cannot_vary_by_wave(project):
    project.study.add_wave("W1")
    project.study.add_participant("C01")
    with pytest.raises(QualcodeError, match="fixed"):
        project.study.set_participant("C01", {"role": "client"}, wave="W1")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p: p.study.add_participant("C01"), "already exists"),
        (lambda p: p.study.add_participant("bad id"), "not valid"),
        (lambda p: p.study.set_participant("C99", {"a": "b"}), "no participant"),
        (lambda p: p.study.set_participant("C01", {"a": "b"}, wave="W9"), "no wave"),
        (lambda p: p.study.add_wave("W1"), "already exists"),
        (lambda p: p.study.add_wave("W3", start="March"), "not a date"),
        (lambda p: p.study.add_wave("W3", start="2025-05-01", end="2025-01-01"), "before"),
        (lambda p: p.study.set_attendance("C01", "W1", "absent"), "not one of"),
    ],
)
def test_bad_study_input_changes_nothing(project, call, message):
    project.study.add_wave("W1")
    project.study.add_participant("C01")
    before = project.db.execute("SELECT count(*) FROM events").fetchone()[0]
    snapshot = (project.study.participants(), project.study.waves())
    with pytest.raises(QualcodeError, match=message):
        call(project)
    assert (project.study.participants(), project.study.waves()) == snapshot
    assert project.db.execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_undo_redo_survive_reopening(tmp_path):
    from qualcode import Project

    path = tmp_path / "u.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("C01", attributes={"sex": "F"})
        project.study.set_participant("C01", {"sex": "M"})
    with Project.open(path) as project:
        project.undo()
        assert project.study.participant("C01").attributes == {"sex": "F"}
        project.undo()
        assert project.study.participants() == []
    with Project.open(path) as project:
        project.redo()
        assert project.study.participant("C01").attributes == {"sex": "F"}
        project.redo()
        assert project.study.participant("C01").attributes == {"sex": "M"}
        with pytest.raises(QualcodeError, match="nothing to redo"):
            project.redo()
        actions = [e.action for e in project.log()]
        assert actions[-4:] == ["undo", "undo", "redo", "redo"]


def test_new_action_discards_redo(project):
    project.study.add_participant("C01")
    project.undo()
    project.study.add_participant("C02")
    with pytest.raises(QualcodeError, match="nothing to redo"):
        project.redo()
    assert [p.pid for p in project.study.participants()] == ["C02"]


def test_undo_with_nothing_to_undo(project):
    with pytest.raises(QualcodeError, match="nothing to undo"):
        project.undo()


def test_cli_study_flow(project_path, run_cli):
    p = ["-p", project_path]
    assert run_cli(*p, "wave", "add", "W1", "--start", "2025-03-01").exit_code == 0
    assert run_cli(*p, "wave", "add", "W2").exit_code == 0
    r = run_cli(*p, "participant", "add", "C01", "--role", "client", "--site", "Riverside",
                "--attr", "sex=F", "--attr", "imd_quintile=1")
    assert r.exit_code == 0, r.output
    assert run_cli(*p, "participant", "set", "C01", "employment=none", "--wave", "W2").exit_code == 0
    assert run_cli(*p, "attend", "C01", "W2", "missed", "--note", "in hospital").exit_code == 0
    people = json.loads(run_cli(*p, "participant", "list", "--json").stdout)
    assert people[0]["pid"] == "C01"
    assert people[0]["attributes"] == {"imd_quintile": "1", "sex": "F"}
    assert people[0]["wave_attributes"] == {"W2": {"employment": "none"}}
    waves = json.loads(run_cli(*p, "wave", "list", "--json").stdout)
    assert [(w["label"], w["ordinal"], w["start_date"]) for w in waves] == [
        ("W1", 1, "2025-03-01"), ("W2", 2, None)]
    status = json.loads(run_cli(*p, "status", "--json").stdout)
    assert status["counts"]["participants"] == 1 and status["counts"]["waves"] == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["participant", "add", "C01"], "already exists"),
        (["participant", "set", "C09", "a=b"], "no participant"),
        (["participant", "set", "C01", "a=b", "--wave", "W7"], "no wave"),
        (["participant", "set", "C01", "novalue"], "is not key=value"),
        (["wave", "add", "W1"], "already exists"),
        (["attend", "C01", "W9", "missed"], "no wave"),
    ],
)
def test_cli_errors_are_one_line_and_change_nothing(project_path, run_cli, args, message):
    run_cli("-p", project_path, "wave", "add", "W1")
    run_cli("-p", project_path, "participant", "add", "C01")
    before = file_digest(project_path)
    result = run_cli("-p", project_path, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert file_digest(project_path) == before


def test_cli_finds_project_from_env_and_folder(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("init", "one.qualcode").exit_code == 0
    assert run_cli("status").exit_code == 0  # the only *.qualcode here
    assert run_cli("init", "two.qualcode").exit_code == 0
    result = run_cli("status")
    assert result.exit_code == 1 and "several projects" in result.stderr
    result = run_cli("status", "--json", env={"QUALCODE_PROJECT": str(tmp_path / "two.qualcode")})
    assert json.loads(result.stdout)["path"].endswith("two.qualcode")


def test_cli_not_a_project_file(tmp_path, run_cli):
    bogus = tmp_path / "x.qualcode"
    bogus.write_bytes(b"\x00\x01binary junk")
    result = run_cli("-p", bogus, "status")
    assert result.exit_code == 1
    assert "x.qualcode: is not a qualcode project" in result.stderr


def test_every_command_has_help(run_cli):
    from qualcode.cli import cli

    def walk(group, prefix):
        for name, command in group.commands.items():
            yield [*prefix, name], command
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])

    for path, command in walk(cli, []):
        result = run_cli(*path, "--help")
        assert result.exit_code == 0, path
        assert command.help or command.short_help, f"{' '.join(path)} has no help text"
