"""Pictures: the heat map of a code or theme (participants x waves) and a participant's
timeline, with their figures worked out by hand on a small project."""

from __future__ import annotations

import pytest

from qualcode import QualcodeError
from qualcode.model import Target

from ..coding.conftest import build_small_project


@pytest.fixture
def coded(tmp_path):
    project = build_small_project(tmp_path / "pictures.qualcode", tmp_path / "src")
    project.codebook.add_code("Feelings", category=True)
    project.codebook.add_code("Fear", parent="Feelings")
    project.codebook.add_code("Hope", parent="Feelings")
    project.codebook.add_code("Walking")
    project.study.set_attendance("P01", "W2", "missed")
    project.coding.tag("p01_w1", "Fear", Target(turn=2))       # P01 W1: fear, turn 2
    project.coding.tag("p01_w1", "Hope", Target(turn=6))       # P01 W1: hope, turn 6
    project.coding.tag("p01_w1", "Walking", Target(turn=4))    # P01 W1: walking, turn 4
    project.coding.tag("p01_w1", "Walking", Target(turn=6))    # ... and again in turn 6
    project.coding.tag("p02_w2", "Hope", Target(turn=2))       # P02 W2: hope
    yield project
    project.close()


def test_heatmap_of_a_code_and_of_a_theme(coded):
    people, waves, values = coded.exports.heatmap_data("Walking")
    assert waves == ["W1", "W2"] and people == ["P01", "P02"]
    # P01 missed W2 and P02 has no W1 transcript: no data there, never 0
    assert values == {("P01", "W1"): 2, ("P01", "W2"): None, ("P02", "W1"): None, ("P02", "W2"): 0}
    # the theme merges its codes: P01 W1 has one Fear and one Hope passage
    _people, _waves, theme = coded.exports.heatmap_data("Feelings")
    assert theme[("P01", "W1")] == 2 and theme[("P02", "W2")] == 1
    _p, _w, presence = coded.exports.heatmap_data("Fear", measure="presence")
    assert bool(presence[("P01", "W1")]) and not presence[("P02", "W2")]
    people, _w, _v = coded.exports.heatmap_data("Walking", role="trainer")
    assert people == ["P02"]


def test_timeline_of_a_participant(coded):
    codes, waves, values, missing = coded.exports.timeline_data("P01")
    assert codes == ["Fear", "Hope", "Walking"] and waves == ["W1", "W2"]
    assert values == {("Fear", "W1"): 1, ("Hope", "W1"): 1, ("Walking", "W1"): 2}
    assert missing == {"W2": "missed"}


def test_pictures_are_written_as_png_and_svg(coded, tmp_path):
    png = coded.exports.heatmap_picture("Walking", tmp_path / "heat.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = coded.exports.timeline_picture("P01", tmp_path / "line.svg")
    assert b"<svg" in svg.read_bytes()[:400]


@pytest.mark.parametrize(("call", "message"), [
    (lambda p, d: p.exports.heatmap_picture("Nothing", d / "x.png"), "no code 'Nothing'"),
    (lambda p, d: p.exports.heatmap_picture("Walking", d / "x.pdf"), "must end in .png or .svg"),
    (lambda p, d: p.exports.heatmap_picture("Walking", d / "x.png", role="chef"), "no participant has the role"),
    (lambda p, d: p.exports.timeline_picture("P09", d / "x.png"), "no participant 'P09'"),
    (lambda p, d: p.exports.timeline_picture("P01", d / "x.png", measure="presence"), "not one of count, chars"),
])
def test_refusals_write_nothing(coded, tmp_path, call, message):
    with pytest.raises(QualcodeError, match=message):
        call(coded, tmp_path)
    assert not list(tmp_path.glob("x.*"))


def test_cli(coded, tmp_path, run_cli):
    path = coded.path
    coded.close()
    result = run_cli("-p", path, "picture", "heatmap", "Feelings", "-o", tmp_path / "theme.svg")
    assert result.exit_code == 0 and (tmp_path / "theme.svg").exists()
    result = run_cli("-p", path, "picture", "timeline", "P01", "-o", tmp_path / "p01.png", "--measure", "chars")
    assert result.exit_code == 0 and (tmp_path / "p01.png").exists()
