"""Fisher's exact test per prevalence row, for two groups: descriptive, not confirmatory.

For each theme or code, the 2 x 2 table is

    =================  ==========================  ==============================
                       voiced it                   did not
    group A            a                           N_A - a
    group B            b                           N_B - b
    =================  ==========================  ==============================

and the two-sided p value is Fisher's exact test (Fisher 1922; scipy.stats.fisher_exact).
Qualitative samples are small and purposive, codes are many and were not chosen
as hypotheses in advance, and no correction for multiple comparisons is made:
the p values describe how lopsided a row is, they do not test a claim.
"""

from __future__ import annotations

from collections.abc import Sequence

from slqual.errors import ReportError

FISHER_LABEL = "Fisher's exact p (descriptive)"
FISHER_NOTE = (
    "Fisher's exact test, two-sided, per row: participants who voiced the code or not, in the two groups. "
    "Descriptive only: the sample is small and purposive, the codes were not hypotheses set in advance, "
    "and there is no correction for multiple comparisons."
)


def fisher_p_values(hits_a: Sequence[int], n_a: int, hits_b: Sequence[int], n_b: int) -> list[float]:
    """Two-sided Fisher's exact p per row of participant counts in two groups of sizes n_a and n_b."""
    if n_a <= 0 or n_b <= 0:
        raise ReportError("Fisher's exact test needs participants in both groups")
    from scipy.stats import fisher_exact

    cache: dict[tuple[int, int], float] = {}
    out = []
    for a, b in zip(hits_a, hits_b, strict=True):
        key = (int(a), int(b))
        if key not in cache:
            result = fisher_exact([[key[0], n_a - key[0]], [key[1], n_b - key[1]]], alternative="two-sided")
            cache[key] = float(min(1.0, result.pvalue))
        out.append(cache[key])
    return out


def format_p(p: float) -> str:
    """p to three decimals, '<0.001' below that."""
    return "<0.001" if p < 0.001 else f"{p:.3f}"
