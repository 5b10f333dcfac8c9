"""Specific positive and negative agreement with the 2x2 counts, and Conger's kappa (issue 10)."""

from __future__ import annotations

import numpy as np
import pytest
from agreement_fixtures import write_coder

from slqual.agreement import AgreeOptions, binary_agreement, run_agree
from slqual.agreement.conger import conger_chance
from slqual.agreement.formats import csv_text, markdown_text


def _from_table(a: int, b: int, c: int, d: int) -> np.ndarray:
    """Two coders' 0/1 ratings (units, 2, 1) with the given 2x2 counts (a both, d neither)."""
    rows = [(1, 1)] * a + [(1, 0)] * b + [(0, 1)] * c + [(0, 0)] * d
    return np.array(rows, dtype=float)[:, :, None]


def test_specific_agreement_on_cicchetti_and_feinstein_tables():
    # p_pos = 2a / (2a + b + c), p_neg = 2d / (2d + b + c), checked by hand on a rare-negative table.
    result = binary_agreement(_from_table(80, 10, 5, 5))
    assert result.stats["positive_agreement"].get() == pytest.approx(160 / 175)
    assert result.stats["negative_agreement"].get() == pytest.approx(10 / 25)


def test_specific_agreement_pools_the_pairs_for_three_coders():
    rng = np.random.default_rng(4)
    ratings = (rng.random((40, 3, 2)) < 0.3).astype(float)
    ratings[rng.random((40, 3)) < 0.2] = np.nan
    result = binary_agreement(ratings)
    for k in range(2):
        a = b = c = d = 0
        for i, j in ((0, 1), (0, 2), (1, 2)):
            both = ~np.isnan(ratings[:, i, k]) & ~np.isnan(ratings[:, j, k])
            x, y = ratings[both, i, k], ratings[both, j, k]
            a += np.sum((x == 1) & (y == 1))
            b += np.sum((x == 1) & (y == 0))
            c += np.sum((x == 0) & (y == 1))
            d += np.sum((x == 0) & (y == 0))
        assert result.stats["positive_agreement"].get(k) == pytest.approx(2 * a / (2 * a + b + c))
        assert result.stats["negative_agreement"].get(k) == pytest.approx(2 * d / (2 * d + b + c))


def _irr_exact_kappa(ratings: np.ndarray, categories: int) -> float:
    """irr's kappam.fleiss(exact = TRUE) for complete data (subjects x raters), written independently."""
    n, m = ratings.shape
    counts = np.stack([(ratings == q).sum(axis=1) for q in range(categories)], axis=1)
    p_o = ((counts * (counts - 1)).sum(axis=1) / (m * (m - 1))).mean()
    p_e = 0.0
    for i in range(m):
        for j in range(m):
            if i != j:
                p_e += sum(
                    np.mean(ratings[:, i] == q) * np.mean(ratings[:, j] == q) for q in range(categories)
                )
    p_e /= m * (m - 1)
    return (p_o - p_e) / (1 - p_e)


def test_conger_kappa_matches_an_independent_implementation():
    rng = np.random.default_rng(7)
    for _ in range(50):
        coders = rng.integers(3, 6)
        truth = rng.random(30) < 0.4
        ratings = (truth[:, None] ^ (rng.random((30, coders)) < rng.uniform(0.05, 0.3, coders))).astype(float)
        result = binary_agreement(ratings[:, :, None])
        expected = _irr_exact_kappa(ratings.astype(int), 2)
        assert result.stats["conger_kappa"].get() == pytest.approx(expected, abs=1e-12)


def test_conger_kappa_by_hand():
    # 4 units x 3 coders. Coder shares of "applied": 2/4, 3/4, 1/4; p_e = mean over ordered pairs of
    # sum_q p_iq p_jq = [2*(.5*.75+.5*.25) + 2*(.5*.25+.5*.75) + 2*(.75*.25+.25*.75)] / 6 = 0.4583...
    # p_o: unit patterns (1,1,0) (1,1,1) (0,1,0) (0,0,0) -> 1/3, 1, 1/3, 1 -> mean 2/3.
    ratings = np.array([[1, 1, 0], [1, 1, 1], [0, 1, 0], [0, 0, 0]], dtype=float)[:, :, None]
    p_e = (2 * (0.375 + 0.125) + 2 * (0.125 + 0.375) + 2 * (0.1875 + 0.1875)) / 6
    expected = (2 / 3 - p_e) / (1 - p_e)
    assert binary_agreement(ratings).stats["conger_kappa"].get() == pytest.approx(expected)


def test_conger_chance_reduces_to_cohen_for_two_coders():
    counts = np.array([[[[30.0, 70.0]]], [[[40.0, 60.0]]]])  # (C=2, K=1, Q=2) after a batch axis
    assert conger_chance(counts[:, 0])[0] == pytest.approx(0.3 * 0.4 + 0.7 * 0.6)


def test_two_coders_get_no_conger_kappa_but_a_reason():
    result = binary_agreement(_from_table(5, 2, 3, 10))
    assert result.stats["conger_kappa"].get() is None
    assert "three or more coders" in result.stats["conger_kappa"].why()


def test_counts_and_specific_agreement_in_json_csv_and_markdown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [("s1", "x"), ("s2", "x"), ("s3", ""), ("s4", "x")]
    a = write_coder(tmp_path / "a.csv", rows)
    b = write_coder(tmp_path / "b.csv", [("s1", "x"), ("s2", ""), ("s3", ""), ("s4", "x")])
    c = write_coder(tmp_path / "c.csv", [("s1", "x"), ("s2", "x"), ("s3", "x"), ("s4", "x")])
    data = run_agree(AgreeOptions(coders=(str(a), str(b), str(c)))).data
    x = data["codes"][0]
    assert x["counts"] == {"a": 7, "b": 1, "c": 3, "d": 1}
    assert [p["coders"] for p in x["pair_counts"]] == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert x["pair_counts"][0] == {"coders": ["a", "b"], "a": 2, "b": 1, "c": 0, "d": 1}
    assert x["positive_agreement"] == pytest.approx(14 / 18)
    assert x["conger_kappa"] is not None or "conger_kappa" in x["undefined"]
    assert "ppos" in markdown_text(data) and "pneg" in markdown_text(data)
    header = csv_text(data).splitlines()[0].split(",")
    assert {"positive_agreement", "negative_agreement", "conger_kappa", "a", "b", "c", "d"} <= set(header)
