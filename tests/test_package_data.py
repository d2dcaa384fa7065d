"""What qualcode reads at run time comes from the package (importlib.resources), and its
version from the package metadata, so an installed wheel behaves as a checkout does
(tests/test_install.py checks the wheel itself)."""

from __future__ import annotations

import tomllib
from importlib import metadata, resources

import pytest

import qualcode
from qualcode.errors import QualcodeError
from qualcode.exchange import xml_safety
from qualcode.tui.app import QualcodeApp

from .conftest import REPO


def test_the_version_is_written_once_in_pyproject(run_cli):
    written = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert "__version__ =" not in (REPO / "qualcode" / "__init__.py").read_text(encoding="utf-8")
    assert qualcode.__version__ == metadata.version("qualcode") == written
    assert run_cli("--version").output.strip() == f"qualcode, version {written}"


def test_run_time_files_are_package_resources():
    package = resources.files("qualcode")
    for name in ("py.typed", "tui/qualcode.tcss", "exchange/schemas/Project.xsd",
                 "exchange/schemas/Codebook.xsd"):
        assert package.joinpath(name).is_file(), name
    assert QualcodeApp.CSS_PATH.samefile(package / "tui" / "qualcode.tcss")


def test_a_missing_schema_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(xml_safety, "SCHEMAS", tmp_path)
    xml_safety.schema.cache_clear()
    try:
        with pytest.raises(QualcodeError, match="Project.xsd: the REFI-QDA schema is missing"):
            xml_safety.validation_error(b"<Project/>", "Project.xsd")
    finally:
        xml_safety.schema.cache_clear()
