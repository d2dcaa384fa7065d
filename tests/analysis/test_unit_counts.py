"""The turn and transcript scopes counted in numpy (analysis.unit_counts) against the
row-by-row count (cooccurrence.count_units) and against counts made by hand."""

from __future__ import annotations

import hashlib
import random

import pytest

from qualcode import Project
from qualcode.analysis import cooccurrence as cooc
from qualcode.analysis.unit_counts import count_scope
from qualcode.store import analysis as store_analysis
from qualcode.store import codes as store_codes
from qualcode.store import db as store_db
from qualcode.store import study as store_study
from qualcode.store import transcripts as store_tx


def add_transcript(db, number: int, length: int, turn_starts: list[int], wave=None) -> int:
    text = f"t{number}"
    tid = store_tx.insert_transcript(
        db, name=f"T{number}", kind="interview", wave_id=wave, participant_id=None, date=None,
        source_name=f"T{number}.txt", source_format="text", sha256=hashlib.sha256(text.encode()).hexdigest(),
        encoding="utf-8", text=text, imported_by=None)
    speaker = store_tx.insert_speaker(db, tid, "R", None, False)
    db.execute("UPDATE transcripts SET char_count = ? WHERE id = ?", [length, tid])
    ends = [*turn_starts[1:], length]
    store_tx.insert_turns(db, tid, [(k + 1, speaker, s, e, None, None)
                                    for k, (s, e) in enumerate(zip(turn_starts, ends))])
    return tid


def test_hand_counted_turns(tmp_path):
    # T1: turns start at 10 and 50. T2: one turn, starting at 2.
    #   A by ann [12, 20) and by ben [15, 25): one passage, in turn T1@10
    #   B by ann [30, 40): turn T1@10;  B by ann [55, 60): turn T1@50
    #   C by ann [0, 5): before T1's first turn, so in no turn (still a passage)
    #   C by ann [60, 70): turn T1@50
    #   A by ann [1, 3) in T2: before T2's first turn (not in T1's last one)
    #   B by ann [2, 4) in T2: turn T2@2
    # Turns: T1@10 {A, B}, T1@50 {B, C}, T2@2 {B}.
    with Project.create(tmp_path / "p.qualcode") as project:
        db = project.db
        with store_db.write(db):
            ann, ben = store_study.coder_id(db, "ann"), store_study.coder_id(db, "ben")
            a, b, c = (store_codes.insert_code(db, name, None, {}) for name in "ABC")
            t1 = add_transcript(db, 1, 100, [10, 50])
            t2 = add_transcript(db, 2, 10, [2])
        store_analysis.bulk_insert_codings(db, [
            (t1, a, ann, 12, 20), (t1, a, ben, 15, 25), (t1, b, ann, 30, 40), (t1, b, ann, 55, 60),
            (t1, c, ann, 0, 5), (t1, c, ann, 60, 70), (t2, a, ann, 1, 3), (t2, b, ann, 2, 4)])
        freq, units, pairs = count_scope(db, "turn")
        assert freq == {a: 2, b: 3, c: 2}          # A's two coders on one passage: once
        assert units == {a: 1, b: 3, c: 1}
        assert pairs == {(a, b): [1, 1], (b, c): [1, 1]}
        freq, units, pairs = count_scope(db, "transcript")
        assert units == {a: 2, b: 2, c: 1}
        assert pairs == {(a, b): [2, 2], (a, c): [1, 1], (b, c): [1, 1]}
        # One coder: ben's coding alone.
        freq, units, pairs = count_scope(db, "turn", coder_ids=[ben])
        assert (freq, units, pairs) == ({a: 1}, {a: 1}, {})


def build_random(path, seed: int):
    rng = random.Random(seed)
    with Project.create(path) as project:
        db = project.db
        with store_db.write(db):
            coders = [store_study.coder_id(db, name) for name in ("ann", "ben")]
            codes = [store_codes.insert_code(db, f"code {k}", None, {}) for k in range(12)]
            waves = [store_study.add_wave(db, label) for label in ("W1", "W2")]
            transcripts = []
            for number in range(8):
                length = rng.randint(50, 400)
                starts = sorted({0 if rng.random() < 0.5 else rng.randint(1, 20),
                                 *rng.sample(range(21, length), rng.randint(0, 6))})
                if number == 7:
                    starts = []  # a transcript without turns
                tid = (add_transcript(db, number, length, starts, rng.choice([*waves, None]))
                       if starts else None)
                if tid is None:
                    tid = add_transcript(db, number, length, [length - 1], rng.choice(waves))
                transcripts.append((tid, length))
        rows = set()
        for _ in range(300):
            tid, length = rng.choice(transcripts)
            start = rng.randrange(0, length - 5)
            rows.add((tid, rng.choice(codes), rng.choice(coders), start,
                      min(length, start + rng.randint(1, 40))))
        store_analysis.bulk_insert_codings(db, sorted(rows))
        return coders, codes, waves


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("scope", ["turn", "transcript"])
def test_same_counts_as_row_by_row(tmp_path, seed, scope):
    coders, codes, waves = build_random(tmp_path / "p.qualcode", seed)
    with Project.open(tmp_path / "p.qualcode") as project:
        db = project.db
        for filters in ({}, {"coder_ids": coders[:1]}, {"wave_ids": waves[1:]},
                        {"code_ids": codes[::2]}):
            rows = store_analysis.codings(db, with_turn=scope == "turn", **filters)
            expected = cooc.count_units(rows, 5 if scope == "turn" else 0)
            assert count_scope(db, scope, **filters) == expected, filters
