"""A text transcript within the 20 MB limit can still hold millions of tiny lines or
turns (20 MB of one-word turns took 66 s and 1.7 GB): a file of more lines or turns
than any interview is refused at once. The real command runs 5 million lines, 250,000
turns (refused) and 199,999 turns (read) under 1 GB and a minute in
tests/hardening/test_corpus_under_limits.py."""

from __future__ import annotations

import pytest

from qualcode.errors import InputError
from qualcode.ingest import encoding, readers


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


def test_a_manifest_of_too_many_rows_is_refused_before_anything(tmp_path, monkeypatch):
    from qualcode import Project
    from qualcode.ingest import manifest

    monkeypatch.setattr(manifest, "MAX_ROWS", 3)
    (tmp_path / "m.csv").write_text("file,participant,wave\n" + ",P01,W1\n" * 4, encoding="utf-8")
    with Project.create(tmp_path / "p.qualcode") as project:
        with pytest.raises(InputError, match="m.csv: has more than 3 rows; split it into several manifests"):
            project.transcripts.import_manifest(tmp_path / "m.csv")
        assert project.study.participants() == []
