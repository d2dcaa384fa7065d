"""--by ATTR on change and cooccur: one result per value of the attribute, in the order
of its declared type, each exactly what --where ATTR=VALUE gives. On the typed project of
test_where_by.py: ages P1 9, P2 10, P3 50 (T1 none); employment per wave, W1: P1 and P2
unemployed, P3 part-time."""

from __future__ import annotations

import json

import pytest

from qualcode import QualcodeError

from .test_where_by import typed, typed_path  # noqa: F401 (the module fixtures)


def test_change_by_a_number_groups_in_numeric_order_and_each_group_is_its_filter(typed):  # noqa: F811
    report = typed.analysis.change_report(by="age")
    # As text "10" < "50" < "9"; declared a number: 9, 10, 50. T1 has no age: no group.
    assert list(report.groups) == ["age=9", "age=10", "age=50"]
    for age in ("9", "10", "50"):
        alone = typed.analysis.change_report(where=[f"age={age}"])
        assert report.groups[f"age={age}"].sample == alone.sample
    # Each group counts only its own participant: P1 (age 9) is the only one observed.
    observed = {s.evidence["W1"].observed for s in report.groups["age=9"].sample}
    assert observed == {1}


def test_change_by_a_per_wave_attribute_needs_its_wave(typed):  # noqa: F811
    with pytest.raises(QualcodeError, match="employment varies by wave: name the wave"):
        typed.analysis.change_report(by="employment")
    report = typed.analysis.change_report(by="W1.employment")
    assert list(report.groups) == ["W1.employment=unemployed", "W1.employment=part-time"]
    unemployed = typed.analysis.change_report(where=["W1.employment=unemployed"])
    assert report.groups["W1.employment=unemployed"].sample == unemployed.sample


def test_cooccur_by_gives_one_network_per_value(typed):  # noqa: F811
    tables = typed.analysis.cooccurrence_tables(scope="turn", by="age")
    assert list(tables) == ["age=9", "age=10", "age=50"]
    for age in ("9", "10", "50"):
        [alone] = typed.analysis.cooccurrence_tables(scope="turn", where=[f"age={age}"]).values()
        assert tables[f"age={age}"] == alone
    with pytest.raises(QualcodeError, match="--per-wave or --by"):
        typed.analysis.cooccurrence_tables(by="age", per_wave=True)


def test_the_cli_prints_and_writes_each_group(run_cli, typed_path, tmp_path):  # noqa: F811
    result = run_cli("cooccur", "--scope", "turn", "--by", "age", "--json", "-p", str(typed_path))
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.output)["networks"]) == ["age=9", "age=10", "age=50"]
    out = tmp_path / "net.graphml"
    result = run_cli("cooccur", "--scope", "turn", "--by", "age", "-o", str(out), "-p", str(typed_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("net_*.graphml")) == [
        "net_age_10.graphml", "net_age_50.graphml", "net_age_9.graphml"]
    result = run_cli("change", "--by", "sex", "--sample", "-p", str(typed_path))
    assert result.exit_code == 0, result.output
    assert "sample, sex=F" in result.output


def test_framework_matrix_cases_by_an_attribute(typed):  # noqa: F811
    result = typed.analysis.framework_matrix(by="age")
    cases = {wave: [row.case for row in sheet] for wave, sheet in result.sheets.items()}
    # W1: P1 (9), P2 (10), P3 (50) interviewed, numeric order. W2: P1 only of the
    # clients (P2 missed, P3 withdrew) and T1, who has no age, in the focus group.
    assert cases["W1"] == ["9", "10", "50"]
    assert cases["W2"] == ["9", "(missing)"]
    # A per-wave attribute is read at each wave: at W1 P1 and P2 were unemployed, P3
    # part-time; at W2 P1 was part-time.
    by_job = typed.analysis.framework_matrix(by="employment")
    assert [row.case for row in by_job.sheets["W1"]] == ["unemployed", "part-time"]
    assert [row.case for row in by_job.sheets["W2"]] == ["part-time", "(missing)"]
