"""Cross-checks against independent implementations, invariants, and undefined cases."""

from __future__ import annotations

import itertools
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from slqual.agreement.binary import binary_agreement
from slqual.agreement.masi import alpha_masi, masi_similarity, prepare
from slqual.agreement.nominal import point_statistics, terms_from_labels
from slqual.agreement.undefined import ALWAYS_USED, NEVER_USED, NO_UNITS, ONE_UNIT

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def binary_ratings(draw, min_coders=2, max_coders=4, missing=True):
    """0/1/NaN ratings shaped (units, coders, codes)."""
    units = draw(st.integers(2, 25))
    coders = draw(st.integers(min_coders, max_coders))
    codes = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    prevalence = rng.uniform(0.05, 0.95, codes)
    ratings = (rng.random((units, coders, codes)) < prevalence).astype(float)
    if missing:
        ratings[rng.random((units, coders)) < 0.2] = np.nan
    return ratings


def _close(a, b):
    return (a is None and (b is None or np.isnan(b))) or (
        a is not None and b is not None and a == pytest.approx(b)
    )


@SETTINGS
@given(binary_ratings())
def test_alpha_matches_the_krippendorff_package(ratings):
    result = binary_agreement(ratings)
    for k in range(ratings.shape[2]):
        ours = result.stats["krippendorff_alpha"].get(k)
        data = ratings[:, :, k].T
        pairable = (~np.isnan(data)).sum(axis=0) >= 2
        values = data[:, pairable]
        if ours is None:
            continue  # undefined cases are tested on their own below
        assert ours == pytest.approx(
            krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")
        )


@SETTINGS
@given(binary_ratings(2, 2, missing=False))
def test_cohen_kappa_matches_scikit_learn(ratings):
    result = binary_agreement(ratings)
    for k in range(ratings.shape[2]):
        ours = result.stats["cohen_kappa"].get(k)
        a, b = ratings[:, 0, k], ratings[:, 1, k]
        if ours is None:
            assert len(set(a) | set(b)) == 1  # undefined only when both used a single same value
            continue
        assert ours == pytest.approx(cohen_kappa_score(a, b))


@SETTINGS
@given(binary_ratings(2, 5, missing=False))
def test_fleiss_kappa_matches_statsmodels_on_complete_data(ratings):
    result = binary_agreement(ratings)
    for k in range(ratings.shape[2]):
        ours = result.stats["fleiss_kappa"].get(k)
        ones = ratings[:, :, k].sum(axis=1)
        table = np.stack([ratings.shape[1] - ones, ones], axis=1)
        if ours is None:
            continue
        assert ours == pytest.approx(sm_fleiss_kappa(table))


@SETTINGS
@given(binary_ratings(), st.randoms(use_true_random=False))
def test_coder_order_and_unit_order_do_not_matter(ratings, rnd):
    coders = list(range(ratings.shape[1]))
    units = list(range(ratings.shape[0]))
    rnd.shuffle(coders)
    rnd.shuffle(units)
    first = binary_agreement(ratings)
    second = binary_agreement(ratings[units][:, coders])
    for name in first.stats:
        for k in range(ratings.shape[2]):
            assert _close(first.stats[name].get(k), second.stats[name].get(k)), name
    present = np.nan_to_num(ratings) == 1
    rated = ~np.isnan(ratings[:, :, 0])
    a = alpha_masi(prepare(present, rated))[0]
    b = alpha_masi(prepare(present[units][:, coders], rated[units][:, coders]))[0]
    assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b)


@SETTINGS
@given(binary_ratings())
def test_perfect_agreement_gives_one_where_defined(ratings):
    copy = np.repeat(ratings[:, :1], ratings.shape[1], axis=1)  # every coder rates like the first
    copy[:, 1:][np.isnan(ratings[:, 1:])] = np.nan
    result = binary_agreement(copy)
    for name in ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1"):
        for k in range(copy.shape[2]):
            value = result.stats[name].get(k)
            assert value is None or value == pytest.approx(1.0), name


def _brute_masi_alpha(present, rated):
    values, observed = [], 0.0

    def distance(a, b):
        return 0.0 if a == b else 1.0 - float(masi_similarity(len(a), len(b), len(a & b)))

    for u in range(present.shape[0]):
        sets = [frozenset(np.nonzero(present[u, c])[0]) for c in range(present.shape[1]) if rated[u, c]]
        if len(sets) < 2:
            continue
        values += sets
        observed += sum(distance(a, b) for a, b in itertools.permutations(sets, 2)) / (len(sets) - 1)
    n = len(values)
    expected = sum(distance(a, b) for a, b in itertools.permutations(values, 2)) / (n * (n - 1))
    return 1 - (observed / n) / expected


@SETTINGS
@given(st.integers(0, 2**32 - 1))
def test_masi_alpha_matches_a_direct_computation(seed):
    rng = np.random.default_rng(seed)
    units, coders, codes = rng.integers(3, 12), rng.integers(2, 4), rng.integers(1, 6)
    present = rng.random((units, coders, codes)) < rng.uniform(0.1, 0.6)
    rated = rng.random((units, coders)) < 0.85
    ours = alpha_masi(prepare(present, rated))[0]
    try:
        expected = _brute_masi_alpha(present, rated)
    except ZeroDivisionError:
        expected = np.nan
    assert (np.isnan(ours) and np.isnan(expected)) or ours == pytest.approx(expected)


def test_masi_similarity_follows_passonneau():
    # identical 1; subset 2/3 x Jaccard; overlap 1/3 x Jaccard; disjoint 0; two empty sets identical
    assert masi_similarity(2, 2, 2) == 1
    assert masi_similarity(1, 2, 1) == pytest.approx(2 / 3 * 1 / 2)
    assert masi_similarity(2, 2, 1) == pytest.approx(1 / 3 * 1 / 3)
    assert masi_similarity(2, 3, 0) == 0
    assert masi_similarity(0, 0, 0) == 1
    assert masi_similarity(0, 2, 0) == 0


def test_masi_alpha_on_one_code_per_segment_equals_nominal_alpha():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 4, size=(30, 3))
    labels[rng.random((30, 3)) < 0.15] = -1
    present = labels[:, :, None] == np.arange(4)[None, None, :]
    masi = alpha_masi(prepare(present, labels >= 0))[0]
    stats, _, _ = point_statistics(terms_from_labels(labels[:, :, None], 4))
    assert masi == pytest.approx(stats["krippendorff_alpha"].get())


def _no_warnings(ratings):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return binary_agreement(ratings)


def test_a_code_nobody_used_is_undefined_with_the_reason():
    ratings = np.zeros((10, 2, 1))
    result = _no_warnings(ratings)
    for name in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger"):
        assert result.stats[name].get() is None
        assert result.stats[name].why() == NEVER_USED
    assert result.stats["percent_agreement"].get() == 1.0
    assert int(result.n[0]) == 10


def test_a_code_everybody_always_used_is_undefined_with_the_reason():
    result = _no_warnings(np.ones((8, 3, 1)))
    for name in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger"):
        assert result.stats[name].get() is None
        assert ALWAYS_USED in result.stats[name].why()


def test_a_single_unit_is_undefined_not_zero():
    result = _no_warnings(np.array([[[1.0], [0.0]]]))
    for name in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger"):
        assert result.stats[name].get() is None
        assert result.stats[name].why() == ONE_UNIT
    assert result.stats["percent_agreement"].get() == 0.0


def test_no_unit_rated_twice_leaves_even_percent_agreement_undefined():
    ratings = np.array([[[1.0], [np.nan]], [[np.nan], [0.0]], [[1.0], [np.nan]]])
    result = _no_warnings(ratings)
    assert int(result.n[0]) == 0
    for name in result.stats:
        assert result.stats[name].get() is None
        assert result.stats[name].why() == NO_UNITS


def test_light_kappa_is_the_mean_of_pairwise_cohen_kappas():
    rng = np.random.default_rng(5)
    ratings = (rng.random((40, 3, 2)) < 0.4).astype(float)
    result = binary_agreement(ratings)
    for k in range(2):
        pairwise = [
            cohen_kappa_score(ratings[:, i, k], ratings[:, j, k])
            for i, j in itertools.combinations(range(3), 2)
        ]
        assert result.stats["cohen_kappa"].get(k) == pytest.approx(np.mean(pairwise))


def test_kappa_interval_uses_the_fleiss_cohen_everitt_standard_error():
    from statsmodels.stats.inter_rater import cohens_kappa

    rng = np.random.default_rng(11)
    ratings = (rng.random((60, 2, 1)) < 0.5).astype(float)
    result = binary_agreement(ratings)
    table = np.zeros((2, 2))
    for a, b in ratings[:, :, 0].astype(int):
        table[a, b] += 1
    reference = cohens_kappa(table)
    low, high = result.stats["cohen_kappa"].interval()
    assert (high - low) / 2 == pytest.approx(1.959964 * reference.std_kappa, rel=1e-5)


def test_no_zero_width_interval_when_one_coder_never_applies_the_code():
    ratings = np.zeros((7, 2, 1))
    ratings[3, 1, 0] = 1.0  # only the second coder applied the code, once
    result = _no_warnings(ratings)
    assert result.stats["cohen_kappa"].get() == 0.0
    assert result.stats["cohen_kappa"].interval() is None


def test_perfect_agreement_on_a_rare_code_withholds_its_zero_width_interval():
    ratings = np.zeros((7, 2, 1))
    ratings[[1, 4], :, 0] = 1.0
    result = _no_warnings(ratings)
    assert result.stats["cohen_kappa"].get() == 1.0
    assert result.stats["cohen_kappa"].interval() is None  # [1, 1] would claim certainty (issue 10)
    assert (
        result.stats["cohen_kappa"].withheld_why().startswith("interval withheld: it would have zero width")
    )
