"""Study facts (COREQ items the data cannot tell) and time points per wave and role:
set from the API, the CLI and a YAML study file, undone, and carried by REFI-QDA."""

from __future__ import annotations

import json

import pytest

from qualcode import Project, QualcodeError
from qualcode.records.study import Interviewer, StudyFacts
from qualcode.study.facts import described_time_point, time_point


@pytest.fixture
def study(project):
    project.study.add_wave("W1", description="Baseline (clients) and service start-up (managers)")
    project.study.add_wave("W2")
    return project


def test_time_point_per_role(study):
    w1 = study.study.wave("W1")
    assert time_point(w1, "client") == "Baseline"
    assert time_point(w1, "manager") == "Service start-up"
    assert time_point(w1, "health_trainer") == "W1"       # the description does not say
    study.study.set_time_point("W1", "Start-up", role="health_trainer")
    study.study.set_time_point("W2", "Six months")
    assert study.study.time_point("W1", "health_trainer") == "Start-up"
    assert study.study.time_point("W2", "anyone") == "Six months"
    assert study.study.waves()[0].time_points == {"health_trainer": "Start-up"}
    study.undo()
    assert study.study.time_points() == {"W1": {"health_trainer": "Start-up"}}
    study.study.set_time_point("W1", "", role="health_trainer")   # removed
    assert study.study.time_points() == {}
    with pytest.raises(QualcodeError, match="no wave labelled 'W9'"):
        study.study.set_time_point("W9", "x")


def test_described_time_points():
    text = "Twelve months (clients) and follow-up (managers, commissioners)"
    assert described_time_point(text, "commissioner") == "Follow-up"
    assert described_time_point("Baseline (clients) and start-up", "manager") == "Start-up"
    assert described_time_point("Six months; in person", "client") == "Six months"
    assert described_time_point(None, "client") is None


def test_facts_and_interviewers(study):
    study.study.set_study_facts({"setting": "Homes", "recording": "Audio"})
    study.study.set_interviewer("anna", credentials="MSc", gender="Woman")
    study.study.set_interviewer("anna", gender=None, occupation="Researcher")
    facts = study.study.study_facts()
    assert facts.facts == {"setting": "Homes", "recording": "Audio"}
    assert facts.interviewers == (Interviewer("anna", credentials="MSc", occupation="Researcher"),)
    with pytest.raises(QualcodeError, match="'colour' is not a study fact"):
        study.study.set_study_facts({"colour": "blue"})
    with pytest.raises(QualcodeError, match="'shoe' is not an interviewer field"):
        study.study.set_interviewer("ben", shoe="9")
    study.undo()                                             # the change of anna
    assert study.study.study_facts().interviewers[0].gender == "Woman"
    study.study.remove_interviewer("anna")
    assert study.study.study_facts().interviewers == ()


def test_study_file(study, tmp_path):
    (tmp_path / "t.txt").write_text("I: Hi.\nR: Hello.\nI: Bye.\nR: Bye.\n", encoding="utf-8")
    study.study.add_participant("P1")
    study.transcripts.import_transcript(tmp_path / "t.txt", participant="P1", wave="W1")
    path = tmp_path / "study.yaml"
    path.write_text("facts:\n  sampling: Purposive\ninterviewers:\n  - {name: ben, credentials: PhD}\n"
                    "time_points:\n  W2: {client: Six months, '*': Mid-point}\n"
                    "durations:\n  t: 42\n", encoding="utf-8")
    study.study.load_study_file(path)
    assert study.study.study_facts() == StudyFacts({"sampling": "Purposive"}, (Interviewer("ben", credentials="PhD"),))
    assert study.study.time_points() == {"W2": {"client": "Six months", "*": "Mid-point"}}
    assert study.study.time_point("W2", "manager") == "Mid-point"
    assert study.study.durations() == {"t": 42.0}
    for body, message in (("- a list\n", "a mapping"), ("facts: {colour: x}\n", "'colour' is not a study fact"),
                          ("time_points: {W7: {a: b}}\n", "no wave labelled 'W7'"),
                          ("durations: {t: -3}\n", "not a number of minutes"),
                          ("extra: 1\n", "unknown section 'extra'"), ("facts: [\n", "not valid YAML")):
        path.write_text(body, encoding="utf-8")
        with pytest.raises(QualcodeError, match=message):
            study.study.load_study_file(path)
    assert study.study.study_facts().facts == {"sampling": "Purposive"}    # nothing half-loaded


def test_cli(project_path, run_cli, tmp_path):
    run = lambda *a: run_cli("-p", project_path, *a)
    assert run("wave", "add", "W1").exit_code == 0
    assert run("study", "set", "setting=Community centres", "approach=By letter").exit_code == 0
    assert run("study", "interviewer", "anna", "--credentials", "MSc", "--known", "A researcher").exit_code == 0
    assert run("wave", "time-point", "W1", "Service start-up", "--role", "manager").exit_code == 0
    shown = json.loads(run("study", "show", "--json").stdout)
    assert shown["facts"] == {"setting": "Community centres", "approach": "By letter"}
    assert shown["interviewers"] == [{"name": "anna", "credentials": "MSc",
                                      "known_to_participants": "A researcher"}]
    assert shown["time_points"] == {"W1": {"manager": "Service start-up"}}
    result = run("study", "set", "nope=1")
    assert result.exit_code == 1 and "'nope' is not a study fact" in result.stderr


def test_refi_carries_study_facts_and_time_points(study, tmp_path):
    study.study.set_study_facts({"setting": "Homes", "field_notes": "After each interview"})
    study.study.set_interviewer("anna", credentials="MSc", relationship="None before the study")
    study.study.set_time_point("W1", "Start-up", role="health_trainer")
    from qualcode.exchange.service import import_refi

    study.exchange.export_refi(tmp_path / "s.qdpx")
    import_refi(tmp_path / "s.qdpx", tmp_path / "back.qualcode")
    with Project.open(tmp_path / "back.qualcode") as back:
        assert back.study.study_facts() == study.study.study_facts()
        assert back.study.time_points() == {"W1": {"health_trainer": "Start-up"}}
        assert not [m for m in back.memos.all() if "study facts" in m.body]
