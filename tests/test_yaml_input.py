"""YAML from a user's file: aliases, anchors, deep nesting, huge values and wrong
types are refused with one line naming the file, and nothing large is ever built or
formatted. The real command is run under a memory limit for the bombs."""

from __future__ import annotations

import uuid

import pytest
import yaml

from qualcode import Project
from qualcode.errors import InputError, QualcodeError
from qualcode.yaml_input import load_yaml_file, shown

from .conftest import CODEBOOK, file_digest

# The "billion laughs" in YAML: nine levels of nine aliases, 9**9 (387 million) strings.
LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def _load(tmp_path, text: str, name: str = "c.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_yaml_file(path)


@pytest.mark.parametrize(("text", "message"), [
    ("- &a x\n- *a\n", "c.yaml: uses a YAML anchor (&a) at line 1; anchors and aliases are not accepted"),
    ("x: *nothing\n", "c.yaml: uses a YAML alias (*nothing) at line 1"),
    ("[" * 200 + "]" * 200, "c.yaml: is nested more than 128 levels deep at line 1"),
    ("a: 1\n---\nb: 2\n", "c.yaml: holds more than one YAML document at line 2"),
    ("!!set {a, b}\n", "c.yaml: uses the tag 'tag:yaml.org,2002:set' at line 1; qualcode does not read it"),
    ("? [a, b]\n: 1\n", "c.yaml: has a list or mapping as a mapping key at line 1"),
    ("a: !!python/object/apply:os.system [ls]\n", "c.yaml: uses the tag 'tag:yaml.org,2002:python/object/apply:os'"),
    ("k: !custom x\n", "c.yaml: is not valid YAML at line 1 (could not determine a constructor for the tag '!custom')"),
    ("x: " + "9" * 5000 + "\n", "c.yaml: holds a value that cannot be read (ValueError)"),
    ("t: 2020-13-45 10:00:00\n", "c.yaml: holds a value that cannot be read (ValueError)"),
    ("{a: 1, b: [}", "c.yaml: is not valid YAML at line 1 (did not find expected node content)"),
])
def test_refused_documents(tmp_path, text, message):
    with pytest.raises(InputError) as caught:
        _load(tmp_path, text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_the_billion_laughs_is_refused_before_anything_expands(tmp_path):
    with pytest.raises(InputError, match="uses a YAML anchor"):
        _load(tmp_path, LAUGHS + "\nz: *i\n")


def test_too_many_values_and_too_many_bytes(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text("[" + ", ".join(["x"] * 1000) + "]")
    with pytest.raises(InputError, match="many.yaml: holds more than 999 values"):
        load_yaml_file(path, max_values=999)
    assert len(load_yaml_file(path, max_values=1001)) == 1000
    with pytest.raises(InputError, match="many.yaml: is too large .* the limit for a YAML file is 100 bytes"):
        load_yaml_file(path, max_bytes=100)


@pytest.mark.parametrize("text", [
    "a: 1\nb: [x, {c: d}]\nt: 2020-01-01\nf: 1.5\nn: ~\ny: yes\ns: !!str 12\nblock: |\n  line\n  two\n",
    "- 1\n- [2, 3]\n- {x: {y: [z]}}\n", "plain", "# only a comment\n", "a: 1\na: 2\n",
    "a: !!binary aGVsbG8=\n", "? !!binary aGVsbG8=\n: 1\n", "folded: >\n  one\n  two\n\n  three\n",
])
def test_ordinary_documents_load_as_safe_load_reads_them(tmp_path, text):
    assert _load(tmp_path, text) == yaml.safe_load(text)


def test_the_example_codebook_loads_as_safe_load_reads_it():
    assert load_yaml_file(CODEBOOK) == yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))


def test_shown_never_formats_a_large_value():
    assert shown("x" * 1000) == repr("x" * 60) + "…"
    assert shown("\x1b]52;c;evil\x07") == repr("\x1b]52;c;evil\x07")  # escaped, never raw
    assert shown(10**5000) == "a very large number"
    assert shown([[1] * 10] * 10**6) == "a list"
    assert shown({"a": 1}) == "a mapping"
    assert shown(b"\x00" * 10) == "binary data"
    assert shown(None) == "None" and shown(True) == "True" and shown(3) == "3"


# --- codebooks ---------------------------------------------------------------------------

@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    return path


@pytest.mark.parametrize(("text", "message"), [
    ("codes:\n  - name: A\n    definition: [1, 2]\n", "definition of 'A' is not text: a list"),
    ("title: [1, 2, 3]\ncodes:\n  - name: A\n", "title is not text: a list"),
    ("version: " + "9" * 30 + "\ncodes: []\n", "version a very large number is not 1"),
    ("format: " + "x" * 500 + "\ncodes: []\n", "format 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'… is not"),
    ("codes:\n  - name: A\n    guid: {a: 1}\n", "code 'A' has a guid that is not a UUID: a mapping"),
    ("codes:\n  - name: A\n    codable: {a: 1}\n", "codable of 'A' is not true or false: a mapping"),
    ("codes:\n  - name: A\n    keywords: [true]\n", "keywords of 'A' are not a list of words"),
    ("codes:\n  - name: A\n    " + "k" * 300 + ": 1\n", "code 'A' has unknown key(s): " + "k" * 40),
])
def test_codebook_values_are_typed_before_they_are_shown(study, tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    before = file_digest(study)
    with Project.open(study) as project, pytest.raises(InputError) as caught:
        project.codebook.load(path)
    assert str(caught.value) == f"c.yaml: {message}" or str(caught.value).startswith(f"c.yaml: {message}")
    assert len(str(caught.value)) < 300
    assert file_digest(study) == before


def _nested_codebook(levels: int) -> str:
    lines = ["codes:"]
    for depth in range(levels):
        pad = "  " * (2 * depth)
        lines += [f"{pad}  - name: Level {depth}", f"{pad}    children:"]
    lines[-1] = lines[-1].replace("children:", "definition: the deepest")
    return "\n".join(lines) + "\n"


def test_codes_nested_too_deep_are_refused(study, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(_nested_codebook(51), encoding="utf-8")
    with Project.open(study) as project, pytest.raises(InputError,
                                                       match="deep.yaml: codes are nested more than 50 levels"):
        project.codebook.load(path)
    path.write_text(_nested_codebook(50), encoding="utf-8")
    with Project.open(study) as project:
        assert project.codebook.load(path)["added"] == 50


def test_a_guid_in_braces_and_capitals_is_the_same_code(study, tmp_path):
    guid = uuid.uuid4()
    path = tmp_path / "c.yaml"
    path.write_text(f"codes:\n  - name: Money\n    guid: '{{{str(guid).upper()}}}'\n", encoding="utf-8")
    with Project.open(study) as project:
        project.codebook.load(path)
        assert project.codebook.code("Money").guid == str(guid)
        path.write_text(f"codes:\n  - name: Cash\n    guid: {guid}\n", encoding="utf-8")
        report = project.codebook.load(path)
        assert (report["added"], report["updated"]) == (0, 1)
        assert [c.name for c in project.codebook.codes()] == ["Cash"]


def test_a_codebook_written_before_guids_were_canonical_still_matches(study, tmp_path):
    # A project may hold a GUID as a codebook file once gave it (braces, capitals).
    guid = str(uuid.uuid4())
    with Project.open(study) as project:
        project.codebook.add_code("Money")
        project.db.execute("UPDATE codes SET guid = ? WHERE name = 'Money'", [f"{{{guid.upper()}}}"])
        path = tmp_path / "c.yaml"
        path.write_text(f"codes:\n  - name: Cash\n    guid: {guid}\n", encoding="utf-8")
        assert project.codebook.load(path)["updated"] == 1
        assert [c.name for c in project.codebook.codes()] == ["Cash"]


# The bombs (in codes, in the title, in a plan, nested 100,000 deep, 2.1 million values)
# run through the real command under 1 GB and a minute in
# tests/hardening/test_corpus_under_limits.py.


@pytest.mark.parametrize(("decision", "message"), [
    ("- just text", "decision 1: is not a mapping: 'just text'"),
    ("- {action: add}", "decision 1: has no incoming code with a name"),
    ("- {action: add, incoming: {name: A, guid: nope}}", "decision 1: incoming code 'A' has no valid guid ('nope')"),
    ("- {action: [1], incoming: {name: A, guid: %s}}", "decision 1: ('A') action a list is not one of"),
    ("- {action: map, target: [1], incoming: {name: A, guid: %s}}", "decision 1: ('A') target is not text: a list"),
    ("- {action: add, fields: {definition: {x: 1}}, incoming: {name: A, guid: %s}}",
     "decision 1: ('A') definition is not text: a mapping"),
    ("- {action: add, fields: [1], incoming: {name: A, guid: %s}}", "decision 1: ('A') fields is not a mapping"),
    ("- {action: add, parent_guid: 12, incoming: {name: A, guid: %s}}",
     "decision 1: ('A') parent_guid is not a guid: 12"),
])
def test_a_plan_is_typed_before_it_is_used(study, tmp_path, decision, message):
    plan = tmp_path / "plan.yaml"
    text = "format: qualcode-merge-plan\ndecisions:\n" + (decision % uuid.uuid4() if "%s" in decision else decision)
    plan.write_text(text + "\n", encoding="utf-8")
    before = file_digest(study)
    with Project.open(study) as project, pytest.raises(InputError) as caught:
        project.team.apply_codebook_plan(plan)
    assert str(caught.value).startswith(f"plan.yaml: {message}")
    assert file_digest(study) == before


def test_plan_names_are_as_long_as_code_names_at_most(study, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("format: qualcode-merge-plan\ndecisions:\n"
                    f"  - {{action: add, incoming: {{name: {'n' * 201}, guid: {uuid.uuid4()}}}}}\n", encoding="utf-8")
    with Project.open(study) as project, pytest.raises(InputError) as caught:
        project.team.apply_codebook_plan(plan)
    assert str(caught.value) == (f"plan.yaml: decision 1: incoming code {'n' * 60!r}… has a name longer than "
                                 "200 characters")


def test_code_fields_from_a_file_are_shown_short(study):
    with Project.open(study) as project, pytest.raises(QualcodeError) as caught:
        project.codebook.add_code("A", colour="x" * 10_000)
    assert str(caught.value) == f"colour {'x' * 60!r}… is not #rrggbb"


def test_a_plan_written_by_hand_with_a_braced_guid_applies(study, tmp_path):
    guid = uuid.uuid4()
    plan = tmp_path / "plan.yaml"
    plan.write_text("format: qualcode-merge-plan\ndecisions:\n"
                    f"  - {{action: add, incoming: {{name: Money, guid: '{{{str(guid).upper()}}}'}}}}\n",
                    encoding="utf-8")
    with Project.open(study) as project:
        project.team.apply_codebook_plan(plan)
        assert project.codebook.code("Money").guid == str(guid)


def test_a_codebook_of_too_many_codes_is_refused(study, tmp_path, monkeypatch):
    from qualcode.coding import codebook_file

    monkeypatch.setattr(codebook_file, "MAX_CODES", 10)
    path = tmp_path / "c.yaml"
    path.write_text("codes:\n" + "".join(f"  - name: C{i}\n" for i in range(11)), encoding="utf-8")
    with Project.open(study) as project, pytest.raises(InputError, match="c.yaml: holds more than 10 codes"):
        project.codebook.load(path)
