"""Speakers and turns of real transcripts, scored as benchmarks/bench_speakers.py scores them.

The nine third-party files in ../shared/transcripts/realworld have ground truth in their
truth.json; the files in heldout/ were written for this project in the same shapes (with
other names, lengths and quirks) and carry a truth.json of their own, derived with a
label pattern per file, as the shared one was.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import pytest

from qualcode import Project
from qualcode.records.transcripts import Turn

from ..conftest import REPO, SHARED, shared_path

HELD_OUT = Path(__file__).resolve().parent / "heldout"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_speakers", REPO / "benchmarks" / "bench_speakers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entries(folder: Path) -> list[dict]:
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """Every file of both folders imported once into one project, and scored."""
    bench = _bench()
    results = {}
    folders = [HELD_OUT]
    if (SHARED / "transcripts" / "realworld").exists():
        folders.append(SHARED / "transcripts" / "realworld")
    with Project.create(tmp_path_factory.mktemp("real") / "real.qualcode") as project:
        for folder in folders:
            for index, truth in enumerate(_entries(folder)):
                name = f"{folder.name}-{index}"
                project.transcripts.import_transcript(folder / truth["file"], name=name)
                info = project.transcripts.get(name)
                source = bench._source_text(folder / truth["file"])
                results[(folder.name, truth["file"])] = bench.score(truth, info.text, info.turns, source)
    return results


def _check(result: dict) -> None:
    assert result["labels_ok"], f"labels found: {result['labels']}"
    assert result["turns_ok"], f"{result['turns']} turns, expected {result['expected_turns']} (merged)"
    assert result["first5_ok"], f"first five turns right: {result['first5']}"


@pytest.mark.parametrize("file", [e["file"] for e in _entries(HELD_OUT)])
def test_held_out_transcripts(scored, file):
    _check(scored[("heldout", file)])


REALWORLD = [
    "changelog_brain-science-1.md", "changelog_js-party-1.md", "ethpm_focil-031_zoom.vtt",
    "ethpm_acdc-175_zoom.vtt", "fossda_roger-dannenberg_voicetags.vtt", "audreyt_en_uberx-consultation.md",
    "audreyt_zh_uberx-consultation.md", "spacelog_ma7_TEC.txt", "talkpython_001_nolabels.txt",
]


@pytest.mark.parametrize("file", REALWORLD)
def test_shared_real_transcripts(scored, file):
    shared_path("transcripts", "realworld", file)
    _check(scored[("realworld", file)])


def _turn(seq: int, speaker: str, start: int, end: int) -> Turn:
    return Turn(id=seq, seq=seq, speaker=speaker, participant=None, interviewer=0, start=start, end=end)


def test_scoring_can_fail():
    """The scorer itself: a wrong label set, a wrong count and a wrong start are caught."""
    bench = _bench()
    source = "A: one\nB: two\nA: three\n"
    truth = {"file": "x", "speaker_labels": ["A", "B"], "turns": 3, "turns_merged_consecutive_same_label": 3,
             "first5_turn_text_offsets": [3, 10, 17]}
    turns = [_turn(1, "A", 3, 6), _turn(2, "B", 10, 13), _turn(3, "A", 17, 22)]
    good = bench.score(truth, source, turns, source)
    assert good["labels_ok"] and good["turns_ok"] and good["first5_ok"]
    wrong_label = [replace(turns[0], speaker="C"), *turns[1:]]
    assert not bench.score(truth, source, wrong_label, source)["labels_ok"]
    one_turn = [_turn(1, "A", 3, 22)]
    result = bench.score(truth, source, one_turn, source)
    assert not result["turns_ok"] and not result["first5_ok"]
    shifted = [replace(turns[0], start=4), *turns[1:]]
    assert not bench.score(truth, source, shifted, source)["first5_ok"]
