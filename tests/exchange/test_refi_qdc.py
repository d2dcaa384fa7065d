"""REFI-QDA codebook exchange (.qdc): export validates, import is liberal and safe."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from qualcode import Project, QualcodeError
from qualcode.exchange.refi_qdc import guid_from_id, read_qdc

from ..conftest import CODEBOOK, file_digest, shared_path

NS = {"q": "urn:QDA-XML:codebook:1.0"}


@pytest.fixture
def coded_codebook(project):
    project.codebook.load(CODEBOOK)
    return project


def test_export_validates_against_the_official_schema(coded_codebook, tmp_path):
    import xmlschema

    xsd = xmlschema.XMLSchema(str(shared_path("refi", "schema", "Codebook.xsd")))
    out = coded_codebook.codebook.save(tmp_path / "book.qdc")
    xsd.validate(str(out))  # raises on the first error
    root = ET.parse(out).getroot()
    categories = root.findall("q:Codes/q:Code", NS)
    assert len(categories) == 7
    assert all(c.get("isCodable") == "false" for c in categories)
    leaves = root.findall("q:Codes/q:Code/q:Code", NS)
    assert len(leaves) == 33 and all(c.get("isCodable") == "true" for c in leaves)
    gp = next(c for c in leaves if c.get("name") == "GP referral")
    assert gp.get("guid") == coded_codebook.codebook.code("GP referral").guid
    assert "Inclusion: " in gp.find("q:Description", NS).text


def test_round_trip_keeps_every_field(coded_codebook, tmp_path):
    out = coded_codebook.codebook.save(tmp_path / "book.qdc")
    with Project.create(tmp_path / "other.qualcode") as other:
        report = other.codebook.load(out)
        assert report["added"] == 40
        keep = ("name", "guid", "parent", "definition", "inclusion", "exclusion", "example",
                "colour", "stage", "in_vivo", "is_category", "codable", "keywords")
        mine = [{k: getattr(c, k) for k in keep} for c in coded_codebook.codebook.codes()]
        theirs = [{k: getattr(c, k) for k in keep} for c in other.codebook.codes()]
        assert sorted(theirs, key=lambda c: c["guid"]) == sorted(mine, key=lambda c: c["guid"])
        # Loading it again matches by GUID: nothing added, nothing duplicated.
        again = other.codebook.load(out)
        assert (again["added"], again["updated"]) == (0, 0)
        assert len(other.codebook.codes()) == 40


def test_reads_a_real_codebook_with_non_guid_ids(project):
    path = shared_path("refi", "samples", "mastodonmoodboard_example-codebook.qdc")
    data = read_qdc(path)
    root = ET.parse(path).getroot()
    expected = len(root.findall(".//{*}Code"))
    assert len(data["warnings"]) >= expected  # every "c001"-style id is reported
    report = project.codebook.load(path)
    assert report["added"] == expected
    top = [c for c in project.codebook.tree()]
    assert top[0].name == "Negativ/Aufgeregt"
    assert {c.name for c in top[0].children} >= {"Rage", "Anger", "Fear"}
    assert top[0].guid == guid_from_id("c001")  # stable: the same id maps the same way


def test_hierarchy_in_names_becomes_nesting(project, tmp_path):
    path = tmp_path / "atlas.qdc"
    path.write_text(
        '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes>'
        '<Code guid="0B0C2A2E-0000-4000-8000-000000000001" name="Coke" isCodable="true"/>'
        '<Code guid="0B0C2A2E-0000-4000-8000-000000000002" name="Coke::diet Coke" isCodable="true" color="#F00"/>'
        "</Codes></CodeBook>", encoding="utf-8")
    project.codebook.load(path)
    tree = project.codebook.tree()
    assert [c.name for c in tree] == ["Coke"]
    assert [c.name for c in tree[0].children] == ["diet Coke"]
    assert tree[0].children[0].colour == "#ff0000"
    assert tree[0].children[0].guid == "0b0c2a2e-0000-4000-8000-000000000002"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"<CodeBook><Codes><Code", "not well-formed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
         b'<CodeBook><Codes><Code guid="a" name="&e;" isCodable="true"/></Codes></CodeBook>', "refused"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
         b'<CodeBook><Codes><Code guid="a" name="&b;" isCodable="true"/></Codes></CodeBook>', "refused"),
        (b"<Project/>", "not a REFI-QDA codebook"),
        (b"<CodeBook><Codes><Code name='x' isCodable='true'/></Codes></CodeBook>", "no guid"),
    ],
)
def test_bad_qdc_is_one_clear_error_and_changes_nothing(project_path, tmp_path, run_cli, content, message):
    path = tmp_path / "bad.qdc"
    path.write_bytes(content)
    before = file_digest(project_path)
    result = run_cli("-p", project_path, "codebook", "load", path)
    assert result.exit_code == 1
    assert "bad.qdc" in result.stderr and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert file_digest(project_path) == before


def test_cli_export(project_path, run_cli, tmp_path):
    run_cli("-p", project_path, "codebook", "load", CODEBOOK)
    result = run_cli("-p", project_path, "codebook", "export", tmp_path / "x.qdc")
    assert result.exit_code == 0
    assert ET.parse(tmp_path / "x.qdc").getroot().tag == "{urn:QDA-XML:codebook:1.0}CodeBook"


def test_export_of_empty_codebook_is_refused(project, tmp_path):
    with pytest.raises(QualcodeError, match="empty"):
        project.codebook.save(tmp_path / "x.qdc")
