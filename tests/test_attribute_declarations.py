"""Attribute types declared in a study file, values checked on the way in (manifest,
CLI), and the example study's declared types."""

from __future__ import annotations

import pytest

from qualcode import Project, QualcodeError

from .conftest import file_digest

MANIFEST = """file,participant,wave,role,age,wave:employment
,P1,W1,client,44,unemployed
,P2,W1,client,{age},{job}
"""


def _project(tmp_path) -> Project:
    project = Project.create(tmp_path / "s.qualcode", title="Typed")
    project.coder = "tester"
    project.study.add_wave("W1")
    return project


def test_a_study_file_declares_types_and_checks_stored_values_first(tmp_path):
    with _project(tmp_path) as project:
        project.study.add_participant("P1", attributes={"age": "44.0", "sex": "X"})
        study = tmp_path / "study.yaml"
        study.write_text("attributes:\n  age: number\n  sex: {type: category, values: [F, M]}\n"
                         "facts:\n  refusals: None.\n", encoding="utf-8")
    before = file_digest(tmp_path / "s.qualcode")
    with Project.open(tmp_path / "s.qualcode") as project, \
            pytest.raises(QualcodeError, match=r"study.yaml: cannot declare sex as category: P1: sex 'X' is not one of F, M"):
        project.study.load_study_file(study)
    assert file_digest(tmp_path / "s.qualcode") == before  # not even age, nor the facts
    with Project.open(tmp_path / "s.qualcode") as project:
        project.study.set_participant("P1", {"sex": "F"})
        project.study.load_study_file(study)
        types = project.study.attribute_types()
        assert (types["age"].kind, types["sex"].values) == ("number", ("F", "M"))
        assert project.study.participant("P1").attributes["age"] == "44"  # one spelling
    bad = tmp_path / "bad.yaml"
    bad.write_text("attributes:\n  role: number\n", encoding="utf-8")
    with Project.open(tmp_path / "s.qualcode") as project, pytest.raises(QualcodeError, match="is a field"):
        project.study.load_study_file(bad)


def test_manifest_values_must_fit_the_declared_types(tmp_path):
    with _project(tmp_path) as project:
        project.study.declare_attribute("age", "number")
        project.study.declare_attribute("employment", "category", ["unemployed", "part-time"])
    path = tmp_path / "s.qualcode"
    before = file_digest(path)
    for age, job, column, problem in [("forty", "unemployed", "age", "P2: age 'forty' is not a number"),
                                      ("40", "retired", "wave:employment", "'retired' is not one of")]:
        manifest = tmp_path / "manifest.csv"
        manifest.write_text(MANIFEST.format(age=age, job=job), encoding="utf-8")
        with Project.open(path) as project, pytest.raises(QualcodeError) as caught:
            project.transcripts.import_manifest(manifest)
        assert f"manifest.csv row 3, column {column}: " in str(caught.value)
        assert problem in str(caught.value)
        assert file_digest(path) == before
    manifest.write_text(MANIFEST.format(age="40.0", job="part-time"), encoding="utf-8")
    with Project.open(path) as project:
        project.transcripts.import_manifest(manifest)
        p2 = project.study.participant("P2")
        assert p2.attributes["age"] == "40"
        assert p2.wave_attributes["W1"]["employment"] == "part-time"


def test_the_example_study_declares_its_attribute_types(example_project):
    with Project.open(example_project) as project:
        types = project.study.attribute_types()
        assert types["age"].kind == "number"
        assert types["employment"].kind == "category"
        assert types["goal_status"].values == ("set", "partly met", "met", "lapsed")
        ages = project.study.attribute_summary("age")["groups"]
        assert ages == [{"wave": None, "n": 8, "min": "29", "median": "49", "max": "68"}]
