"""Units of agreement: the interval sweep against a per-character brute force, and
segment and turn units on cases worked out by hand."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.analysis import agreement as ag

# --- char units: sweep == one entry per character -----------------------------------

@st.composite
def small_projects(draw):
    coders = [f"c{i}" for i in range(draw(st.integers(2, 3)))]
    codes = [f"k{i}" for i in range(draw(st.integers(1, 3)))]
    lengths = {f"t{i}": draw(st.integers(0, 40)) for i in range(draw(st.integers(1, 3)))}
    codings = []
    for transcript, length in lengths.items():
        if length == 0:
            continue
        for _ in range(draw(st.integers(0, 8))):
            start = draw(st.integers(0, length - 1))
            end = draw(st.integers(start + 1, length))
            codings.append((transcript, draw(st.sampled_from(codes)),
                            draw(st.sampled_from(coders)), start, end))
    # Who coded each transcript: whoever has a coding in it, plus (as if they had used
    # codes outside the comparison) some others.
    coded_by = {t: {c[2] for c in codings if c[0] == t} for t in lengths}
    for t in lengths:
        coded_by[t] |= set(draw(st.sets(st.sampled_from(coders))))
    return coders, codes, lengths, coded_by, codings


def brute_force(coders, codes, lengths, coded_by, codings):
    """One entry per character and code: {code: [per-coder value lists]}."""
    tables = {}
    for code in codes:
        rows = [[] for _ in coders]
        for transcript, length in lengths.items():
            present = [c in coded_by[transcript] for c in coders]
            if sum(present) < 2:
                continue
            for position in range(length):
                for i, coder in enumerate(coders):
                    if not present[i]:
                        rows[i].append(None)
                        continue
                    rows[i].append(int(any(
                        t == transcript and k == code and d == coder and s <= position < e
                        for t, k, d, s, e in codings)))
        tables[code] = rows
    return tables


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_projects())
def test_char_sweep_equals_per_character_brute_force(case):
    coders, codes, lengths, coded_by, codings = case
    result = ag.agreement(codings, coders, coded_by, lengths, unit="char", codes=codes)
    brute = brute_force(coders, codes, lengths, coded_by, codings)
    pooled = [[] for _ in coders]
    for code in codes:
        rows = brute[code]
        for i, row in enumerate(rows):
            pooled[i].extend(row)
        _check(result["codes"][code], rows, len(coders))
    _check(result["overall"], pooled, len(coders))


def _check(summary, rows, n_coders):
    units = list(zip(*rows))
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    assert summary["units"] == len(pairable)
    agreed = sum(1 for u in pairable if len({v for v in u if v is not None}) == 1)
    assert summary["agreed"] == agreed
    if pairable:
        assert math.isclose(summary["percent_agreement"], 100 * agreed / len(pairable),
                            abs_tol=1e-9)
    alpha = ag.krippendorff_alpha(rows) if rows and rows[0] else None
    if alpha is None:
        assert summary["alpha"] is None
    else:
        assert math.isclose(summary["alpha"], alpha, abs_tol=1e-9)
    if n_coders == 2:
        both = [(a, b) for a, b in units if a is not None and b is not None]
        kappa = ag.cohen_kappa([a for a, _ in both], [b for _, b in both]) if both else None
        if kappa is None:
            assert summary["kappa"] is None
        else:
            assert math.isclose(summary["kappa"], kappa, abs_tol=1e-9)


@settings(max_examples=25, deadline=None)
@given(small_projects())
def test_char_alpha_matches_the_krippendorff_package_per_character(case):
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    coders, codes, lengths, coded_by, codings = case
    result = ag.agreement(codings, coders, coded_by, lengths, unit="char", codes=codes)
    for code, rows in brute_force(coders, codes, lengths, coded_by, codings).items():
        ours = result["codes"][code]["alpha"]
        if ours is None or not rows[0]:
            continue
        array = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
        theirs = krippendorff.alpha(reliability_data=array, level_of_measurement="nominal")
        assert math.isclose(ours, theirs, abs_tol=1e-9)


def test_sweep_never_lists_characters():
    # A 10-million-character transcript with two codings is a handful of intervals.
    intervals = list(ag.sweep([(0, 100, 5_000_000), (1, 200, 6_000_000)], 10_000_000,
                              (True, True)))
    assert [(s, e) for s, e, _ in intervals] == [
        (0, 100), (100, 200), (200, 5_000_000), (5_000_000, 6_000_000), (6_000_000, 10_000_000)]
    assert [v for _, _, v in intervals] == [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]


def test_char_by_hand_two_coders():
    # 100 characters; A codes 0-50, B codes 25-75: both 25, only A 25, only B 25, neither 25.
    codings = [("t", "k", "A", 0, 50), ("t", "k", "B", 25, 75)]
    r = ag.agreement(codings, ["A", "B"], {"t": {"A", "B"}}, {"t": 100})
    s = r["codes"]["k"]
    assert s["table"] == {"both": 25, "only_first": 25, "only_second": 25, "neither": 25}
    assert s["percent_agreement"] == 50.0
    # pe = 0.5 * 0.5 + 0.5 * 0.5 = 0.5; po = 0.5 -> kappa 0
    assert s["kappa"] == pytest.approx(0.0)
    # Own overlapping codings count once; offsets past the end are clipped.
    codings += [("t", "k", "A", 10, 40), ("t", "k", "B", 70, 500)]
    s = ag.agreement(codings, ["A", "B"], {"t": {"A", "B"}}, {"t": 100})["codes"]["k"]
    assert s["table"] == {"both": 25, "only_first": 25, "only_second": 50, "neither": 0}


def test_transcripts_coded_by_one_coder_are_left_out():
    codings = [("t1", "k", "A", 0, 10), ("t2", "k", "A", 0, 10), ("t2", "k", "B", 0, 10)]
    r = ag.agreement(codings, ["A", "B"], {"t1": {"A"}, "t2": {"A", "B"}}, {"t1": 10, "t2": 20})
    assert r["transcripts"] == ["t2"]
    assert r["codes"]["k"]["units"] == 20


def test_char_disagreements_are_maximal_stretches():
    codings = [("t", "k", "A", 0, 50), ("t", "k", "B", 25, 75), ("t", "k", "B", 75, 80)]
    rows = ag.disagreements(codings, ["A", "B"], {"t": {"A", "B"}}, {"t": 100})
    assert [(r["start"], r["end"], r["coded_by"], r["not_coded_by"]) for r in rows] == [
        (0, 25, ["A"], ["B"]), (50, 80, ["B"], ["A"])]


# --- segment units --------------------------------------------------------------------

def test_segment_matching_by_hand():
    A, B = "A", "B"
    codings = [
        ("t", "k", A, 0, 10), ("t", "k", B, 1, 10),     # 9/10 = 0.9: match
        ("t", "k", A, 20, 30), ("t", "k", B, 20, 40),   # 10/20 = 0.5: two misses
        ("t", "k", A, 50, 60),                          # nobody else: a miss
        ("t", "k", A, 70, 80), ("t", "k", B, 72, 80),   # 8/10 = 0.8: match (at least)
        ("t", "j", B, 0, 5),                            # other code, B only: a miss
    ]
    r = ag.agreement(codings, [A, B], {"t": {A, B}}, {"t": 100}, unit="segment")
    k = r["codes"]["k"]
    assert k["table"] == {"matched": 2, "only_first": 2, "only_second": 1}
    assert k["percent_agreement"] == pytest.approx(100 * 2 / 5)
    assert k["kappa"] is None and k["alpha"] is None
    assert r["codes"]["j"]["percent_agreement"] == 0.0
    assert r["overall"]["table"] == {"matched": 2, "only_first": 2, "only_second": 2}
    stricter = ag.agreement(codings, [A, B], {"t": {A, B}}, {"t": 100}, unit="segment",
                            min_overlap=0.85)
    assert stricter["codes"]["k"]["table"]["matched"] == 1
    looser = ag.agreement(codings, [A, B], {"t": {A, B}}, {"t": 100}, unit="segment",
                          min_overlap=0.5)
    assert looser["codes"]["k"]["table"]["matched"] == 3


def test_segment_matching_is_one_to_one_and_best_first():
    matched, only_a, only_b = ag.match_segments([(0, 10)], [(1, 10), (0, 10)], 0.8)
    assert matched == [(0, 1)] and only_a == [] and only_b == [0]
    # Two of A's codings compete for one of B's: the better overlap wins.
    matched, only_a, only_b = ag.match_segments([(0, 9), (0, 10)], [(0, 10)], 0.8)
    assert matched == [(1, 0)] and only_a == [0]


def test_segment_disagreements_list_unmatched_codings_with_best_overlap():
    codings = [("t", "k", "A", 20, 30), ("t", "k", "B", 20, 40), ("t", "k", "A", 0, 10),
               ("t", "k", "B", 0, 10)]
    rows = ag.disagreements(codings, ["A", "B"], {"t": {"A", "B"}}, {"t": 50}, unit="segment")
    assert [(r["start"], r["end"], r["coded_by"], r["best_overlap"]) for r in rows] == [
        (20, 30, ["A"], 0.5), (20, 40, ["B"], 0.5)]


def test_segment_three_coders_sum_over_pairs():
    codings = [("t", "k", c, 0, 10) for c in "ABC"] + [("t", "k", "A", 20, 30)]
    r = ag.agreement(codings, list("ABC"), {"t": set("ABC")}, {"t": 50}, unit="segment")
    # pairs AB, AC, BC each match (0,10); A's (20,30) is unmatched in AB and in AC.
    assert r["codes"]["k"]["units"] == 5 and r["codes"]["k"]["agreed"] == 3


# --- turn units -----------------------------------------------------------------------

TURNS = {"t": [(0, 10, 1), (10, 20, 2), (20, 30, 3), (30, 40, 4), (40, 40, 5)]}


def test_turn_units_by_hand():
    codings = [
        ("t", "k", "A", 5, 12),   # A: turns 1 and 2
        ("t", "k", "B", 10, 11),  # B: turn 2
        ("t", "k", "B", 29, 30),  # B: turn 3 (one character is enough)
        ("t", "k", "A", 20, 20 + 10),  # A: turn 3 only (end is exclusive)
    ]
    r = ag.agreement(codings, ["A", "B"], {"t": {"A", "B"}}, {"t": 40}, unit="turn", turns=TURNS)
    s = r["codes"]["k"]
    # 4 turns (the empty one is not a unit): 1 only A, 2 both, 3 both, 4 neither.
    assert s["table"] == {"both": 2, "only_first": 1, "only_second": 0, "neither": 1}
    assert s["percent_agreement"] == 75.0
    # po = 0.75; pA(1) = 0.75, pB(1) = 0.5; pe = 0.75*0.5 + 0.25*0.5 = 0.5; kappa = 0.5
    assert s["kappa"] == pytest.approx(0.5)
    alpha = ag.krippendorff_alpha([[1, 1, 1, 0], [0, 1, 1, 0]])
    assert s["alpha"] == pytest.approx(alpha, abs=1e-12)
    rows = ag.disagreements(codings, ["A", "B"], {"t": {"A", "B"}}, {"t": 40}, unit="turn",
                            turns=TURNS)
    assert [(r["turn"], r["start"], r["end"], r["coded_by"]) for r in rows] == [(1, 0, 10, ["A"])]


def test_turn_units_with_overlapping_turns_fall_back_to_a_scan():
    turns = {"t": [(0, 10, 1), (5, 15, 2), (20, 30, 3)]}
    codings = [("t", "k", "A", 12, 14), ("t", "k", "B", 0, 3)]
    r = ag.agreement(codings, ["A", "B"], {"t": {"A", "B"}}, {"t": 30}, unit="turn", turns=turns)
    assert r["codes"]["k"]["table"] == {"both": 0, "only_first": 1, "only_second": 1, "neither": 1}


def test_bad_requests():
    with pytest.raises(ValueError):
        ag.agreement([], ["A"], {}, {})
    with pytest.raises(ValueError):
        ag.agreement([], ["A", "A"], {}, {})
    with pytest.raises(ValueError):
        ag.agreement([], ["A", "B"], {}, {}, unit="word")
    with pytest.raises(ValueError):
        ag.agreement([], ["A", "B"], {}, {}, min_overlap=1.5)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_projects(), st.data())
def test_turn_units_equal_a_per_turn_brute_force(case, data):
    coders, codes, lengths, coded_by, codings = case
    turns = {}
    for transcript, length in lengths.items():
        cuts = sorted(data.draw(st.lists(st.integers(0, length), max_size=6)))
        edges = [0, *cuts, length]
        turns[transcript] = [(edges[k], edges[k + 1], k + 1) for k in range(len(edges) - 1)]
    result = ag.agreement(codings, coders, coded_by, lengths, unit="turn", turns=turns,
                          codes=codes)
    for code in codes:
        expected = Counter()
        for transcript in lengths:
            present = [c in coded_by[transcript] for c in coders]
            if sum(present) < 2:
                continue
            for start, end, _seq in turns[transcript]:
                if end <= start:
                    continue
                expected[tuple(
                    None if not present[i] else int(any(
                        t == transcript and k == code and d == coder and s < end and e > start
                        for t, k, d, s, e in codings))
                    for i, coder in enumerate(coders))] += 1
        rows = [[v[i] for v, n in expected.items() for _ in range(n)] for i in range(len(coders))]
        _check(result["codes"][code], rows, len(coders))
