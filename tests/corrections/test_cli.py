"""Every correction works from the command line, and `qualcode undo` takes it back."""

from __future__ import annotations

import json

from qualcode import Project

from .conftest import INTERVIEW


def test_corrections_from_the_command_line(coded, run_cli, tmp_path):
    path = coded.path
    coded.close()

    def run(*args):
        result = run_cli("-p", path, *args)
        assert result.exit_code == 0, result.output
        return result

    assert "turn 3 (Nurse)" in run("transcript", "split-turn", "p01_w1", "2", "--before", "She said",
                                   "--speaker", "Nurse").stdout
    assert "turn 2 (P01)" in run("transcript", "join-turns", "p01_w1", "2").stdout
    assert "speakers now Interviewer (3), Pat (3)" in run("transcript", "relabel", "p01_w1", "P01=Pat").stdout
    assert "turn 1 -> Pat" in run("transcript", "relabel", "p01_w1", "--turn", "1=Pat").stdout
    assert "wave=W2" in run("transcript", "set", "p01_w1", "--wave", "W2").stdout
    corrected = tmp_path / "v2.txt"
    corrected.write_text(INTERVIEW.replace("It changed my life really. ", ""), encoding="utf-8")
    replaced = run("transcript", "replace", "p01_w1", corrected)
    assert "1 not placed" in replaced.stdout and "NOT PLACED" in replaced.stdout
    assert "qualcode undo" in replaced.stderr
    again = tmp_path / "v3.txt"
    again.write_text(INTERVIEW.replace("I lost two stone. ", ""), encoding="utf-8")
    report = json.loads(run("transcript", "replace", "p01_w1", again, "--json").stdout)
    assert [c["code"] for c in report["unplaced"]] == []  # nothing coded was lost this time
    assert report["source"] == "v3.txt" and report["turns_after"] == 6
    refused = run_cli("-p", path, "transcript", "delete", "p01_w1")
    assert refused.exit_code == 1
    assert "has 2 coding(s): delete it with --force" in refused.output
    assert "deleted p01_w1" in run("transcript", "delete", "p01_w1", "--force").stdout
    assert "deleted P02: 1 transcript(s), 0 codings" in run("participant", "delete", "P02").stdout
    with Project.open(path) as project:
        actions = [e.action for e in project.log()][-9:]
    assert actions == ["turn.split", "turn.join", "speaker.relabel", "turn.speaker", "transcript.set",
                       "transcript.replace", "transcript.replace", "transcript.delete", "participant.delete"]
    for _ in range(9):
        run("undo")
    with Project.open(path) as project:
        text = project.transcripts.get("p01_w1").text
        assert text == INTERVIEW
        assert [t.speaker for t in project.transcripts.get("p01_w1").turns] == ["Interviewer", "P01"] * 3
        assert len(project.coding.codings()) == 3
        assert [p.pid for p in project.study.participants()] == ["P01", "P02"]
