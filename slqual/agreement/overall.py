"""Summaries across codes: percent agreement over all decisions, pooled kappa, mean alpha.

All work on ``Sums`` so that bootstrap replicates reuse them.
"""

from __future__ import annotations

import numpy as np

from slqual.agreement.nominal import Sums, chance_corrected, cohen_from_tables, values_from_sums
from slqual.agreement.undefined import safe_divide


def overall_percent_agreement(s: Sums, used: np.ndarray | None = None) -> np.ndarray:
    """Mean over every (unit, code) rated by two or more coders of the share of agreeing pairs.

    ``used`` (K,) keeps only those codes (the codes some coder applied): a code nobody used would
    count as perfect agreement on every segment and inflate the figure.
    """
    keep = np.ones(s.pa.shape[-1], dtype=bool) if used is None else np.asarray(used, dtype=bool)
    return safe_divide(np.where(keep, s.pa, 0.0).sum(axis=-1), np.where(keep, s.g2, 0.0).sum(axis=-1))


def segment_agreement(
    present: np.ndarray, rated: np.ndarray, weights: np.ndarray | None = None
) -> tuple[float, int]:
    """Share of coder pairs giving a segment the identical set of codes, averaged over segments rated twice.

    Returns (value, segments compared); NaN when no segment was rated twice. "No code applies" from both
    coders is agreement (two empty sets are identical). ``weights`` (U,) weighs the segments.
    """
    n_units, n_coders = rated.shape
    agree = np.zeros(n_units)
    pairs = np.zeros(n_units)
    for i in range(n_coders):
        for j in range(i + 1, n_coders):
            both = rated[:, i] & rated[:, j]
            same = (present[:, i] == present[:, j]).all(axis=1)
            agree += both & same
            pairs += both
    compared = pairs > 0
    n = int(compared.sum())
    w = np.ones(n_units) if weights is None else np.asarray(weights, dtype=float)
    share = np.where(compared, agree / np.where(compared, pairs, 1), 0.0)
    total = float(w[compared].sum())
    return (float(w @ share) / total if n and total > 0 else float("nan")), n


def pooled_components(s: Sums, n_coders: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code p_o, p_e and whether the code counts (some unit rated twice), shaped (..., K)."""
    if n_coders == 2:
        c = cohen_from_tables(s.tables[0])
        return c["po"], c["pe"], c["n"] > 0
    v = values_from_sums(s, 2)
    return v["percent_agreement"], v["pe_fleiss"], s.g2 > 0


def pooled_from_components(po: np.ndarray, pe: np.ndarray, used: np.ndarray) -> np.ndarray:
    """(mean p_o - mean p_e) / (1 - mean p_e), the means over the codes that count (``used``)."""
    count = used.sum(axis=-1)
    mean_po = safe_divide(np.where(used, po, 0.0).sum(axis=-1), count)
    mean_pe = safe_divide(np.where(used, pe, 0.0).sum(axis=-1), count)
    return chance_corrected(mean_po, mean_pe)


def pooled_kappa(s: Sums, n_coders: int) -> np.ndarray:
    """De Vries et al. (2008): (mean p_o - mean p_e) / (1 - mean p_e) over the codes.

    Two coders: Cohen's p_o and p_e per code. Three or more: the multi-coder
    observed agreement and Fleiss' chance agreement per code (Gwet's
    generalisation with missing ratings). Codes no unit was rated twice on are left out.
    """
    return pooled_from_components(*pooled_components(s, n_coders))


def mean_defined(values: np.ndarray) -> np.ndarray:
    """Mean over codes of the defined values (NaN when none is defined), without warnings."""
    defined = ~np.isnan(values)
    return safe_divide(np.where(defined, values, 0.0).sum(axis=-1), defined.sum(axis=-1))


def pair_summary(s: Sums) -> dict[str, np.ndarray]:
    """Per coder pair, over all codes: percent agreement of decisions and pooled Cohen kappa."""
    tables = s.tables  # (P, K, Q, Q)
    c = cohen_from_tables(tables)
    agree = np.trace(tables, axis1=-2, axis2=-1)
    return {
        "percent_agreement": safe_divide(agree.sum(axis=-1), c["n"].sum(axis=-1)),
        "pooled_kappa": pooled_from_components(c["po"], c["pe"], c["n"] > 0),
    }
