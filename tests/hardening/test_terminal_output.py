"""Escape sequences in project data never reach the terminal from the CLI: every field
that can carry them (transcript text and file-derived names, code definitions and
keywords, pseudonyms, sites, roles, attributes, memo titles and bodies, wave labels and
descriptions, coder and code names as a merge brings them) goes through every listing,
and comes out with its control characters shown as ``\\xNN``. The data stays as stored."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.terminal_text import json_text, printable, same_length

from . import hostile

E = hostile.ESCAPES
# Anything a terminal would act on: C0 but tab and newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SHOWN = printable(E)  # "\x1b]0;PWNED\x07..." as visible text

TX = f"{E}p01_w1"
LISTINGS = [
    ["status"],
    ["participant", "list"], ["participant", "show", "P01"], ["wave", "list"],
    ["transcript", "list"], ["transcript", "show", TX], ["transcript", "show", TX, "--turns"],
    ["transcript", "speakers", TX],
    ["search", "canal"],
    ["codebook", "show"], ["code", "show", "Walking"], ["code", "show", f"{E}Referral"],
    ["codings"], ["tag", TX, "--turn", "4", "--code", "Walking"],
    ["segments", "--code", "Walking", "--context", "20"],
    ["segments", "--code", "Walking", "--group", "coder"],
    ["segments", "--code", "Walking", "--group", "site"],
    ["memo", "list"], ["memo", "show", "1"],
    ["log"], ["namekey", "list"], ["deidentify", "--suggest", "--no-entities"],
    ["matrix"], ["matrix", "--format", "csv"], ["matrix", "--format", "md"],
    ["matrix", "--measure", "text", "--by", "participant"],
    ["matrix", "--measure", "memo", "--by", "site", "--format", "md"],
    ["change"], ["compare-waves", "W1", f"{E}W2"], ["attendance"], ["describe", "--by", "site"],
    ["saturation"], ["cooccur"],
    ["agree", "--coders", "anna", f"{E}ben", "--disagreements"],
    ["autocode", "keywords"], ["autocode", "pattern", "canal", "--code", f"{E}Referral"],
    ["undo"], ["redo"],
]
JSON_LISTINGS = [
    ["status", "--json"], ["participant", "list", "--json"], ["transcript", "list", "--json"],
    ["transcript", "show", TX, "--json"], ["search", "canal", "--json"], ["codebook", "show", "--json"],
    ["codings", "--json"], ["segments", "--code", "Walking", "--json"], ["memo", "list", "--json"],
    ["log", "--json"], ["namekey", "list", "--json"], ["matrix", "--format", "json"],
    ["change", "--json"], ["cooccur", "--json"], ["agree", "--coders", "anna", f"{E}ben", "--json"],
]
# Listings whose columns hold none of the fields with the payload.
SHOWS_NO_PAYLOAD = {"undo", "redo", "tag", "autocode", "saturation", "cooccur", "change",
                    "transcript speakers", "deidentify --suggest"}
# Refusals whose one line names what came from the data.
ERRORS = [
    ["code", "show", f"{E}missing"], ["transcript", "show", f"{E}missing"],
    ["tag", TX, "--range", "0:5", "--code", f"{E}nope"],
]


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    return hostile.build(tmp_path_factory.mktemp("escapes"), E, name_key=True)


def run(run_cli, study: Path, args: list[str]):
    return run_cli("-p", study, "--coder", "anna", *args)


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: " ".join(a)[:40].replace(E, "E"))
def test_listings_show_control_characters_escaped(args, study, run_cli):
    result = run(run_cli, study, args)
    assert result.exit_code == 0, result.output
    for stream in (result.stdout, result.stderr):
        assert not RAW_CONTROL.search(stream), RAW_CONTROL.search(stream)
    if " ".join(args[:2]) not in SHOWS_NO_PAYLOAD and args[0] not in SHOWS_NO_PAYLOAD:
        # Shown, not dropped (a narrow table may cut it short, never before its ESC).
        assert "\\x1b" in result.stdout, result.stdout


@pytest.mark.parametrize("args", JSON_LISTINGS, ids=lambda a: " ".join(a)[:40].replace(E, "E"))
def test_json_is_escaped_and_still_the_data(args, study, run_cli):
    result = run(run_cli, study, args)
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.stdout)
    assert any(E.rstrip("\r") in text for text in strings(json.loads(result.stdout)))


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


@pytest.mark.parametrize("args", ERRORS, ids=lambda a: " ".join(a)[:40].replace(E, "E"))
def test_error_lines_are_escaped(args, study, run_cli):
    result = run(run_cli, study, args)
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(result.output)
    assert len(result.output.strip().splitlines()) == 1


def test_a_file_name_with_escapes_in_an_import_error(study, run_cli, tmp_path):
    bad = tmp_path / f"{E}bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = run(run_cli, study, ["import", str(bad), "--participant", "P01", "--wave", "W1"])
    assert result.exit_code == 1
    assert not RAW_CONTROL.search(result.output) and "\\x1b" in result.output


def test_the_data_stays_as_imported(study, run_cli):
    for args in LISTINGS[:12]:
        run(run_cli, study, args)
    with Project.open(study) as project:
        assert E.rstrip("\r") in project.transcripts.get(TX).text  # (the import made \r a line end)
        assert project.codebook.code("Walking").definition.startswith(E)
        assert project.study.participant("P01").site == f"{E}Site"


def test_the_sanitiser():
    assert printable("a\tb\nc\x1b[2J\x9b\x7f") == "a\tb\nc\\x1b[2J\\x9b\\x7f"
    assert printable(None) == "" and printable(3) == "3"
    shown = same_length(E)
    assert len(shown) == len(E) and not RAW_CONTROL.search(shown) and shown[0] == "\u241b"
    assert json.loads(json_text({"k": E})) == {"k": E}
    assert not RAW_CONTROL.search(json_text({"k": E}))
