"""The typed records the services return, and the one JSON form the CLI prints of them."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import QualcodeError
from qualcode.records import MemoLink, Participant, Wave, json_data


def test_records_are_frozen_and_slotted(project):
    project.study.add_participant("C01", role="client")
    person = project.study.participant("C01")
    assert isinstance(person, Participant)
    with pytest.raises(dataclasses.FrozenInstanceError):
        person.role = "manager"  # type: ignore[misc]
    assert not hasattr(person, "__dict__")


def test_participant_and_wave_json_leave_out_row_ids_and_keep_field_order(project_path, run_cli):
    p = ["-p", project_path]
    run_cli(*p, "wave", "add", "W1", "--start", "2025-03-01", "--description", "Baseline")
    run_cli(*p, "participant", "add", "C01", "--role", "client", "--pseudonym", "Jo", "--attr", "sex=F")
    run_cli(*p, "participant", "set", "C01", "hours=10", "--wave", "W1")
    person = json.loads(run_cli(*p, "participant", "show", "C01", "--json").stdout)
    assert list(person) == ["guid", "pid", "pseudonym", "role", "site", "attributes", "wave_attributes"]
    assert {k: v for k, v in person.items() if k != "guid"} == {
        "pid": "C01", "pseudonym": "Jo", "role": "client", "site": None, "attributes": {"sex": "F"},
        "wave_attributes": {"W1": {"hours": "10"}}}
    [wave] = json.loads(run_cli(*p, "wave", "list", "--json").stdout)
    assert {k: v for k, v in wave.items() if k != "guid"} == {
        "label": "W1", "ordinal": 1, "start_date": "2025-03-01", "end_date": None,
        "description": "Baseline", "time_points": {}}


def test_json_data_by_hand():
    wave = Wave(id=7, guid="g", label="W1", ordinal=1, time_points={"*": "Baseline"})
    nested = {"waves": (wave,), 3: [wave.label]}
    assert json_data(nested) == {"waves": [{"guid": "g", "label": "W1", "ordinal": 1, "start_date": None,
                                            "end_date": None, "description": None,
                                            "time_points": {"*": "Baseline"}}],
                                 "3": ["W1"]}


def test_log_json_is_the_events_fields(project_path, run_cli):
    p = ["-p", project_path]
    run_cli(*p, "wave", "add", "W1")
    [event] = json.loads(run_cli(*p, "log", "--json").stdout)
    assert list(event) == ["id", "ts", "coder", "action", "summary", "status", "undoable",
                           "target_event_id", "details"]
    assert (event["action"], event["summary"], event["status"]) == ("wave.add", "added wave W1", "done")


@pytest.mark.parametrize("text, link", [
    ("code:Trust and rapport", MemoLink("code", "Trust and rapport")),
    (" wave : W1 ", MemoLink("wave", "W1")),
    ("coding:12", MemoLink("coding", "12")),
    ("transcript:a:b", MemoLink("transcript", "a:b")),  # the first colon separates
])
def test_memo_link_parse(text, link):
    assert MemoLink.parse(text) == link
    assert str(link) == f"{link.kind}:{link.target}"


@pytest.mark.parametrize("text", ["Trust", "code:", "code:   "])
def test_memo_link_parse_refuses_text_without_a_target(text):
    with pytest.raises(QualcodeError, match="not KIND:TARGET"):
        MemoLink.parse(text)


def test_memos_take_links_not_strings(project):
    with pytest.raises(TypeError, match="MemoLink.parse"):
        project.memos.add("code", "t", links=["code:Trust"])  # type: ignore[list-item]


def test_memo_json_and_the_cli_parsing_links(project_path, run_cli):
    p = ["-p", project_path]
    run_cli(*p, "participant", "add", "P01")
    run_cli(*p, "wave", "add", "W1")
    result = run_cli(*p, "memo", "add", "--type", "participant", "--title", "About P01", "--body", "Moved.",
                     "--link", "participant:P01", "--link", "wave:W1")
    assert result.exit_code == 0, result.output
    [memo] = json.loads(run_cli(*p, "memo", "list", "--link", "wave:W1", "--json").stdout)
    assert list(memo) == ["id", "guid", "type", "title", "body", "author", "created", "updated", "links"]
    assert (memo["id"], memo["type"], memo["title"], memo["body"]) == (1, "participant", "About P01", "Moved.")
    assert memo["links"] == [{"kind": "participant", "target": "P01"}, {"kind": "wave", "target": "W1"}]
    bad = CliRunner().invoke(cli, [*map(str, p), "memo", "list", "--link", "W1"])
    assert bad.exit_code != 0 and "not KIND:TARGET" in bad.output
