"""The attribute commands and --where/--by on the analysis commands, on the typed
longitudinal project of test_where_by.py (the counts are worked out there)."""

from __future__ import annotations

import json
import shutil

from tests.conftest import file_digest

from .test_where_by import typed_path  # noqa: F401 (the module fixture)


def j(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_attribute_list_and_summary(run_cli, typed_path):  # noqa: F811
    p = typed_path
    rows = {r["key"]: r for r in j(run_cli("attribute", "list", "-p", p, "--json"))}
    assert rows["age"] == {"key": "age", "kind": "number", "recorded": "fixed", "participants": 3,
                           "values": ["9", "10", "50"]}
    assert rows["employment"]["recorded"] == "per wave"
    assert rows["employment"]["values"] == ["unemployed", "part-time", "full-time"]
    assert rows["sex"]["participants"] == 2
    age = j(run_cli("attribute", "summary", "age", "-p", p, "--json"))
    assert age["groups"] == [{"wave": None, "n": 3, "min": "9", "median": "10", "max": "50"}]
    job = j(run_cli("attribute", "summary", "employment", "-p", p, "--json"))
    assert [(g["wave"], g["n"], g["counts"]) for g in job["groups"]] == [
        ("W1", 3, {"unemployed": 2, "part-time": 1, "full-time": 0}),
        ("W2", 1, {"unemployed": 0, "part-time": 1, "full-time": 0}),
        ("W3", 2, {"unemployed": 0, "part-time": 1, "full-time": 1})]
    table = run_cli("attribute", "summary", "employment", "-p", p)
    assert table.exit_code == 0 and "unemployed" in table.output and "W3" in table.output
    missing = run_cli("attribute", "summary", "shoe_size", "-p", p)
    assert missing.exit_code == 1 and "shoe_size" in missing.output


def test_declare_checks_every_value_and_writes_nothing_when_one_is_wrong(run_cli, typed_path, tmp_path):  # noqa: F811
    p = tmp_path / "copy.qualcode"
    shutil.copyfile(typed_path, p)
    assert run_cli("participant", "set", "P3", "weight=heavy", "-p", p).exit_code == 0
    assert run_cli("participant", "set", "P1", "weight=61.50", "-p", p).exit_code == 0
    before = file_digest(p)
    bad = run_cli("attribute", "declare", "weight", "--type", "number", "-p", p)
    assert bad.exit_code == 1
    assert "P3" in bad.output and "'heavy' is not a number" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    assert file_digest(p) == before
    assert run_cli("participant", "set", "P3", "weight=70", "-p", p).exit_code == 0
    done = run_cli("attribute", "declare", "weight", "--type", "number", "-p", p)
    assert done.exit_code == 0 and "weight is number" in done.output
    wrong = run_cli("participant", "set", "P2", "employment=retired", "--wave", "W3", "-p", p)
    assert wrong.exit_code == 1 and "'retired' is not one of unemployed, part-time, full-time" in wrong.output
    no_values = run_cli("attribute", "declare", "tenure", "--type", "category", "-p", p)
    assert no_values.exit_code == 1 and "needs its values" in no_values.output


def test_analysis_commands_take_where_and_by(run_cli, typed_path):  # noqa: F811
    p = typed_path
    csv = run_cli("matrix", "-p", p, "--codes", "Constant", "--by", "age", "--format", "csv")
    assert csv.exit_code == 0, csv.output
    assert [line.split(",")[0] for line in csv.output.splitlines()[1:]] == \
        ["9"] * 3 + ["10"] * 3 + ["50"] * 3 + ["(missing)"] * 3
    women = j(run_cli("matrix", "-p", p, "--codes", "Increase", "--where", "sex=F", "--format", "json"))
    assert [r["values"] for r in women["rows"]] == [[1], [1], [2]]
    refused = run_cli("matrix", "-p", p, "--where", "coder:tester")
    assert refused.exit_code == 1 and "counts participants, not codings: it cannot filter by coder" in refused.output
    change = j(run_cli("change", "-p", p, "--code", "Cease", "--where", "age<50", "--json"))
    assert [change["sample"][0]["evidence"][w]["observed"] for w in ("W1", "W2", "W3")] == [2, 1, 2]
    saturation = j(run_cli("saturation", "-p", p, "--by", "age", "--format", "json"))
    assert list(saturation["groups"]) == ["9", "10", "50", "(missing)"]
    only_women = j(run_cli("saturation", "-p", p, "--where", "sex=F", "--format", "json"))
    assert only_women["transcripts"] == 3
    cooc = j(run_cli("cooccur", "-p", p, "--scope", "transcript", "--where", "sex=F", "--json"))
    assert {frozenset((r["code_a"], r["code_b"])) for r in cooc["networks"]} >= {frozenset(("Constant", "Emerge"))}
    assert all(r["n1"] <= 6 and r["n2"] <= 6 for r in cooc["networks"])
    segments = j(run_cli("segments", "-p", p, "--code", "Cease", "--where", "age<=10", "--json"))
    assert [(s["participant"], s["wave"]) for s in segments] == [("P1", "W1"), ("P2", "W1"), ("P1", "W2")]
    grouped = run_cli("segments", "-p", p, "--code", "Constant", "--group", "age")
    assert grouped.exit_code == 0
    titles = [line for line in grouped.output.splitlines() if line.strip().startswith("Constant: age")]
    assert [t.strip() for t in titles] == ["Constant: age 9 (6)", "Constant: age 10 (2)",
                                           "Constant: age 50 (1)", "Constant: age - (1)"]
