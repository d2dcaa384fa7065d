"""Loading and saving the human-editable codebook file."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode import QualcodeError
from qualcode.coding.codebook import check_name, clean_fields
from qualcode.coding.codebook_file import _Dumper, _fields, read_codebook_file

from ..conftest import CODEBOOK
from .conftest import snapshot


def _count(nodes):
    return sum(1 + _count(n.get("children") or []) for n in nodes)


def test_load_example_codebook(study):
    report = study.codebook.load(CODEBOOK)
    assert (report["added"], report["updated"], report["unchanged"]) == (40, 0, 0)
    tree = study.codebook.tree()
    assert len(tree) == 7 and all(node.is_category for node in tree)
    assert sum(len(node.children) for node in tree) == 33
    categories = [c for c in study.codebook.codes() if c.is_category]
    leaves = [c for c in study.codebook.codes() if not c.is_category]
    assert len(categories) == 7 and len(leaves) == 33
    assert all(not c.codable for c in categories)
    assert all(c.parent is None for c in categories)
    gp = study.codebook.code("GP referral")
    assert gp.guid == "4a9f66ea-b9a3-41de-813f-bb92c1d9ef97"
    assert gp.parent == "Getting to the service" and gp.stage == "focused"
    assert gp.definition.startswith("The client was sent or advised")
    assert "\n" not in gp.definition  # folded
    assert study.db.execute(
        "SELECT value FROM settings WHERE key = 'codebook_title'").fetchone()[0] == (
        "Lay health trainer services (example study)")
    # Loading the same file again changes no code.
    again = study.codebook.load(CODEBOOK)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 40)


def test_save_load_round_trip(study, tmp_path):
    study.codebook.load(CODEBOOK)
    study.codebook.add_code("Codable category", category=True, codable=True, keywords=["x y", "z"],
                   in_vivo=True, definition="A line\nand another line")
    before = study.codebook.codes()
    out = study.codebook.save(tmp_path / "out.yaml")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["format"] == "qualcode-codebook" and data["version"] == 1
    assert _count(data["codes"]) == 41
    report = study.codebook.load(out)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 41)
    assert study.codebook.codes() == before
    # Into a fresh project: the same tree, same GUIDs, same fields.
    from qualcode import Project

    with Project.create(tmp_path / "fresh.qualcode") as fresh:
        assert fresh.codebook.load(out)["added"] == 41
        strip = lambda codes: [{k: v for k, v in dataclasses.asdict(c).items() if k not in (
            "id", "created", "updated", "codings", "codings_by_wave", "position")} for c in codes]
        assert sorted(strip(fresh.codebook.codes()), key=lambda c: c["guid"]) == sorted(
            strip(before), key=lambda c: c["guid"])


def test_reload_of_edited_file_renames_by_guid(study, tmp_path):
    study.codebook.load(CODEBOOK)
    n_codes = study.db.execute("SELECT count(*) FROM codes").fetchone()[0]
    text = CODEBOOK.read_text(encoding="utf-8")
    assert "- name: GP referral\n" in text
    edited = text.replace("- name: GP referral\n", "- name: Referred by the GP\n")
    edited = edited.replace("stage: focused", "stage: theoretical", 1)
    path = tmp_path / "edited.yaml"
    path.write_text(edited, encoding="utf-8")
    report = study.codebook.load(path)
    assert report["added"] == 0 and "Referred by the GP" in report["names"]["updated"]
    assert study.db.execute("SELECT count(*) FROM codes").fetchone()[0] == n_codes
    code = study.codebook.code("Referred by the GP")
    assert code.guid == "4a9f66ea-b9a3-41de-813f-bb92c1d9ef97"
    assert code.stage == "theoretical"
    assert "GP referral" not in study.codebook.code_names()
    # A code moved to another category in the file moves in the project.
    data = yaml.safe_load(edited)
    moved = data["codes"][0]["children"].pop(0)
    data["codes"][1].setdefault("children", []).append(moved)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    study.codebook.load(path)
    assert study.codebook.code("Referred by the GP").parent == data["codes"][1]["name"]
    assert study.db.execute("SELECT count(*) FROM codes").fetchone()[0] == n_codes
    # The load is one undoable action.
    study.undo()
    assert study.codebook.code("Referred by the GP").parent == "Getting to the service"


BAD_FILES = [
    ("codes: [name: [unclosed\n", "is not valid YAML at line"),
    ("codes:\n  - name: A\n    colur: '#ffffff'\n", "unknown key(s): colur"),
    ("format: qualcode-codebook\ncode: []\n", "no 'codes' list"),
    ("codes: []\nauthor: me\n", "unknown key(s) at the top: author"),
    ("codes:\n  - name: A\n  - name: B\n    children:\n      - name: A\n", "'A' appears twice"),
    ("codes:\n  - name: A\n    guid: 1234\n", "not a UUID"),
    ("codes:\n  - name: A\n    guid: 4a9f66ea-b9a3-41de-813f-bb92c1d9ef97\n"
     "  - name: B\n    guid: 4A9F66EA-B9A3-41DE-813F-BB92C1D9EF97\n", "appears twice"),
    ("codes:\n  - name: A\n    stage: final\n", "not one of"),
    ("codes:\n  - name: A\n    stage: 3\n", "not text"),
    ("codes:\n  - name: A\n    colour: 0x00ff00\n", "not text"),
    ("codes:\n  - name: A\n    colour: green\n", "not #rrggbb"),
    ("codes:\n  - name: A\n    definition: [a, b]\n", "not text"),
    ("codes:\n  - name: A\n    in_vivo: often\n", "not true or false"),
    ("codes:\n  - name: A\n    keywords: walking\n", "not a list of words"),
    ("codes:\n  - name: A\n    children: {name: B}\n", "not a list"),
    ("codes:\n  - definition: nameless\n", "has no name"),
    ("version: 2\ncodes: []\n", "version 2"),
    ("", "is empty"),
]


@pytest.mark.parametrize("content, message", BAD_FILES)
def test_bad_codebook_file_is_one_line_error_and_changes_nothing(study, tmp_path, content, message):
    study.codebook.add_code("Existing")
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    before = snapshot(study)
    with pytest.raises(QualcodeError) as info:
        study.codebook.load(path)
    text = str(info.value)
    assert message in text
    assert text.startswith("bad.yaml: ") and "\n" not in text
    assert snapshot(study) == before


def test_file_conflicting_with_the_project_changes_nothing(study, tmp_path):
    study.codebook.load(CODEBOOK)
    study.codebook.add_code("Taken")
    text = CODEBOOK.read_text(encoding="utf-8").replace("- name: GP referral\n", "- name: Taken\n")
    path = tmp_path / "conflict.yaml"
    path.write_text(text, encoding="utf-8")
    before = snapshot(study)
    with pytest.raises(QualcodeError, match=r"^conflict.yaml: cannot rename 'GP referral'"):
        study.codebook.load(path)
    assert snapshot(study) == before


def test_missing_or_binary_file(study, tmp_path):
    before = snapshot(study)
    with pytest.raises(QualcodeError, match="nope.yaml: does not exist"):
        study.codebook.load(tmp_path / "nope.yaml")
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00codes")
    with pytest.raises(QualcodeError, match="bin.yaml: is not UTF-8"):
        study.codebook.load(tmp_path / "bin.yaml")
    with pytest.raises(QualcodeError, match="does not exist"):
        study.codebook.save(tmp_path / "no" / "where.yaml")
    with pytest.raises(QualcodeError, match="is a folder"):
        study.codebook.save(tmp_path)
    assert snapshot(study) == before


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                min_size=1, max_size=120)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_text, definition=_text, keywords=st.lists(_text, max_size=3))
def test_any_text_survives_the_file_format(tmp_path, name, definition, keywords):
    """Whatever text a code holds comes back the same from the file (odd line breaks,
    quotes, leading dashes, long lines...): the writer and reader the project uses."""
    try:
        fields = clean_fields({"definition": definition, "example": definition,
                               "keywords": keywords})
        node = {"name": check_name(name), "definition": fields["definition"],
                "example": fields["example"], "keywords": json.loads(fields["keywords"])}
    except QualcodeError:
        return  # all blanks
    node = {k: v for k, v in node.items() if v}
    path = tmp_path / "book.yaml"
    path.write_text(yaml.dump({"format": "qualcode-codebook", "version": 1, "codes": [node]},
                              Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88),
                    encoding="utf-8")
    [back] = read_codebook_file(path)["codes"]
    assert check_name(back["name"]) == node["name"]
    assert clean_fields(_fields(back)) == clean_fields(_fields(node))


def test_text_fields_and_keywords_are_normalised(study):
    code = study.codebook.add_code("K", definition="  padded  ", colour="", keywords=[" two  words ", "x", "x", " "])
    assert code.definition == "padded" and code.colour is None
    assert code.keywords == ("two words", "x")


def test_file_may_swap_names_and_pass_them_along(study, tmp_path):
    a = study.codebook.add_code("Alpha", definition="first")
    b = study.codebook.add_code("Beta", definition="second")
    c = study.codebook.add_code("Gamma", definition="third")
    path = tmp_path / "swap.yaml"
    path.write_text(yaml.safe_dump({"codes": [
        {"name": "Beta", "guid": a.guid},      # Alpha -> Beta
        {"name": "Alpha", "guid": b.guid},     # Beta -> Alpha
        {"name": "Delta", "guid": c.guid},     # Gamma -> Delta
        {"name": "Gamma"},                        # a new code takes the freed name
    ]}), encoding="utf-8")
    report = study.codebook.load(path)
    assert (report["added"], report["updated"]) == (1, 3)
    by_guid = {code.guid: code for code in study.codebook.codes()}
    assert by_guid[a.guid].name == "Beta" and by_guid[a.guid].definition == "first"
    assert by_guid[b.guid].name == "Alpha" and by_guid[c.guid].name == "Delta"
    assert study.codebook.code("Gamma").guid not in (a.guid, b.guid, c.guid)
    assert not any(code.name.startswith("\x00") for code in study.codebook.codes())
    study.undo()
    assert sorted(study.codebook.code_names()) == ["Alpha", "Beta", "Gamma"]
    assert study.codebook.code("Alpha").guid == a.guid
