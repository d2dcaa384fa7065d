"""Errors point into the query; named sets are saved, refreshed, undone and deleted;
the command's output forms."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import NotFoundError, QueryError


@pytest.mark.parametrize(("query", "position", "words"), [
    ('"Money worries" AND', 19, "expected a code name"),
    ("Isolaton OR Relapse", 0, "did you mean 'Isolation'"),
    ("Isolation wave W3", 10, "expected an operator"),
    ("(Isolation OR Relapse", 21, "expected ')'"),
    ("Isolation NEAR/2 paragraphs Relapse", 17, "'sentences' or 'turns'"),
    ("Isolation NEAR Relapse", 10, "NEAR/N"),
    ("Isolation AND Relapse WITHIN paragraph", 29, "turn, sentence, transcript, participant-wave"),
    ("Isolation OVERLAPS Relapse WITHIN turn", 27, "WITHIN follows AND or NOT"),
    ('Isolation AND "Relapse', 14, "never closed"),
    ("Isolation)", 9, "closes no '('"),
    ("AND Relapse", 0, "expected a code name"),
    ("", 0, "empty"),
    # Filters: the shared language reads them and checks names against the project.
    ("Isolation Relapse:", 18, "expected a value"),
    ("Isolation agee>=50", 10, "no attribute 'agee'"),
    ("Isolation wave:W9", 15, "no wave 'W9'"),
    ("Isolation coder:anne", 16, "no coder 'anne'"),
])
def test_errors_name_what_was_expected_and_where(qp, query, position, words):
    with pytest.raises(QueryError) as caught:
        qp.query.run(query)
    assert caught.value.position == position
    assert words in str(caught.value)


def test_code_names_match_without_regard_to_case_and_quotes_allow_spaces(qp):
    assert qp.query.run("isolation").totals["passages"] == 3
    assert qp.query.run("'Money worries'").totals["passages"] == 5
    assert qp.query.run("isolation and relapse within transcript").totals["passages"] == 6


def test_cli_error_shows_a_caret_under_the_position(query_project_file):
    result = CliRunner().invoke(cli, ["-p", str(query_project_file), "query", '"Money worries" AND'])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "expected a code name" in lines[0] and "(at 20: end of text)" in lines[0]
    assert lines[1] == '  "Money worries" AND'
    assert lines[2] == "  " + " " * 19 + "^"


def test_empty_result(qp, tmp_path):
    result = qp.query.run('"Money worries" AND Relapse')
    assert result.passages == () and result.totals["passages"] == 0
    assert qp.query.counts('"Money worries" AND Relapse', "wave") == []


def test_sets_save_show_refresh_undo_delete(qp):
    saved = qp.query.save_set("isolated", 'Isolation NOT "Peer support"')
    assert (saved.name, saved.query, saved.passages) == ("isolated", 'Isolation NOT "Peer support"', 2)
    assert [p.text for p in qp.query.set_passages("isolated")] == ["I feel alone.", "I stay in."]
    assert [p.participant for p in qp.query.set_passages("isolated")] == ["P1", "P2"]
    # The set keeps what the query returned then; refresh runs it again.
    qp.coder = "anna"
    qp.coding.apply_spans([("P2_W1", "Peer support", *_span(qp, "P2_W1", "I stay in."))], summary="more")
    assert qp.query.get_set("isolated").passages == 2
    assert qp.query.refresh_set("isolated").passages == 1
    qp.undo()                       # the refresh
    assert qp.query.get_set("isolated").passages == 2
    qp.query.delete_set("isolated")
    assert qp.query.list_sets() == []
    qp.undo()
    assert [s.name for s in qp.query.list_sets()] == ["isolated"]
    with pytest.raises(NotFoundError):
        qp.query.get_set("nothing")


def _span(project, transcript, sentence):
    text = project.transcripts.get(transcript).text
    start = text.index(sentence)
    return start, start + len(sentence)


def test_a_bad_query_saves_nothing(query_project_file, tmp_path):
    before = query_project_file.read_bytes()
    result = CliRunner().invoke(cli, ["-p", str(query_project_file), "query", "Isolaton", "--save", "x"])
    assert result.exit_code == 1 and "did you mean" in result.output
    assert query_project_file.read_bytes() == before


def test_cli_outputs(qp, tmp_path):
    path = str(qp.path)
    qp.close()
    runner = CliRunner()
    out = runner.invoke(cli, ["-p", path, "query", '"Money worries"', "--count-by", "participant-wave", "--json"])
    assert json.loads(out.output)["rows"] == [
        {"participant": "P1", "wave": "W1", "passages": 2},
        {"participant": "P1", "wave": "W2", "passages": 2},
        {"participant": "P2", "wave": "W1", "passages": 1}]
    target = tmp_path / "iso.csv"
    assert runner.invoke(cli, ["-p", path, "query", "Isolation", "-o", str(target)]).exit_code == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["participant"], r["wave"], r["speaker"], r["coders"], r["text"]) for r in rows] == [
        ("P1", "W1", "R", "anna", "I feel alone."), ("P1", "W2", "R", "anna", "Nobody calls me."),
        ("P2", "W1", "C05", "ben", "I stay in.")]
    xlsx = tmp_path / "iso.xlsx"
    assert runner.invoke(cli, ["-p", path, "query", "Isolation", "-o", str(xlsx)]).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["Passages"]
    assert [c.value for c in sheet[1]][:2] == ["transcript", "turn"] and sheet.max_row == 4
    saved = runner.invoke(cli, ["-p", path, "query", "Relapse", "--save", "relapse", "--json"])
    assert json.loads(saved.stdout)["totals"]["passages"] == 3
    listed = runner.invoke(cli, ["-p", path, "sets", "list", "--json"])
    assert [(s["name"], s["passages"]) for s in json.loads(listed.output)] == [("relapse", 3)]
    shown = json.loads(runner.invoke(cli, ["-p", path, "sets", "show", "relapse", "--json"]).output)
    assert [p["text"] for p in shown["passages"]] == ["I drink more.", "I lapsed twice.", "I use again."]
    assert runner.invoke(cli, ["-p", path, "sets", "delete", "relapse"]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["-p", path, "sets", "list", "--json"]).output) == []
