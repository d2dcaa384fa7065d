"""`saturation --format png -o NAME` with a name matplotlib cannot take a format from
was a ValueError traceback; it is one line, and nothing is written."""

from __future__ import annotations

import pytest

from ..conftest import file_digest


@pytest.mark.parametrize("name", ["x.unknown", "x", "x.svg"])
def test_a_png_needs_a_png_name(run_cli, longitudinal_path, tmp_path, name):
    before = file_digest(longitudinal_path)
    result = run_cli("saturation", "-p", longitudinal_path, "--format", "png", "-o", tmp_path / name)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {name}: --format png writes a PNG image; name the file .png\n"
    assert list(tmp_path.iterdir()) == []
    assert file_digest(longitudinal_path) == before
