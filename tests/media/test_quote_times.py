"""Quotes and segment exports carry where the turn starts in the recording."""

from __future__ import annotations

import csv

from qualcode import Project
from qualcode.coding.tagging import Target


def test_segments_and_their_attribution_carry_the_turns_time(project_path, tmp_path):
    with Project.open(project_path) as p:
        p.codebook.add_code("Loss")
        p.coding.tag("C05_W2", "Loss", Target(turn=2))  # timed at 00:00:05 in the source
        p.coding.tag("C05_W2", "Loss", Target(turn=4))  # estimated: 5 + 10 * 38/103 = 8.689 s
        rows = p.coding.segments("Loss")
        out = p.exports.segments(tmp_path / "segments.csv")
    assert [(r.turn, r.time, r.turn_time_estimated) for r in rows] == [
        (2, "00:00:05", False), (4, "~00:00:08", True)]
    with open(out, newline="", encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert [(r["turn"], r["time"]) for r in table] == [("2", "00:00:05"), ("4", "~00:00:08")]
    assert table[0]["attribution"] == "Unattributed speaker, C05_W2, turn 2, 00:00:05"
    assert table[1]["attribution"].endswith("C05_W2, turn 4, ~00:00:08")


def test_a_transcript_without_times_cites_no_time(tmp_path):
    source = tmp_path / "P01_W1.txt"
    source.write_text("Interviewer: Hello?\n\nP01: Hello.\n", encoding="utf-8")
    with Project.create(tmp_path / "s.qualcode") as p:
        p.transcripts.import_transcript(source)
        p.codebook.add_code("Greeting")
        p.coding.tag("P01_W1", "Greeting", Target(turn=2))
        (row,) = p.coding.segments("Greeting")
    assert row.time == "" and row.turn_time is None
