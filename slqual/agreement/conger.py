"""Conger's (1980) kappa for three or more coders, with Gwet's treatment of missing ratings.

Fleiss' kappa takes chance agreement from the pooled category shares, as if any coder could have
given any rating; Conger's takes it from each coder's own marginal shares, as Cohen's kappa does
for two coders, so that it reduces to Cohen's kappa for two coders with complete data:

    p_e = sum_q [ (sum_c p_cq)^2 - sum_c p_cq^2 ] / (C (C - 1))
        = sum_q ( pbar_q^2 - s_q^2 / C ),

the mean over ordered coder pairs of sum_q p_cq p_c'q, with p_cq the share of coder c's ratings
in category q over the units c rated, pbar_q their mean and s_q^2 their variance (divisor C - 1)
(Gwet 2014, ch. 2). The observed agreement is Fleiss' (pairs of coders agreeing per unit, over
units rated at least twice), so the unit of analysis and the rule for undefined are those of the
other statistics. It is irr's ``kappam.fleiss(exact = TRUE)`` on complete data.
"""

from __future__ import annotations

import numpy as np

from slqual.agreement.nominal import Sums, chance_corrected
from slqual.agreement.undefined import safe_divide

TWO_CODERS = "reported for three or more coders; with two coders it equals Cohen's kappa"


def conger_chance(coder_counts: np.ndarray) -> np.ndarray:
    """Chance agreement from per-coder category counts (C, ..., K, Q) -> (..., K)."""
    totals = coder_counts.sum(axis=-1, keepdims=True)
    shares = safe_divide(coder_counts, totals)  # NaN for a coder who rated no unit
    rated = ~np.isnan(shares[..., 0])  # (C, ..., K)
    n_coders = rated.sum(axis=0)  # coders with any rating
    shares = np.nan_to_num(shares)
    sum_p = shares.sum(axis=0)  # (..., K, Q)
    sum_p2 = (shares**2).sum(axis=0)
    pairs = n_coders * (n_coders - 1)
    return safe_divide((sum_p**2 - sum_p2).sum(axis=-1), pairs)


def conger_kappa(s: Sums, percent_agreement: np.ndarray, defined: np.ndarray) -> np.ndarray:
    """Conger's kappa per code from the sums; NaN where the common rule says undefined (``defined``)."""
    if s.coder_counts is None:
        return np.full(percent_agreement.shape, np.nan)
    value = chance_corrected(percent_agreement, conger_chance(s.coder_counts))
    return np.where(defined, value, np.nan)
