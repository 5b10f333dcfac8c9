"""Issue 10, defect 2: the MASI alpha on dense multi-code data is bounded in time and memory."""

from __future__ import annotations

import time

import numpy as np
import pytest

from slqual.agreement.build import Ratings
from slqual.agreement.compute import compute_agreement
from slqual.agreement.masi import alpha_masi, prepare
from slqual.agreement.masi_pairs import choose_method
from slqual.agreement.report import to_dict


def dense(units: int, coders: int = 3, codes: int = 40, per_segment: int = 8, seed: int = 0):
    """About ``per_segment`` codes per segment per coder, coders agreeing on most of them."""
    rng = np.random.default_rng(seed)
    truth = rng.random((units, codes)) < per_segment / codes
    flip = rng.random((units, coders, codes)) < 0.08
    present = truth[:, None, :] ^ flip
    rated = rng.random((units, coders)) < 0.9
    return present & rated[:, :, None], rated


def _ratings(present, rated):
    units, coders, codes = present.shape
    return Ratings(
        coders=tuple(f"c{i}" for i in range(coders)),
        level="code",
        units=tuple(str(u) for u in range(units)),
        codes=tuple(f"k{k}" for k in range(codes)),
        names=tuple(f"k{k}" for k in range(codes)),
        themes=("",) * codes,
        theme_names=("",) * codes,
        present=present,
        rated=rated,
        exclusive=False,
        in_project=False,
    )


def test_the_method_is_chosen_from_a_predicted_cost():
    assert choose_method(np.array([1, 2, 2, 3]))[0] == "moments"
    assert choose_method(np.full(3000, 12))[0] == "blocked"
    method, costs = choose_method(np.full(150_000, 8))
    assert method == "sampled" and costs["moments"] > 5e6 and costs["blocked"] > 2e7
    # A few large sets: millions of subsets against a handful of pairs (this took seconds).
    assert choose_method(np.full(4, 20))[0] == "blocked"
    assert choose_method(np.full(1200, 12))[0] == "blocked"
    assert choose_method(np.full(3000, 8))[0] == "moments"  # under a million subsets


def test_a_few_large_sets_are_compared_quickly():
    rng = np.random.default_rng(3)
    sets = np.zeros((4, 40), dtype=bool)
    for s in range(4):
        sets[s, rng.choice(40, 20, replace=False)] = True
    present = sets[rng.integers(0, 4, (500, 3))]
    rated = np.ones((500, 3), dtype=bool)
    start = time.perf_counter()
    data = prepare(present, rated)
    assert data.how == "blocked"
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("method", ["blocked", "sampled"])
def test_more_than_64_codes_take_two_words_per_set(method):
    rng = np.random.default_rng(4)
    truth = rng.random((300, 100)) < 0.04
    present = truth[:, None, :] ^ (rng.random((300, 3, 100)) < 0.01)  # about 5 of 100 codes per set
    rated = np.ones((300, 3), dtype=bool)
    exact = alpha_masi(prepare(present, rated, method="moments"))[0]
    other = prepare(present, rated, method=method)
    assert abs(alpha_masi(other)[0] - exact) < (1e-12 if method == "blocked" else 4 * other.mc_se)


@pytest.mark.parametrize("method", ["blocked", "sampled"])
def test_every_method_gives_the_exact_alpha_or_an_estimate_within_its_error(method):
    present, rated = dense(300, per_segment=4, seed=1)
    exact = prepare(present, rated, method="moments")
    other = prepare(present, rated, method=method)
    assert exact.method == "exact"
    if method == "blocked":
        assert other.method == "exact" and other.mc_se is None
        assert alpha_masi(other)[0] == pytest.approx(alpha_masi(exact)[0], abs=1e-12)
    else:
        assert other.method == "sampled" and 0 < other.mc_se < 0.01
        assert abs(alpha_masi(other)[0] - alpha_masi(exact)[0]) < 4 * other.mc_se
    weights = np.random.default_rng(2).poisson(1.0, (5, 300)).astype(float)
    boot_exact, boot_other = alpha_masi(exact, weights), alpha_masi(other, weights)
    assert np.allclose(boot_exact, boot_other, atol=0.02)


def test_dense_data_finishes_quickly_and_says_the_alpha_was_sampled():
    present, rated = dense(20_000)
    start = time.perf_counter()
    result = compute_agreement(_ratings(present, rated), replicates=20, seed=1)
    assert time.perf_counter() - start < 20  # was unbounded (minutes) before
    overall = to_dict(result)["overall"]
    assert overall["krippendorff_alpha_masi_method"] == "sampled"
    assert 0 < overall["krippendorff_alpha_masi_mc_se"] < 0.005
    assert overall["krippendorff_alpha_masi"] is not None
    assert overall["ci"]["krippendorff_alpha_masi"] is not None


def test_sparse_data_keeps_the_exact_method():
    present, rated = dense(500, per_segment=1)
    overall = to_dict(compute_agreement(_ratings(present, rated)))["overall"]
    assert overall["krippendorff_alpha_masi_method"] == "exact"
    assert overall["krippendorff_alpha_masi_mc_se"] is None


def test_a_bootstrap_past_its_cost_cap_is_refused_before_any_work():
    from slqual.agreement.bootstrap import check_cost
    from slqual.errors import AgreementError

    check_cost(1000, 50_000, 40)
    with pytest.raises(
        AgreementError, match=r"--bootstrap 100000 over 50,000 segments .* use --bootstrap \d+"
    ):
        check_cost(100_000, 50_000, 40)


def test_too_many_coders_is_refused_with_the_bound():
    import pandas as pd

    from slqual.agreement.build import MAX_CODERS, build_ratings
    from slqual.errors import AgreementError

    frame = pd.DataFrame({"segment_id": ["s1"], "code": ["x"], "coder": [""]})
    with pytest.raises(AgreementError, match=rf"bounded at {MAX_CODERS} coders"):
        build_ratings({f"c{i}": frame for i in range(MAX_CODERS + 1)})


def test_the_ratings_and_labels_are_the_present_codes_of_rated_segments():
    from slqual.agreement.binary import binary_labels

    rng = np.random.default_rng(3)
    present = rng.random((50, 3, 6)) < 0.4  # some codes "present" where the coder did not rate
    rated = rng.random((50, 3)) < 0.8
    ratings = _ratings(present, rated)
    expected = np.where(rated[:, :, None], present.astype(float), np.nan)
    np.testing.assert_array_equal(ratings.ratings, expected)
    np.testing.assert_array_equal(ratings.labels, binary_labels(expected))
    assert ratings.labels.dtype == np.int8
