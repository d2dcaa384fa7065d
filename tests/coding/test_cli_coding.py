"""The coding commands: exit codes, JSON output, one-line errors, unchanged file."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from ..conftest import CODEBOOK, file_digest


@pytest.fixture
def cli(study_path, run_cli):
    def run(*args, **kw):
        return run_cli("-p", study_path, *args, **kw)

    return run


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_codebook_show_load_save(cli, tmp_path):
    r = ok(cli("codebook", "load", CODEBOOK))
    assert r.stdout.strip() == "40 added, 0 updated, 0 unchanged"
    report = json.loads(ok(cli("codebook", "load", CODEBOOK, "--json")).stdout)
    assert (report["added"], report["unchanged"]) == (0, 40)
    tree = json.loads(ok(cli("codebook", "show", "--json")).stdout)
    assert len(tree) == 7 and sum(len(n["children"]) for n in tree) == 33
    table = ok(cli("codebook", "show")).stdout
    assert "▸ Getting" in table and "referral" in table and "focused" in table
    out = tmp_path / "saved.yaml"
    assert ok(cli("codebook", "save", out)).stdout.strip() == f"wrote {out}"
    assert len(yaml.safe_load(out.read_text(encoding="utf-8"))["codes"]) == 7


def test_code_commands(cli):
    ok(cli("code", "add", "Top", "--category", "--colour", "#123456"))
    r = ok(cli("code", "add", "Trust", "--parent", "Top", "--definition", "d", "--inclusion", "i",
               "--exclusion", "e", "--example", "x", "--stage", "focused", "--in-vivo",
               "--keyword", "trust", "--keyword", "rely on"))
    assert r.stdout.strip() == "added Trust"
    info = json.loads(ok(cli("code", "show", "Trust", "--json")).stdout)
    assert (info["parent"], info["definition"], info["inclusion"], info["exclusion"],
            info["example"], info["stage"], info["in_vivo"], info["keywords"]) == (
        "Top", "d", "i", "e", "x", "focused", True, ["trust", "rely on"])
    assert ok(cli("code", "show", "Trust")).stdout.count(":") >= 10
    assert ok(cli("code", "rename", "Trust", "Trusting")).stdout.strip() == "renamed Trust to Trusting"
    ok(cli("code", "edit", "Trusting", "--stage", "axial", "--not-in-vivo"))
    info = json.loads(ok(cli("code", "show", "Trusting", "--json")).stdout)
    assert info["stage"] == "axial" and info["in_vivo"] is False and info["guid"]
    assert "moved Trusting under the top level" in ok(cli("code", "move", "Trusting")).stdout
    ok(cli("code", "move", "Trusting", "--under", "Top"))
    ok(cli("code", "add", "Other"))
    ok(cli("tag", "p01_w1", "--turn", "2", "--code", "Trusting"))
    ok(cli("tag", "p01_w1", "--turn", "4", "--code", "Trusting"))
    ok(cli("tag", "p01_w1", "--turn", "2", "--code", "Other"))
    r = ok(cli("code", "merge", "Trusting", "Other"))
    assert r.stdout.strip() == ("merged Trusting into Other: 1 codings moved, "
                                "1 duplicates absorbed")
    ids = [c["id"] for c in json.loads(ok(cli("codings", "--code", "Other", "--json")).stdout)]
    r = ok(cli("code", "split", "Other", "Other B", "--coding", ids[0], "--stage", "focused"))
    assert r.stdout.strip() == "moved 1 codings from Other to Other B"
    r = ok(cli("code", "delete", "Other B", "--force"))
    assert r.stdout.strip() == "deleted Other B: 1 codings deleted, 0 sub-codes moved up"
    ok(cli("memo", "add", "--type", "code", "--title", "t", "--body", "", "--link", "code:Other",
           "--link", f"coding:{ids[1]}"))
    r = ok(cli("code", "delete", "Other", "--force"))
    assert r.stdout.strip() == ("deleted Other: 1 codings deleted, 0 sub-codes moved up, "
                                "2 memo links removed (the memos stay)")


def test_tag_untag_codings(cli):
    ok(cli("code", "add", "Trust"))
    r = ok(cli("tag", "p01_w1", "--range", "102:128", "--code", "Trust", "--memo", "m", "--json"))
    [c] = json.loads(r.stdout)
    assert (c["text"], c["memo"], c["coder"]) == ("My doctor told me about it", "m", "tester")
    r = ok(cli("tag", "p01_w1", "--turn", "4", "--code", "Trust"))
    assert r.stdout.startswith("#") and "'I rang them up." in r.stdout
    ok(cli("tag", "p01_w1", "--sentence", "2.3", "--code", "Trust"))
    ok(cli("tag", "p01_w1", "--sentence", "1", "--code", "Trust", "--coder", "anna"))
    r = ok(cli("tag", "p01_w1", "--speaker", "P01", "--code", "Trust", "--json"))
    assert len(json.loads(r.stdout)) == 2  # turn 4 was coded already
    rows = json.loads(ok(cli("codings", "--json")).stdout)
    assert len(rows) == 6
    assert [r["coder"] for r in rows if r["start"] == 13] == ["anna"]
    assert len(json.loads(ok(cli("codings", "--by", "anna", "--json")).stdout)) == 1
    assert "p01_w1" in ok(cli("codings", "--transcript", "p01_w1")).stdout
    assert ok(cli("untag", "p01_w1", "--speaker", "P01", "--code", "Trust")).stdout.strip() == (
        "removed 3 coding(s)")
    r = ok(cli("untag", "p01_w1", "--sentence", "1", "--code", "Trust", "--all-coders"))
    assert r.stdout.strip() == "removed 1 coding(s)"
    ok(cli("untag", "p01_w1", "--range", "102:128", "--code", "Trust"))
    ok(cli("untag", "p01_w1", "--sentence", "2.3", "--code", "Trust"))
    assert json.loads(ok(cli("codings", "--json")).stdout) == []


def test_coder_from_env(cli):
    ok(cli("code", "add", "Trust"))
    ok(cli("tag", "p01_w1", "--turn", "2", "--code", "Trust", env={"QUALCODE_CODER": "envcoder"}))
    assert json.loads(ok(cli("codings", "--json")).stdout)[0]["coder"] == "envcoder"


def test_memo_commands(cli):
    ok(cli("code", "add", "Trust"))
    r = ok(cli("memo", "add", "--type", "comparison", "--title", "Across waves", "--body", "text",
               "--link", "code:Trust", "--link", "participant:P01", "--link", "wave:W2"))
    assert r.stdout.strip() == "memo #1 written"
    ok(cli("memo", "add", "--type", "project", "--title", "From stdin"), )
    ok(cli("memo", "edit", "1", "--body", "new text", "--unlink", "wave:W2", "--type", "theme"))
    shown = json.loads(ok(cli("memo", "show", "1", "--json")).stdout)
    assert shown["body"] == "new text" and shown["type"] == "theme"
    assert [l["target"] for l in shown["links"]] == ["Trust", "P01"]
    text = ok(cli("memo", "show", "1")).stdout
    assert text.startswith("#1 [theme] Across waves") and "links: code:Trust; participant:P01" in text
    listed = json.loads(ok(cli("memo", "list", "--json")).stdout)
    assert [m["title"] for m in listed] == ["Across waves", "From stdin"]
    assert [m["id"] for m in json.loads(ok(cli("memo", "list", "--type", "project", "--json")).stdout)] == [2]
    assert [m["id"] for m in json.loads(ok(cli("memo", "list", "--link", "code:Trust", "--json")).stdout)] == [1]
    assert "Across waves" in ok(cli("memo", "list")).stdout
    assert ok(cli("memo", "delete", "2")).stdout.strip() == "memo #2 deleted"
    assert len(json.loads(ok(cli("memo", "list", "--json")).stdout)) == 1


def test_segments_command(cli):
    ok(cli("code", "add", "Support"))
    ok(cli("code", "add", "Family", "--parent", "Support"))
    ok(cli("tag", "p01_w1", "--sentence", "4.2", "--code", "Support"))
    ok(cli("tag", "p02_w2", "--turn", "2", "--code", "Support"))
    ok(cli("tag", "p01_w1", "--sentence", "6.3", "--code", "Family"))
    rows = json.loads(ok(cli("segments", "--code", "Support", "--json", "--context", "4")).stdout)
    assert [(r["participant"], r["wave"], r["speaker"], r["turn"]) for r in rows] == [
        ("P01", "W1", "P01", 4), ("P02", "W2", "P02", 2)]
    assert rows[0]["before"] == "up. " and rows[0]["after"] == " We "
    assert len(json.loads(ok(cli("segments", "--code", "Support", "--subcodes", "--json")).stdout)) == 3
    assert len(json.loads(ok(cli("segments", "--code", "Support", "--role", "client", "--json")).stdout)) == 1
    assert len(json.loads(ok(cli("segments", "--code", "Support", "--wave", "W2", "--json")).stdout)) == 1
    table = ok(cli("segments", "--code", "Support", "--group", "participant", "--context", "5")).stdout
    assert "Support: participant P01 (1)" in table and "Support: participant P02 (1)" in table
    assert "… up." in table and "⟦" in table and "⟧" in table  # the context marks


def test_autocode_commands(cli):
    ok(cli("code", "add", "Walking", "--keyword", "walking"))
    r = ok(cli("autocode", "pattern", "walk", "--code", "Walking", "--json"))
    assert len(json.loads(r.stdout)) == 2 and r.stderr == ""
    r = ok(cli("autocode", "pattern", "walk", "--code", "Walking"))
    assert "2 suggestion(s); run again with --apply" in r.stderr and "Tuesday" in r.stdout
    assert json.loads(ok(cli("codings", "--json")).stdout) == []  # suggestions only
    r = ok(cli("autocode", "pattern", "walk", "--code", "Walking", "--apply", "--json"))
    assert "applied 2 coding(s) as one undoable action" in r.stderr
    assert len(json.loads(ok(cli("codings", "--json")).stdout)) == 2
    assert json.loads(ok(cli("autocode", "keywords", "--json")).stdout) == []  # already coded
    ok(cli("code", "add", "P01 talk"))
    r = ok(cli("autocode", "speaker", "P01", "--code", "P01 talk", "--apply"))
    assert "applied 3 coding(s)" in r.stdout
    r = ok(cli("autocode", "pattern", "service", "--fts", "--code", "Walking",
               "--include-interviewer", "--scope", "turn"))
    assert "suggestion(s)" in r.stderr
    ok(cli("undo"))
    assert len(json.loads(ok(cli("codings", "--json")).stdout)) == 2


def test_undo_redo_log(cli):
    ok(cli("code", "add", "Trust"))
    ok(cli("tag", "p01_w1", "--turn", "2", "--code", "Trust"))
    assert ok(cli("undo")).stdout.strip() == "undone: coded 1 span(s) of p01_w1 with Trust"
    assert json.loads(ok(cli("codings", "--json")).stdout) == []
    assert ok(cli("redo")).stdout.strip() == "redone: coded 1 span(s) of p01_w1 with Trust"
    events = json.loads(ok(cli("log", "--json")).stdout)
    assert [e["action"] for e in events[-4:]] == ["code.add", "coding.add", "undo", "redo"]
    assert events[-1]["target_event_id"] == events[-3]["id"]
    assert set(events[-1]) == {"id", "ts", "coder", "action", "summary", "status", "undoable",
                               "target_event_id", "details"}
    assert len(json.loads(ok(cli("log", "--json", "--limit", "2")).stdout)) == 2
    assert json.loads(ok(cli("log", "--json", "--by", "nobody")).stdout) == []
    assert len(json.loads(ok(cli("log", "--json", "--since", "2000-01-01")).stdout)) == len(events)
    assert json.loads(ok(cli("log", "--json", "--since", "2999-01-01T10:00")).stdout) == []
    assert "coding.add" in ok(cli("log")).stdout


ERRORS = [
    (["code", "add", "Trust"], "already exists"),
    (["code", "add", "X", "--colour", "red"], "not #rrggbb"),
    (["code", "add", "X", "--parent", "Nope"], "no code named"),
    (["code", "rename", "Nope", "X"], "no code named"),
    (["code", "rename", "Trust", "Kid"], "already exists"),
    (["code", "edit", "Trust"], "nothing to change"),
    (["code", "move", "Trust", "--under", "Kid"], "inside"),
    (["code", "merge", "Trust", "Kid"], "inside"),
    (["code", "merge", "Trust", "Trust"], "itself"),
    (["code", "split", "Trust", "New", "--coding", "999"], "no coding with id 999"),
    (["code", "split", "Kid", "New", "--coding", "1"], "not coded with Kid"),
    (["code", "delete", "Trust"], "has 1 codings and 1 sub-codes"),
    (["code", "rename", "Trust", "Trust"], "nothing to change"),
    (["code", "show", "Nope"], "no code named"),
    (["tag", "p01_w1", "--range", "0:99999", "--code", "Trust"], "outside"),
    (["tag", "p01_w1", "--range", "50:10", "--code", "Trust"], "backwards"),
    (["tag", "p01_w1", "--range", "abc", "--code", "Trust"], "not START:END"),
    (["tag", "p01_w1", "--turn", "2", "--code", "Trust"], "already coded"),
    (["tag", "p01_w1", "--turn", "2", "--sentence", "1", "--code", "Trust"], "exactly one"),
    (["tag", "p01_w1", "--range", "1:5", "--turn", "2", "--code", "Trust"], "exactly one"),
    (["tag", "p01_w1", "--code", "Trust"], "exactly one"),
    (["tag", "p01_w1", "--turn", "77", "--code", "Trust"], "no turn 77"),
    (["tag", "p01_w1", "--sentence", "3.9", "--code", "Trust"], "no sentence 9"),
    (["tag", "p01_w1", "--speaker", "Zed", "--code", "Trust"], "no turns by 'Zed'"),
    (["tag", "nope", "--turn", "2", "--code", "Trust"], "no transcript named"),
    (["tag", "p01_w1", "--turn", "2", "--code", "Cat"], "category"),
    (["untag", "p01_w1", "--turn", "4", "--code", "Trust"], "no coding Trust"),
    (["memo", "add", "--type", "code", "--title", "t", "--link", "code:Nope"], "no such code"),
    (["memo", "add", "--type", "code", "--title", " ", "--body", ""], "title is empty"),
    (["memo", "edit", "1", "--unlink", "wave:W1"], "not linked to wave:W1"),
    (["memo", "edit", "99", "--body", "x"], "no memo with id 99"),
    (["memo", "show", "99"], "no memo with id 99"),
    (["memo", "delete", "99"], "no memo with id 99"),
    (["segments", "--code", "Nope"], "no code named"),
    (["segments", "--code", "Trust", "--context", "-3"], "negative"),
    (["autocode", "pattern", "(", "--code", "Trust"], "not a valid regular expression"),
    (["autocode", "pattern", "x", "--code", "Cat", "--apply"], "category"),
    (["autocode", "keywords", "--code", "Kid"], "no keywords"),
    (["codebook", "load", "missing.yaml"], "missing.yaml: does not exist"),
    (["log", "--since", "last week"], "not a date or time"),
    (["redo"], "nothing to redo"),
]


@pytest.fixture(scope="module")
def errors_template(template_file, tmp_path_factory):
    from qualcode import Project
    from qualcode.coding.tagging import Target

    path = tmp_path_factory.mktemp("cli-errors") / "errors.qualcode"
    shutil.copyfile(template_file, path)
    with Project.open(path) as p:
        p.coder = "tester"
        p.codebook.add_code("Trust")
        p.codebook.add_code("Kid", parent="Trust")
        p.codebook.add_code("Cat", category=True)
        p.coding.tag("p01_w1", "Trust", Target(turn=2))
        p.memos.add("code", "m", "b")
    return path


@pytest.mark.parametrize("args, message", ERRORS, ids=[" ".join(a[:3]) for a, _ in ERRORS])
def test_cli_errors_are_one_line_and_change_nothing(errors_template, tmp_path, run_cli, args,
                                                    message):
    path = shutil.copyfile(errors_template, tmp_path / "e.qualcode")
    before = file_digest(path)
    result = run_cli("-p", path, *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert file_digest(path) == before


def test_bad_codebook_file_via_cli(cli, study_path, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - name: A\n  - name: A\n", encoding="utf-8")
    before = file_digest(study_path)
    result = cli("codebook", "load", bad)
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: bad.yaml: code name 'A' appears twice"
    assert file_digest(study_path) == before


def test_nothing_to_undo_via_cli(project_path, run_cli):
    before = file_digest(project_path)
    result = run_cli("-p", project_path, "undo")
    assert result.exit_code == 1 and result.stderr.strip() == "Error: nothing to undo"
    assert file_digest(project_path) == before


# The keys of a code in --json output, in order (as before codes were records, less the
# row id, which means nothing outside one project file).
CODE_KEYS = ["guid", "name", "definition", "inclusion", "exclusion", "example", "colour", "stage",
             "in_vivo", "is_category", "codable", "keywords", "position", "created", "updated",
             "revision", "parent", "codings", "codings_by_wave"]


def test_code_json_keys_and_counts(cli):
    ok(cli("code", "add", "Top", "--category", "--codable"))
    ok(cli("code", "add", "Trust", "--parent", "Top", "--keyword", "trust"))
    # Three codings of Trust (two in W1, one in W2) and one of Top itself.
    ok(cli("tag", "p01_w1", "--turn", "2", "--code", "Trust"))
    ok(cli("tag", "p01_w1", "--turn", "4", "--code", "Trust"))
    ok(cli("tag", "p02_w2", "--turn", "2", "--code", "Trust"))
    ok(cli("tag", "p02_w2", "--turn", "4", "--code", "Top"))
    info = json.loads(ok(cli("code", "show", "Trust", "--json")).stdout)
    assert list(info) == CODE_KEYS
    assert (info["parent"], info["keywords"], info["codings"], info["codings_by_wave"]) == (
        "Top", ["trust"], 3, {"W1": 2, "W2": 1})
    [top] = json.loads(ok(cli("codebook", "show", "--json")).stdout)
    assert list(top) == [*CODE_KEYS, "children", "total"]
    assert (top["codings"], top["total"], top["is_category"], top["codable"]) == (1, 4, True, True)
    [trust] = top["children"]
    assert list(trust) == [*CODE_KEYS, "children", "total"]
    assert (trust["name"], trust["total"], trust["children"]) == ("Trust", 3, [])
    text = ok(cli("code", "show", "Trust")).stdout
    assert "    keywords: ['trust']" in text and "codings_by_wave: {'W1': 2, 'W2': 1}" in text
