"""Per-code agreement on binary presence ratings, vectorised across codes.

Input: ratings shaped (units, coders, codes) with 1 (code applied), 0 (coder
coded the unit but not with this code) and NaN (coder never coded the unit).
Each code is a two-category nominal variable, so the statistics are those of
``slqual.agreement.nominal`` with Q = 2, plus what only makes sense for a
binary code: each coder's count of positives, the prevalence of the code, and
Byrt, Bishop & Carlin's (1993) prevalence and bias indices, which explain a
low kappa at high percent agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from slqual.agreement.conger import TWO_CODERS, conger_kappa
from slqual.agreement.nominal import Sums, UnitTerms, point_statistics, terms_from_labels
from slqual.agreement.specific import NO_NEGATIVE, NO_POSITIVE, specific_agreement
from slqual.agreement.undefined import (
    ALWAYS_USED,
    ALWAYS_USED_COMPARED,
    NEVER_USED,
    NEVER_USED_COMPARED,
    NO_BOTH,
    NO_UNITS,
    PAIR_ALWAYS,
    PAIR_NEVER,
    Stat,
    make_stat,
    safe_divide,
)


@dataclass(frozen=True)
class BinaryAgreement:
    """Every per-code statistic for K codes and C coders.

    n: (K,) units rated by at least two coders; rated, positives: (C, K) units
    each coder rated / applied the code to; stats: the statistics of
    ``nominal.STATISTICS`` (``cohen_kappa`` is Light's mean of pairwise kappas
    when there are three or more coders); prevalence: (K,) pi for "applied", the
    mean over segments rated at least once of the share of the segment's coders
    who applied the code (not the share of all ratings); pair_kappa: (P, K)
    Cohen's kappa per coder pair.
    """

    n: np.ndarray
    rated: np.ndarray
    positives: np.ndarray
    stats: dict[str, Stat]
    prevalence: Stat
    prevalence_index: Stat
    bias_index: Stat
    pair_kappa: np.ndarray
    pairs: tuple[tuple[int, int], ...]
    terms: UnitTerms
    sums: Sums

    @property
    def n_codes(self) -> int:
        return len(self.n)

    @property
    def n_coders(self) -> int:
        return self.rated.shape[0]


def binary_reason(category: int, scope: str = "all") -> str:
    """Why a binary code has nothing to agree on (see ``nominal.CategoryReason``)."""
    reasons = {
        "all": (NEVER_USED, ALWAYS_USED),
        "compared": (NEVER_USED_COMPARED, ALWAYS_USED_COMPARED),
        "pair": (PAIR_NEVER, PAIR_ALWAYS),
    }
    return reasons[scope][category]


def binary_labels(ratings: np.ndarray) -> np.ndarray:
    """0/1/NaN ratings (units, coders, codes) as int8 labels with -1 for missing."""
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 3:
        raise ValueError("ratings must be shaped (units, coders, codes)")
    one, missing = ratings == 1, np.isnan(ratings)
    valid = ratings == 0
    valid |= one
    valid |= missing
    if not valid.all():
        raise ValueError("binary ratings must be 0, 1 or NaN")
    # 1, 0, or -1 for missing; a bool array read as int8 (0 or 1) needs no copy.
    return one.view(np.int8) - missing.view(np.int8)


def binary_agreement(
    ratings: np.ndarray, coders: tuple[str, ...] | None = None, weights: np.ndarray | None = None
) -> BinaryAgreement:
    """All per-code statistics for binary presence ratings (see module docstring).

    ``coders`` names the coders in the reasons for undefined values; ``weights`` (U,) weighs the
    segments (``--weight words``; see ``nominal.point_statistics``).
    """
    return binary_agreement_of_labels(binary_labels(ratings), coders, weights)


def binary_agreement_of_labels(
    labels: np.ndarray, coders: tuple[str, ...] | None = None, weights: np.ndarray | None = None
) -> BinaryAgreement:
    """``binary_agreement`` of int8 labels (units, coders, codes): 1, 0, or -1 for not rated."""
    if labels.shape[1] < 2:
        raise ValueError("agreement needs at least two coders")
    terms = terms_from_labels(labels, 2)
    stats, sums, values = point_statistics(terms, binary_reason, coders, weights)
    raters = (labels >= 0).sum(axis=1)  # (U, K)
    n = (raters >= 2).sum(axis=0)
    stats.update(extra_stats(sums, values, stats["fleiss_kappa"], labels.shape[1], n))
    rated = (labels >= 0).sum(axis=0)
    positives = (labels == 1).sum(axis=0)
    anyone = (raters >= 1).sum(axis=0)
    prevalence = make_stat(values["pi"][..., 1], [(anyone == 0, "no coder coded any segment")])
    pi_idx, bi_idx = prevalence_bias(sums.tables)
    return BinaryAgreement(
        n=n.astype(int),
        rated=rated,
        positives=positives,
        stats=stats,
        prevalence=prevalence,
        prevalence_index=pi_idx,
        bias_index=bi_idx,
        pair_kappa=values["pair_kappa"],
        pairs=terms.pairs,
        terms=terms,
        sums=sums,
    )


EXTRA_STATISTICS = ("conger_kappa", "positive_agreement", "negative_agreement")


def extra_values(sums: Sums, values: dict[str, np.ndarray], n_coders: int) -> dict[str, np.ndarray]:
    """Conger's kappa (three or more coders) and specific agreement from the sums (also per replicate)."""
    defined = ~np.isnan(values["fleiss_kappa"])  # the common rule for chance-corrected statistics
    conger = conger_kappa(sums, values["percent_agreement"], defined)
    if n_coders < 3:
        conger = np.full_like(conger, np.nan)
    return {"conger_kappa": conger, **specific_agreement(sums.tables)}


def extra_stats(
    sums: Sums, values: dict[str, np.ndarray], fleiss: Stat, n_coders: int, n: np.ndarray
) -> dict[str, Stat]:
    """The extra statistics as Stats, undefined by the same rule and reasons as Fleiss' kappa.

    ``n`` (K,): segments rated by two or more coders."""
    raw = extra_values(sums, values, n_coders)
    same = [(fleiss.reason == why, why) for why in sorted({r for r in fleiss.reason if r is not None})]
    none = n == 0
    conger_rules = [(none, NO_UNITS), (np.full(len(fleiss), n_coders < 3), TWO_CODERS), *same]
    return {
        "conger_kappa": make_stat(raw["conger_kappa"], conger_rules),
        "positive_agreement": make_stat(raw["positive_agreement"], [(none, NO_UNITS)], NO_POSITIVE),
        "negative_agreement": make_stat(raw["negative_agreement"], [(none, NO_UNITS)], NO_NEGATIVE),
    }


def prevalence_bias(tables: np.ndarray) -> tuple[Stat, Stat]:
    """Byrt, Bishop & Carlin (1993): prevalence index |a - d| / n and bias index |b - c| / n.

    a: both coders applied the code, d: neither did, b and c: one did and the
    other did not. With three or more coders: the mean over coder pairs.
    For two coders, kappa = (PABAK - PI^2 + BI^2) / (1 - PI^2 + BI^2); that identity
    does not hold for the pairwise means of three or more coders.
    ``tables`` is (P, K, 2, 2) with category 1 = applied.
    """
    n = tables.sum(axis=(-2, -1))
    a, d = tables[..., 1, 1], tables[..., 0, 0]
    b, c = tables[..., 1, 0], tables[..., 0, 1]
    prevalence = np.abs(safe_divide(a - d, n)).mean(axis=0)
    bias = np.abs(safe_divide(b - c, n)).mean(axis=0)
    no_pair = (n == 0).any(axis=0)
    return make_stat(prevalence, [(no_pair, NO_BOTH)]), make_stat(bias, [(no_pair, NO_BOTH)])
