"""Published worked examples, reproduced to the printed digit.

Data tables are typed in from the publications; where a publication prints
marginals or intermediate values, those are checked too, so that a typing
error in the data cannot hide behind a matching final value.
"""

from __future__ import annotations

import numpy as np
import pytest

from slqual.agreement.binary import binary_agreement
from slqual.agreement.nominal import (
    gwet_standard_errors,
    point_statistics,
    sum_terms,
    terms_from_labels,
    values_from_sums,
)

nan = np.nan


def labels_from_rows(rows: list[list[float]]) -> np.ndarray:
    """(units, coders) values 1..Q with NaN -> labels 0..Q-1 with -1, shaped (units, coders, 1)."""
    array = np.array(rows, dtype=float)
    return np.where(np.isnan(array), -1, array - 1).astype(int)[:, :, None]


def labels_from_table(table: list[list[int]]) -> np.ndarray:
    """A two-coder contingency table (rows: coder 1) expanded to one unit per count."""
    units = [[i, j] for i, row in enumerate(table) for j, count in enumerate(row) for _ in range(count)]
    return np.array(units)[:, :, None]


def stats_of(labels: np.ndarray, q: int):
    stats, _, _ = point_statistics(terms_from_labels(labels, q))
    return stats


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example C:
# 4 observers, 12 units, values 1-5, missing values. Nominal alpha = 0.743.
# Gwet (2014), Handbook, p. 120 uses the same table ("4 raters, 12 subjects").
KRIPPENDORFF_2011 = [  # rows: units; columns: observers A, B, C, D
    [1, 1, nan, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [nan, 5, 5, 5],
    [nan, nan, 1, 1],
    [nan, 3, nan, nan],
]


def test_krippendorff_2011_nominal_alpha_is_0_743():
    stats = stats_of(labels_from_rows(KRIPPENDORFF_2011), 5)
    assert round(stats["krippendorff_alpha"].get(), 3) == 0.743


def test_krippendorff_2011_data_checks_against_the_printed_value_counts():
    # The coincidence matrix's marginals n_c: 1: 9, 2: 13, 3: 10, 4: 5, 5: 3; n.. = 40.
    s = sum_terms(terms_from_labels(labels_from_rows(KRIPPENDORFF_2011), 5))
    assert s.nq[0].tolist() == [9, 13, 10, 5, 3]
    assert s.nq[0].sum() == 40


def test_gwet_handbook_ac1_and_fleiss_with_missing_ratings():
    # Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., p. 120 (same data):
    # AC1 = 0.775 (pa 0.818, pe 0.190), SE 0.143, 95% CI 0.461 to 1;
    # generalised Fleiss kappa = 0.761 (pe 0.239), 95% CI 0.424 to 1.
    terms = terms_from_labels(labels_from_rows(KRIPPENDORFF_2011), 5)
    stats, s, v = point_statistics(terms)
    ac1, fleiss = stats["gwet_ac1"], stats["fleiss_kappa"]
    assert round(stats["percent_agreement"].get(), 3) == 0.818
    assert round(float((v["pi"] * (1 - v["pi"])).sum() / 4), 3) == 0.190
    assert round(ac1.get(), 3) == 0.775
    assert round(float(gwet_standard_errors(terms, s, v)["gwet_ac1"][0]), 3) == 0.143
    assert [round(x, 3) for x in ac1.interval()] == [0.461, 1.0]
    assert round(float(v["pe_fleiss"][0]), 3) == 0.239
    assert round(fleiss.get(), 3) == 0.761
    assert [round(x, 3) for x in fleiss.interval()] == [0.424, 1.0]


def test_gwet_handbook_five_observers_with_missing_ratings():
    # Gwet (2014), Handbook, 4th ed., p. 125 (15 units of the larger table), values 0-3:
    # AC1 0.497 (SE 0.122, CI 0.235 to 0.758); Fleiss 0.458 (SE 0.120, CI 0.199 to 0.716); pa 0.616.
    rows = [
        [1, 1, 2, nan, 2],
        [1, 1, 0, 1, nan],
        [2, 3, 3, 3, nan],
        [nan, 0, 0, nan, 0],
        [0, 0, 0, nan, 0],
        [0, 0, 0, nan, 0],
        [1, 0, 2, nan, 1],
        [1, nan, 2, 0, nan],
        [2, 2, 2, nan, 2],
        [2, 1, 1, 1, nan],
        [nan, 1, 0, 0, nan],
        [0, 0, 0, 0, nan],
        [1, 2, 2, 2, nan],
        [3, 3, 2, 2, 3],
        [1, 1, 1, nan, 1],
    ]
    labels = np.where(np.isnan(np.array(rows)), -1, np.array(rows)).astype(int)[:, :, None]
    terms = terms_from_labels(labels, 4)
    stats, s, v = point_statistics(terms)
    se = gwet_standard_errors(terms, s, v)
    assert round(stats["percent_agreement"].get(), 3) == 0.616
    assert round(stats["gwet_ac1"].get(), 3) == 0.497
    assert round(float(se["gwet_ac1"][0]), 3) == 0.122
    assert [round(x, 3) for x in stats["gwet_ac1"].interval()] == [0.235, 0.758]
    assert round(stats["fleiss_kappa"].get(), 3) == 0.458
    assert round(float(se["fleiss_kappa"][0]), 3) == 0.120
    assert [round(x, 3) for x in stats["fleiss_kappa"].interval()] == [0.199, 0.716]


# Fleiss (1971), "Measuring nominal scale agreement among many raters", Table 1:
# 30 patients, 6 psychiatrists, 5 categories (1 depression, 2 personality disorder,
# 3 schizophrenia, 4 neurosis, 5 other); each row lists the six diagnoses.
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip


def test_fleiss_1971_kappa_is_0_430_with_the_printed_marginals():
    terms = terms_from_labels(labels_from_rows(FLEISS_1971), 5)
    stats, _, v = point_statistics(terms)
    # Fleiss prints p_j = .144, .144, .167, .306, .239; P-bar = .556; P-bar_e = .220; kappa = .430.
    assert [round(p, 3) for p in v["pi"][0]] == [0.144, 0.144, 0.167, 0.306, 0.239]
    assert round(stats["percent_agreement"].get(), 3) == 0.556
    assert round(float(v["pe_fleiss"][0]), 3) == 0.220
    assert round(stats["fleiss_kappa"].get(), 3) == 0.430


def test_cohen_kappa_fleiss_levin_paik_three_categories():
    # Fleiss, Levin & Paik (2003), Statistical Methods for Rates and Proportions, Table 18.1:
    # 100 subjects, diagnoses psychotic / neurotic / organic; p_o = .89, p_e = .66, kappa = .68.
    table = [[75, 1, 4], [5, 4, 1], [0, 0, 10]]
    terms = terms_from_labels(labels_from_table(table), 3)
    s = sum_terms(terms)
    assert s.tables[0, 0].sum(axis=1).tolist() == [80, 10, 10]
    assert s.tables[0, 0].sum(axis=0).tolist() == [80, 5, 15]
    stats = stats_of(labels_from_table(table), 3)
    assert round(stats["cohen_kappa"].get(), 2) == 0.68


def test_cohen_kappa_and_its_standard_error_sas_three_by_three():
    # SAS/STAT PROC FREQ AGREE example (3 x 3, n = 24): kappa 0.4842, ASE 0.1380, 95% CI 0.2137 to 0.7547.
    stat = stats_of(labels_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]]), 3)["cohen_kappa"]
    assert round(stat.get(), 4) == 0.4842
    assert round((stat.interval()[1] - stat.get()) / 1.959964, 4) == 0.1380
    assert [round(x, 4) for x in stat.interval()] == [0.2137, 0.7547]


def test_cohen_kappa_gwet_handbook_four_by_four_with_standard_error():
    # Gwet (2014), Handbook: 223 psychiatric patients, clinical vs research diagnosis (4 x 4):
    # kappa 0.432 (SE 0.046); AC1 0.456.
    table = [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]]
    stats = stats_of(labels_from_table(table), 4)
    kappa = stats["cohen_kappa"]
    assert round(kappa.get(), 3) == 0.432
    assert round((kappa.interval()[1] - kappa.get()) / 1.959964, 3) == 0.046
    assert round(stats["gwet_ac1"].get(), 3) == 0.456


def test_gwet_handbook_three_by_three_abstractors():
    # Gwet (2014), Handbook: 100 pregnant women classified by 2 abstractors (3 x 3): kappa 0.796, AC1 0.849.
    stats = stats_of(labels_from_table([[13, 0, 0], [0, 20, 7], [0, 4, 56]]), 3)
    assert round(stats["cohen_kappa"].get(), 3) == 0.796
    assert round(stats["gwet_ac1"].get(), 3) == 0.849


@pytest.mark.parametrize(
    ("a", "b", "c", "d", "kappa", "prevalence", "bias"),
    [
        # Feinstein & Cicchetti (1990), "High agreement but low kappa", Table 1: both p_o = .85,
        # kappa .70 and .32; Byrt, Bishop & Carlin (1993) explain the gap by the prevalence index.
        (40, 9, 6, 45, 0.70, 0.05, 0.03),
        (80, 10, 5, 5, 0.32, 0.75, 0.05),
    ],
)
def test_two_by_two_kappa_paradox_with_prevalence_and_bias_indices(a, b, c, d, kappa, prevalence, bias):
    # Coder 1 applied the code in a + b units, coder 2 in a + c.
    pairs = [(1, 1)] * a + [(1, 0)] * b + [(0, 1)] * c + [(0, 0)] * d
    ratings = np.array(pairs, dtype=float)[:, :, None]
    result = binary_agreement(ratings)
    assert round(result.stats["percent_agreement"].get(), 2) == 0.85
    assert round(result.stats["cohen_kappa"].get(), 2) == kappa
    assert round(result.stats["brennan_prediger"].get(), 2) == 0.70  # PABAK = 2 p_o - 1
    assert round(result.prevalence_index.get(), 2) == prevalence
    assert round(result.bias_index.get(), 2) == bias
    # Byrt et al.'s identity: kappa = (PABAK - PI^2 + BI^2) / (1 - PI^2 + BI^2).
    pi_, bi, pabak = (
        result.prevalence_index.get(),
        result.bias_index.get(),
        result.stats["brennan_prediger"].get(),
    )
    assert result.stats["cohen_kappa"].get() == pytest.approx((pabak - pi_**2 + bi**2) / (1 - pi_**2 + bi**2))


def test_values_from_sums_matches_point_statistics():
    terms = terms_from_labels(labels_from_rows(FLEISS_1971), 5)
    stats, s, _ = point_statistics(terms)
    again = values_from_sums(s, 5)
    assert again["fleiss_kappa"][0] == pytest.approx(stats["fleiss_kappa"].get())
