"""The shared filter language: parsing (positions of errors), declared attribute types,
and matching on a small study worked out by hand.

The study (built in ``study``):

    pid  role     site        sex  age  employment W1 / W2 / W3      fixed employment
    C01  client   North Town  F    52   employed / unemployed / unemployed
    C02  client   North Town  M    9    - / employed / -             retired
    C03  client   South       F    10   unemployed / - / employed
    T01  trainer  South       F    34   (none)

Ages 9 and 10 are the trap: as text "10" < "9"; declared as numbers 9 < 10.
"""

from __future__ import annotations

import datetime as dt

import pytest

from qualcode import QualcodeError
from qualcode.analysis.where import bind_where
from qualcode.errors import QueryError
from qualcode.filter_language import attribute_ref, parse_condition, parse_where, split_filters
from qualcode.model import AttributeType


@pytest.fixture
def study(project):
    for label in ("W1", "W2", "W3"):
        project.study.add_wave(label)
    people = {"C01": ("client", "North Town", "F", "52"), "C02": ("client", "North Town", "M", "9"),
              "C03": ("client", "South", "F", "10"), "T01": ("trainer", "South", "F", "34")}
    for pid, (role, site, sex, age) in people.items():
        project.study.add_participant(pid, role=role, site=site, attributes={"sex": sex, "age": age})
    for pid, wave, value in [("C01", "W1", "employed"), ("C01", "W2", "unemployed"),
                             ("C01", "W3", "unemployed"), ("C02", "W2", "employed"),
                             ("C03", "W1", "unemployed"), ("C03", "W3", "employed")]:
        project.study.set_participant(pid, {"employment": value}, wave=wave)
    project.study.set_participant("C02", {"employment": "retired"})
    return project


def matching(project, *texts, waves=("W1", "W2", "W3"), **coding):
    bound = bind_where(list(texts), project.db)
    return sorted((pid, w) for pid in ("C01", "C02", "C03", "T01") for w in waves
                  if bound.matches(pid, w, **coding))


# --- parsing ----------------------------------------------------------------------


def test_atoms_split_on_spaces_outside_quotes():
    assert split_filters('sex=F  site:"North Town" age>=50') == [
        ("sex=F", 0), ('site:"North Town"', 7), ("age>=50", 25)]


def test_every_form_of_condition_parses():
    where = parse_where(['wave:W3 role:client site:"North Town" age>=50 sex!=F',
                         "W2.employment=unemployed employment@W2=unemployed site:North,South"])
    got = [(c.name, c.op, c.values, c.wave) for c in where.conditions]
    assert got == [("wave", "=", ("W3",), None), ("role", "=", ("client",), None),
                   ("site", "=", ("North Town",), None), ("age", ">=", ("50",), None),
                   ("sex", "!=", ("F",), None), ("employment", "=", ("unemployed",), "W2"),
                   ("employment", "=", ("unemployed",), "W2"),
                   ("site", "=", ("North", "South"), None)]
    assert str(parse_where("sex=F  age>=50")) == "sex=F age>=50"


@pytest.mark.parametrize("text, position, words", [
    ("sex", 3, "expected one of"),             # no operator: points after the name
    ("sex=", 4, "expected a value"),           # nothing after the operator
    ('site:"North', 5, "not closed"),          # the opening quote
    ("age>=5,6", 5, "takes one value"),        # a list with an ordering
    ('sex=F"x"', 5, "unexpected text"),
])
def test_errors_point_at_the_position(text, position, words):
    with pytest.raises(QueryError) as caught:
        parse_where(text)
    assert caught.value.position == position and words in str(caught.value)
    assert caught.value.pointed().splitlines()[1] == " " * position + "^"


def test_a_condition_inside_a_longer_query_points_into_it():
    query = '"Money worries" AND "Relapse" age>=x'
    condition = parse_condition(query, 30)
    assert (condition.name, condition.op, condition.values, condition.end) == ("age", ">=", ("x",), len(query))


def test_attribute_references():
    assert attribute_ref("employment@W2") == ("employment", "W2")
    assert attribute_ref("W2.employment", ["W1", "W2"]) == ("employment", "W2")
    assert attribute_ref("v1.5", ["W1"]) == ("v1.5", None)


# --- declared types ------------------------------------------------------------------


def test_a_number_type_sorts_numerically_and_rejects_text():
    age = AttributeType("age", "number")
    assert sorted(["10", "9", "52"], key=age.sort_key) == ["9", "10", "52"]
    assert age.normalise("7.0") == "7"
    with pytest.raises(QualcodeError, match="not a number"):
        age.coerce("fifty")


def test_a_category_keeps_its_declared_order():
    band = AttributeType("band", "category", ("low", "middle", "high"))
    assert sorted(["high", "low", "middle"], key=band.sort_key) == ["low", "middle", "high"]
    with pytest.raises(QualcodeError, match="not one of low, middle, high"):
        band.coerce("medium")
    with pytest.raises(QualcodeError, match="needs its values"):
        AttributeType("band", "category")


def test_declaring_a_type_checks_every_stored_value_and_writes_nothing_on_failure(study):
    study.study.set_participant("T01", {"age": "thirty"})
    with pytest.raises(QualcodeError, match="T01: age 'thirty' is not a number"):
        study.study.declare_attribute("age", "number")
    assert study.study.attribute_types() == {}
    study.study.set_participant("T01", {"age": "34.0"})
    study.study.declare_attribute("age", "number")
    assert study.study.participant("T01").attributes["age"] == "34"  # one spelling
    with pytest.raises(QualcodeError, match="C02: age 'nine' is not a number"):
        study.study.set_participant("C02", {"age": "nine"})
    with pytest.raises(QualcodeError, match="not an attribute"):
        study.study.declare_attribute("role", "text")


def test_a_per_wave_value_is_checked_at_its_wave(study):
    with pytest.raises(QualcodeError, match="C01 at W1: employment 'employed' is not one of"):
        study.study.declare_attribute("employment", "category", ["unemployed", "retired"])


def test_declaring_is_undoable(study):
    study.study.declare_attribute("age", "number")
    study.undo()
    assert study.study.attribute_types() == {}


# --- matching, by hand -----------------------------------------------------------------


def test_fields(study):
    assert matching(study, "role:client", 'site:"North Town"', waves=("W1",)) == [("C01", "W1"), ("C02", "W1")]
    assert matching(study, "wave>=W2", "participant:C03") == [("C03", "W2"), ("C03", "W3")]
    assert matching(study, 'site:"north town",SOUTH', waves=("W1",)) == [
        ("C01", "W1"), ("C02", "W1"), ("C03", "W1"), ("T01", "W1")]
    assert matching(study, "site:SOUTH", "role:trainer", waves=("W1",)) == [("T01", "W1")]


def test_attributes_at_the_wave_being_filtered(study):
    # employment at the wave itself, else the fixed value (C02 is retired when no wave
    # value is stored: W1 and W3).
    assert matching(study, "employment=unemployed") == [("C01", "W2"), ("C01", "W3"), ("C03", "W1")]
    assert matching(study, "employment=retired") == [("C02", "W1"), ("C02", "W3")]


def test_attributes_at_a_named_wave(study):
    # "Unemployed at W2" holds for C01 only, at every wave being filtered; the two
    # spellings mean the same.
    assert matching(study, "W2.employment=unemployed") == [("C01", "W1"), ("C01", "W2"), ("C01", "W3")]
    assert matching(study, "employment@W2=unemployed") == matching(study, "W2.employment=unemployed")
    # C02 has no W1 value: a named wave does not fall back to the fixed one.
    assert matching(study, "employment@W1=retired") == []


def test_numbers_compare_as_numbers_declared_or_not(study):
    # Undeclared, but the condition's value is a number: 9 and 10 are both < 50.
    assert matching(study, "age<50", waves=("W1",)) == [("C02", "W1"), ("C03", "W1"), ("T01", "W1")]
    study.study.declare_attribute("age", "number")
    assert matching(study, "age>=10", "age<=34", waves=("W1",)) == [("C03", "W1"), ("T01", "W1")]
    with pytest.raises(QueryError, match="not a number") as caught:
        bind_where(["age>=fifty"], study.db)
    assert caught.value.position == 5


def test_not_equal_includes_people_without_the_value(study):
    # T01 has no employment at all; "!= unemployed" holds for them.
    assert matching(study, "employment!=unemployed", waves=("W1",)) == [
        ("C01", "W1"), ("C02", "W1"), ("T01", "W1")]


def test_categories_order_by_declaration(study):
    study.study.declare_attribute("employment", "category", ["employed", "unemployed", "retired"])
    assert matching(study, "employment>employed", waves=("W2",)) == [("C01", "W2")]


def test_dates(study):
    study.study.set_participant("C01", {"joined": "2024-03-01"})
    study.study.set_participant("C02", {"joined": "2024-11-20"})
    study.study.declare_attribute("joined", "date")
    assert matching(study, "joined<2024-06-01", waves=("W1",)) == [("C01", "W1")]
    bound = bind_where([], study.db)
    assert bound.value("C02", "W1", "joined") == dt.date(2024, 11, 20)


def test_coding_fields(study):
    bound = bind_where(["speaker:c01"], study.db)
    assert bound.matches("C01", "W1", speaker="C01")
    assert bound.matches("C01", "W1", speaker=["Sarah", "C01"])
    assert not bound.matches("C01", "W1", speaker="Interviewer")
    with pytest.raises(QueryError, match="cannot filter"):
        bound.matches("C01", "W1")
    with pytest.raises(QueryError, match="counts participants"):
        parse_where("speaker:C01").refuse_coding_fields("the matrix")


@pytest.mark.parametrize("text, words, position", [
    ("wave:W9", "no wave 'W9'", 5),
    ("sexx=F", "no attribute 'sexx'; did you mean 'sex'", 0),
    ("role:clinet", "no role 'clinet'; did you mean 'client'", 5),
    ("employment@W7=x", "no wave 'W7'", 0),
    ("role>client", "takes = or !=", 0),
])
def test_names_are_checked_against_the_project(study, text, words, position):
    with pytest.raises(QueryError) as caught:
        bind_where([text], study.db)
    assert words in str(caught.value) and caught.value.position == position


def test_values_for_grouping_sort_by_type(study):
    bound = bind_where([], study.db)
    ages = [bound.value(pid, "W1", "age") for pid in ("C01", "C02", "C03", "T01")]
    assert sorted(ages, key=lambda v: bound.sort_key("age", v)) == ["9", "10", "34", "52"]
    assert bound.value("C01", "W3", "employment@W2") == "unemployed"
    assert bound.value("T01", "W1", "employment") is None


def test_an_empty_filter_matches_everything(study):
    assert len(matching(study)) == 12
