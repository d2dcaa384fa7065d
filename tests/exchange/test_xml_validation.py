"""Validating against the REFI-QDA schemas as the document is parsed (flat memory)."""

from __future__ import annotations

from qualcode.exchange.xml_safety import validation_error

NS = "urn:QDA-XML:project:1.0"
GUID = "0a1b2c3d-0000-4000-8000-000000000001"
VALID = f"<Project xmlns='{NS}' name='x'><Users><User guid='{GUID}' name='ann'/></Users></Project>"


def test_a_valid_document_has_no_error():
    assert validation_error(VALID, "Project.xsd") is None
    assert validation_error(VALID.encode("utf-8"), "Project.xsd") is None


def test_schema_errors_name_the_element():
    error = validation_error(VALID.replace(GUID, "not-a-guid"), "Project.xsd")
    assert error is not None and "User" in error and "guid" in error
    error = validation_error(f"<Project xmlns='{NS}' name='x'><Bad/></Project>", "Project.xsd")
    assert error is not None and "Bad" in error and "not expected" in error


def test_documents_that_are_not_well_formed():
    # Cut off inside an element the schema would accept so far: lxml, reading without
    # resolving entities, stops there without an error of its own.
    assert validation_error(f"<Project xmlns='{NS}' name='x'><Users>", "Project.xsd") \
        == "not well-formed: the document ends before its root element is closed"
    assert validation_error(f"<Project xmlns='{NS}' name='x'><Users></Userz></Project>", "Project.xsd")
    assert validation_error("", "Project.xsd")
