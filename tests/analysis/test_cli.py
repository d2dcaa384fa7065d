"""The analysis commands: exit codes, JSON output, files written, errors in one line."""

from __future__ import annotations

import json

import networkx as nx


def j(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_matrix_command(run_cli, longitudinal_path, tmp_path):
    p = longitudinal_path
    data = j(run_cli("matrix", "-p", p, "--codes", "Constant", "--by", "wave", "--format", "json"))
    assert [r["values"] for r in data["rows"]] == [[4], [2], [3]]
    result = run_cli("matrix", "-p", p, "--codes", "Cease", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "participant,wave,status,Cease"
    assert "P2,W2,missed," in lines
    assert run_cli("matrix", "-p", p).exit_code == 0
    out = tmp_path / "m.md"
    assert run_cli("matrix", "-p", p, "--level", "category", "--format", "md", "-o", out).exit_code == 0
    assert "| participant | wave | status | Longitudinal |" in out.read_text()
    frame = j(run_cli("matrix", "-p", p, "--measure", "text", "--by", "site",
                      "--codes", "Surge", "--format", "json"))
    assert frame["sheets"]["W2"][1] == {"case": "B", "cells": ["tfg000"]}
    assert run_cli("matrix", "-p", p, "--measure", "memo", "--by", "site", "--format", "md").exit_code == 0
    bad = run_cli("matrix", "-p", p, "--codes", "Nope")
    assert bad.exit_code == 1 and "no code named 'Nope'" in bad.output


def test_change_and_compare_commands(run_cli, longitudinal_path):
    p = longitudinal_path
    data = j(run_cli("change", "-p", p, "--json"))
    labels = {(r["participant"], r["code"]): r["label"] for r in data["participants"]}
    assert labels[("P1", "Surge")] == "surges" and labels[("P3", "Constant")] == "missing"
    data = j(run_cli("change", "-p", p, "--code", "Cease", "--participant", "P2", "--json"))
    assert [(r["code"], r["label"]) for r in data["participants"]] == [("Cease", "ceases")]
    assert run_cli("change", "-p", p).exit_code == 0
    assert run_cli("change", "-p", p, "--sample").exit_code == 0
    data = j(run_cli("compare-waves", "-p", p, "W1", "W3", "--json"))
    assert {s["code"]: s["label"] for s in data["sample"]}["Emerge"] == "new"
    result = run_cli("compare-waves", "-p", p, "W1", "W3")
    assert result.exit_code == 0 and "not seen at both waves: P3" in result.output
    assert run_cli("compare-waves", "-p", p, "W1", "W7").exit_code == 1


def test_saturation_command(run_cli, longitudinal_path, tmp_path):
    p = longitudinal_path
    data = j(run_cli("saturation", "-p", p, "--format", "json"))
    assert [pt["cumulative"] for pt in data["points"]] == [5, 5, 5, 5, 6, 6, 6]
    result = run_cli("saturation", "-p", p, "--by", "wave")
    assert result.exit_code == 0 and "wave W2" in result.output
    png = tmp_path / "sat.png"
    assert run_cli("saturation", "-p", p, "--by", "wave", "--format", "png", "-o", png).exit_code == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert run_cli("saturation", "-p", p, "--format", "png").exit_code == 1


def test_cooccur_command(run_cli, cooc_path, tmp_path):
    p = cooc_path
    data = j(run_cli("cooccur", "-p", p, "--scope", "transcript", "--min", "2", "--json"))
    assert [(e["code_a"], e["code_b"], e["count"]) for e in data["networks"]] == [("B", "C", 2)]
    data = j(run_cli("cooccur", "-p", p, "--coded-by", "tester", "--measure", "c", "--json"))
    ef = next(e for e in data["networks"] if {e["code_a"], e["code_b"]} == {"E", "F"})
    assert ef["freq_ratio_flag"] is True
    data = j(run_cli("cooccur", "-p", p, "--scope", "turn", "--per-wave", "--json"))
    assert set(data["networks"]) == {"W1", "W2"}
    assert run_cli("cooccur", "-p", p, "--where", "site=A").exit_code == 0
    for ext in ("graphml", "gexf", "json", "csv", "png"):
        out = tmp_path / f"n.{ext}"
        result = run_cli("cooccur", "-p", p, "--scope", "transcript", "-o", out)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert set(nx.read_graphml(tmp_path / "n.graphml").nodes) == set("ABCDEF")
    # per wave as GEXF: one dynamic file, a time slice per wave; as PNG one per wave
    result = run_cli("cooccur", "-p", p, "--per-wave", "-o", tmp_path / "w.gexf")
    assert result.exit_code == 0
    assert (tmp_path / "w.gexf").exists() and not (tmp_path / "w_W1.gexf").exists()
    assert 'mode="dynamic"' in (tmp_path / "w.gexf").read_text(encoding="utf-8")
    assert run_cli("cooccur", "-p", p, "--per-wave", "-o", tmp_path / "w.png").exit_code == 0
    assert (tmp_path / "w_W1.png").exists() and (tmp_path / "w_W2.png").exists()
    bad = run_cli("cooccur", "-p", p, "-o", tmp_path / "n.svg")
    assert bad.exit_code == 1 and "format" in bad.output
    assert run_cli("cooccur", "-p", p, "--wave", "W1", "--per-wave").exit_code == 1


def test_attendance_and_describe_commands(run_cli, longitudinal_path):
    p = longitudinal_path
    data = j(run_cli("attendance", "-p", p, "--json"))
    assert {s["wave"]: s["retained"] for s in data["summary"]} == {"W1": 3, "W2": 1, "W3": 2}
    result = run_cli("attendance", "-p", p)
    assert result.exit_code == 0 and "1/3" in result.output
    data = j(run_cli("describe", "-p", p, "--by", "site", "--json"))
    assert {(r["group"], r["attribute"], r["value"]): r["n"] for r in data["rows"]}[("A", "sex", "F")] == 1
    assert run_cli("describe", "-p", p).exit_code == 0
    assert run_cli("describe", "-p", p, "--by", "wave").exit_code == 0


def test_commands_on_an_empty_project(run_cli, project_path, tmp_path):
    p = project_path
    for args in (["matrix"], ["matrix", "--by", "wave", "--format", "json"], ["change", "--json"],
                 ["saturation", "--format", "json"], ["cooccur", "--json"],
                 ["cooccur", "-o", tmp_path / "empty.png"], ["cooccur", "-o", tmp_path / "e.graphml"],
                 ["attendance", "--json"], ["describe", "--json"]):
        result = run_cli(*args[:1], "-p", p, *args[1:])
        assert result.exit_code == 0, (args, result.output)
    assert run_cli("compare-waves", "-p", p, "W1", "W2").exit_code == 1   # no such waves


def test_framework_one_table_case_study_shape(run_cli, longitudinal_path):
    """Rows: cases and their time points; columns: the dimensions (codes)."""
    result = run_cli("matrix", "-p", longitudinal_path, "--measure", "text", "--by", "site",
                     "--wave", "W1", "--wave", "W3", "--codes", "Cease", "--codes", "Emerge",
                     "--one-table", "--format", "md")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("|")]
    assert lines[0] == "| site | wave | Cease | Emerge |"
    # P1 W1: Cease is word 4; P2 W1: Cease is word 0. Site B is seen only at W1.
    assert lines[2:] == [
        "| A | W1 | wp1w1004 \\| wp2w1000 |  |",
        "| A | W3 |  | wp1w3000 \\| wp1w3001 |",
        "| B | W1 |  |  |",
    ]
    counts = run_cli("matrix", "-p", longitudinal_path, "--wave", "W2", "--codes", "Surge",
                     "--format", "csv")
    assert counts.output.splitlines()[1:] == ["P1,W2,interviewed,3", "P2,W2,missed,",
                                              "P3,W2,withdrawn,", "T1,W2,focus-group,1"]
