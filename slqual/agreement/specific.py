"""Specific positive and negative agreement for a binary code (Cicchetti & Feinstein 1990).

From the 2x2 table of two coders (a: both applied the code, d: neither, b and c: one of them):

    positive agreement  p_pos = 2a / (2a + b + c)
    negative agreement  p_neg = 2d / (2d + b + c)

p_pos is the probability that, when one coder applies the code, the other does too (given a
randomly chosen one of the two); p_neg the same for "not applied". Together they show what a
single kappa hides: a rare code can have p_neg near 1 and a poor p_pos. With three or more
coders the counts are pooled over every coder pair (each pair's table over the segments both
coded), which gives the proportion of agreeing pairs among pairs where one coder applied the
code (Uebersax 1982). The unit is the segment; each pair's table counts segments both coded.
Undefined when no coder pair has any segment where either applied the code (p_pos) or left it
out (p_neg).
"""

from __future__ import annotations

import numpy as np

from slqual.agreement.undefined import safe_divide

NO_POSITIVE = "no segment coded by two coders has this code from either of them"
NO_NEGATIVE = "no segment coded by two coders was left without this code by either of them"


def pair_counts(tables: np.ndarray) -> dict[str, np.ndarray]:
    """a, b, c, d per coder pair from tables (P, ..., K, 2, 2), rows the first coder, 1 = applied."""
    return {
        "a": tables[..., 1, 1],
        "b": tables[..., 1, 0],
        "c": tables[..., 0, 1],
        "d": tables[..., 0, 0],
    }


def specific_agreement(tables: np.ndarray) -> dict[str, np.ndarray]:
    """Pooled over pairs: positive_agreement, negative_agreement (..., K), NaN where undefined."""
    counts = {name: value.sum(axis=0) for name, value in pair_counts(tables).items()}
    a, b, c, d = counts["a"], counts["b"], counts["c"], counts["d"]
    return {
        "positive_agreement": safe_divide(2 * a, 2 * a + b + c),
        "negative_agreement": safe_divide(2 * d, 2 * d + b + c),
    }
