"""Kappa and alpha against independent references: a textbook example worked by hand,
Krippendorff's own worked examples, and the ``krippendorff`` package on random data."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from qualcode.analysis import agreement as ag

N = None  # a missing value


def test_cohen_kappa_textbook_two_by_two_by_hand():
    # 50 grant proposals, two readers, yes/no (the classic example, e.g. Wikipedia's
    # "Cohen's kappa"): 20 yes/yes, 5 A-yes/B-no, 10 A-no/B-yes, 15 no/no.
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    # By hand: po = (20 + 15) / 50 = 0.7. A says yes 25/50 = 0.5 of the time, B 30/50 =
    # 0.6. pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.3 + 0.2 = 0.5. kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    po = 35 / 50
    pe = (25 / 50) * (30 / 50) + (25 / 50) * (20 / 50)
    assert pe == pytest.approx(0.5)
    assert ag.cohen_kappa(a, b) == pytest.approx((po - pe) / (1 - pe), abs=1e-12)
    assert ag.cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)
    # The same table given as weighted counts.
    counts = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    assert ag.kappa_from_counts(counts) == pytest.approx(0.4, abs=1e-12)


def test_cohen_kappa_uses_each_coders_own_marginals_not_pooled_ones():
    # A: 1 1 1 1 0 0 0 0 0 0 ; B: 1 1 1 1 1 1 1 1 0 0 (po = 0.6)
    a = [1] * 4 + [0] * 6
    b = [1] * 8 + [0] * 2
    # Cohen: pe = 0.4 * 0.8 + 0.6 * 0.2 = 0.44 -> kappa = 0.16 / 0.56
    assert ag.cohen_kappa(a, b) == pytest.approx(0.16 / 0.56, abs=1e-12)
    # Scott's pi (pooled marginals 0.6 / 0.4) would give (0.6 - 0.52) / 0.48: not that.
    assert ag.cohen_kappa(a, b) != pytest.approx((0.6 - 0.52) / 0.48, abs=1e-6)


def test_kappa_undefined_when_chance_agreement_is_one():
    assert ag.cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert ag.kappa_from_counts({}) is None


def test_krippendorff_nominal_four_coders_twelve_units_with_missing_values():
    # Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), example C:
    # nominal data, 4 observers, 12 units, missing values; alpha = 0.743.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    assert round(ag.krippendorff_alpha(data), 3) == 0.743
    # The coincidence matrix's margins as the paper tabulates them: n_c = 9, 13, 10, 5, 3
    # for the values 1..5, n = 40 pairable values (unit 12 has one value and drops out).
    matrix = ag.coincidence_matrix(Counter(tuple(r[u] for r in data) for u in range(12)))
    margins = {c: sum(o for (c2, _k), o in matrix.items() if c2 == c) for c in range(1, 6)}
    assert margins == pytest.approx({1: 9, 2: 13, 3: 10, 4: 5, 5: 3})
    assert sum(matrix.values()) == pytest.approx(40)


def test_krippendorff_binary_two_coders():
    # The same paper, example A: binary data, two observers, ten units; alpha = 0.095.
    data = [
        [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    ]
    assert round(ag.krippendorff_alpha(data), 3) == 0.095
    # By hand: o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20.
    # alpha = 1 - (n - 1) * (o01 + o10) / (2 * n0 * n1) = 1 - 19 * 8 / 168 = 0.0952...
    assert ag.krippendorff_alpha(data) == pytest.approx(1 - 19 * 8 / 168, abs=1e-12)


def test_alpha_is_undefined_with_a_single_value_and_ignores_unpairable_units():
    assert ag.krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None
    assert ag.krippendorff_alpha([[1, 0, N], [1, 0, 1]]) == ag.krippendorff_alpha([[1, 0], [1, 0]])


def test_weighted_units_equal_repeated_units():
    counts = {(1, 1): 3, (1, 0): 2, (0, 0): 7, (0, N): 4, (N, 1): 1}
    expanded = [[], []]
    for values, weight in counts.items():
        for _ in range(weight):
            expanded[0].append(values[0])
            expanded[1].append(values[1])
    assert ag.alpha_from_counts(counts) == pytest.approx(ag.krippendorff_alpha(expanded), abs=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_alpha_matches_the_krippendorff_package_on_random_nominal_data(seed):
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    rng = random.Random(seed)
    coders = rng.randint(2, 5)
    units = rng.randint(3, 60)
    categories = rng.randint(2, 5)
    missing = rng.choice([0.0, 0.1, 0.3, 0.5])
    data = [[None if rng.random() < missing else rng.randrange(categories) for _ in range(units)]
            for _ in range(coders)]
    ours = ag.krippendorff_alpha(data)
    array = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    pairable = sum(1 for u in range(units) if sum(row[u] is not None for row in data) >= 2)
    values = {row[u] for row in data for u in range(units) if row[u] is not None
              and sum(r[u] is not None for r in data) >= 2}
    if pairable == 0 or len(values) < 2:
        assert ours is None
        return
    theirs = krippendorff.alpha(reliability_data=array, level_of_measurement="nominal")
    assert math.isclose(ours, theirs, rel_tol=0, abs_tol=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_kappa_matches_its_formula_on_random_tables(seed):
    rng = random.Random(1000 + seed)
    a = [rng.randrange(3) for _ in range(50)]
    b = [x if rng.random() < 0.6 else rng.randrange(3) for x in a]
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in range(3))
    assert ag.cohen_kappa(a, b) == pytest.approx((po - pe) / (1 - pe), abs=1e-12)
