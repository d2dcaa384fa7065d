from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import Project

from .recordings import player_on_path  # noqa: F401  (a fixture for the tests here)

# Times on turns 1, 2 and 5; turns 3 and 4 have none (their times are estimated).
TEXT = """[00:00:02] Interviewer: How did the move go?

[00:00:05] C05: It was hard.

Interviewer: Why?

C05: I missed the garden and the neighbours.

[00:00:15] Interviewer: And now?
"""


@pytest.fixture
def project_path(tmp_path) -> Path:
    """A project with one timed transcript, C05_W2, in tmp_path/study/."""
    folder = tmp_path / "study"
    folder.mkdir()
    source = folder / "C05_W2.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = folder / "study.qualcode"
    with Project.create(path, title="media") as p:
        p.coder = "tester"
        p.transcripts.import_transcript(source)
    return path
