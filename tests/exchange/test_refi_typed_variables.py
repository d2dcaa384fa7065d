"""REFI-QDA Integer, Float and Date variables become typed attributes when every value
fits; a value that does not leaves the attribute text, with a warning naming it."""

from __future__ import annotations

import zipfile

from qualcode import Project
from qualcode.exchange.refi_import import import_qdpx


def _g(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _case(n: int, name: str, values: dict[int, tuple[str, str]]) -> str:
    parts = "".join(f'<VariableValue><VariableRef targetGUID="{_g(v)}"/><{tag}>{text}</{tag}></VariableValue>'
                    for v, (tag, text) in values.items())
    return f'<Case guid="{_g(n)}" name="{name}">{parts}</Case>'


def _qdpx(path, size_of_p2: str):
    qde = f"""<Project xmlns="urn:QDA-XML:project:1.0" name="typed" origin="Other 2.0">
      <Users><User guid="{_g(1)}" name="Ann"/></Users>
      <Variables>
        <Variable guid="{_g(50)}" name="age" typeOfVariable="Integer"/>
        <Variable guid="{_g(51)}" name="height" typeOfVariable="Float"/>
        <Variable guid="{_g(52)}" name="joined" typeOfVariable="Date"/>
        <Variable guid="{_g(53)}" name="size" typeOfVariable="Integer"/>
      </Variables>
      <Cases>
        {_case(60, "P1", {50: ("IntegerValue", "34"), 51: ("FloatValue", "1.70"),
                          52: ("DateValue", "2024-03-01"), 53: ("IntegerValue", "3")})}
        {_case(61, "P2", {50: ("IntegerValue", "9"), 53: ("IntegerValue", size_of_p2)})}
      </Cases>
    </Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path


def test_typed_refi_variables_become_typed_attributes(tmp_path):
    report = import_qdpx(_qdpx(tmp_path / "t.qdpx", "big"), tmp_path / "t.qualcode")
    assert any("variable size is Integer but P2 has 'big'" in w and "kept as text" in w
               for w in report.warnings)
    with Project.open(tmp_path / "t.qualcode") as project:
        types = project.study.attribute_types()
        assert {k: t.kind for k, t in types.items()} == {"age": "number", "height": "number", "joined": "date"}
        assert project.study.participant("P1").attributes["height"] == "1.7"
        assert project.study.attribute_summary("age")["groups"][0] == {
            "wave": None, "n": 2, "min": "9", "median": "21.5", "max": "34"}
        assert [row["values"] for row in project.study.attribute_list() if row["key"] == "age"] == [["9", "34"]]
