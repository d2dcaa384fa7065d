"""A text transcript within the 20 MB limit can still hold millions of tiny lines or
turns (20 MB of one-word turns took 66 s and 1.7 GB): a file of more lines or turns
than any interview is refused at once; the largest accepted imports well within a
minute and 1 GB. Run through the real command under a memory limit."""

from __future__ import annotations

import pytest

from qualcode import Project
from qualcode.errors import InputError
from qualcode.ingest import encoding, readers

from .._limited_cli import run_qualcode
from ..conftest import file_digest


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project:
        project.add_wave("W1")
        project.add_participant("P01")
    return path


@pytest.mark.parametrize(("text", "message"), [
    ("P01: a\n\n" * 2_500_000, "tiny.txt: has more than 1,000,000 lines (5,000,000); it is not a transcript"),
    ("P01: a\n\n" * 250_000, "tiny.txt: has 250,000 turns, more than 200,000; it is not a transcript"),
], ids=["lines", "turns"])
def test_too_many_lines_or_turns_are_refused_at_once(study, tmp_path, text, message):
    (tmp_path / "tiny.txt").write_text(text, encoding="utf-8")
    before = file_digest(study)
    run = run_qualcode(["-p", study, "import", tmp_path / "tiny.txt", "--participant", "P01", "--wave", "W1"],
                       timeout=60)
    assert (run.returncode, run.stderr.strip()) == (1, f"Error: {message} (split it)"), run.describe()
    assert run.seconds < 30 and run.peak_mb < 500, run.describe()
    assert file_digest(study) == before


def test_the_largest_accepted_imports_within_a_minute_and_a_gigabyte(study, tmp_path):
    (tmp_path / "many.txt").write_text("P01: a b c.\n\n" * 199_999 + "\n" * 590_000, encoding="utf-8")
    run = run_qualcode(["-p", study, "import", tmp_path / "many.txt", "--participant", "P01", "--wave", "W1"],
                       timeout=60)
    assert run.returncode == 0, run.describe()
    assert run.seconds < 45 and run.peak_mb < 700, run.describe()
    with Project.open(study) as project:
        assert project.status()["counts"]["turns"] == 199_999


def test_the_limits_apply_to_every_text_format(tmp_path, monkeypatch):
    monkeypatch.setattr(encoding, "MAX_LINES", 10)
    cues = "".join(f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},500\nP01: a\n\n" for i in range(1, 5))
    (tmp_path / "c.srt").write_text(cues, encoding="utf-8")
    with pytest.raises(InputError, match="c.srt: has more than 10 lines"):
        readers.read_transcript(tmp_path / "c.srt")
    monkeypatch.setattr(encoding, "MAX_LINES", 1000)
    monkeypatch.setattr(readers, "MAX_TURNS", 3)
    with pytest.raises(InputError, match="c.srt: has 4 turns, more than 3"):
        readers.read_transcript(tmp_path / "c.srt")
