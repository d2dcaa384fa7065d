"""A named set as the input of matrix, cooccur and the segment export (--set NAME):
only the codings sharing a character with the set's passages count."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from qualcode import Project
from qualcode.cli import cli


def _saved(path, name, query):
    with Project.open(path) as project:
        project.query.save_set(name, query)


def test_matrix_cooccur_and_segments_take_a_set(qp, tmp_path):
    path = qp.path
    qp.close()
    # Set "lonely": Isolation NOT "Peer support" = a2 (P1 W1) and c2 (P2 W1). Codings
    # sharing a character with them: Isolation a2 (anna) and c2 (ben); nothing else is
    # coded on "I feel alone." or "I stay in." -> matrix: P1 W1 Isolation 1, P2 W1
    # Isolation 1, every other cell 0; no co-occurring pair.
    _saved(path, "lonely", 'Isolation NOT "Peer support"')
    # Set "iso": Isolation = a2, b2, c2; b2 also lies under Peer support's b2+b3 coding
    # -> P1 W2 has Isolation 1 and Peer support 1: one co-occurring pair (count 1).
    _saved(path, "iso", "Isolation")
    runner = CliRunner()
    before = path.read_bytes()
    out = runner.invoke(cli, ["-p", str(path), "matrix", "--set", "lonely", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    columns = data["columns"]
    cells = {tuple(r["labels"]): dict(zip(columns, r["values"])) for r in data["rows"]}
    assert cells[("P1", "W1")] == {"Money worries": 0, "Isolation": 1, "Peer support": 0, "Relapse": 0}
    assert cells[("P2", "W1")] == {"Money worries": 0, "Isolation": 1, "Peer support": 0, "Relapse": 0}
    assert cells[("P1", "W2")] == {"Money worries": 0, "Isolation": 0, "Peer support": 0, "Relapse": 0}
    edges = json.loads(runner.invoke(cli, ["-p", str(path), "cooccur", "--set", "iso", "--json"]).stdout)
    assert [(e["code_a"], e["code_b"], e["count"]) for e in edges["networks"]] == [("Isolation", "Peer support", 1)]
    assert json.loads(runner.invoke(cli, ["-p", str(path), "cooccur", "--set", "lonely", "--json"]).stdout)["networks"] == []
    target = tmp_path / "segments.csv"
    out = runner.invoke(cli, ["-p", str(path), "export", "segments", "--set", "iso", "-o", str(target)])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert sorted((r["code"], r["transcript"], r["text"]) for r in rows) == [
        ("Isolation", "P1_W1", "I feel alone."), ("Isolation", "P1_W2", "Nobody calls me."),
        ("Isolation", "P2_W1", "I stay in."),
        ("Peer support", "P1_W2", "Nobody calls me. The group is good.")]
    # Without --set, everything again; and the project file was never written.
    full = json.loads(runner.invoke(cli, ["-p", str(path), "matrix", "--format", "json"]).stdout)
    assert dict(zip(full["columns"], full["rows"][0]["values"]))["Money worries"] == 2
    assert path.read_bytes() == before
    missing = runner.invoke(cli, ["-p", str(path), "matrix", "--set", "nothing"])
    assert missing.exit_code == 1 and "no set named 'nothing'" in missing.output
