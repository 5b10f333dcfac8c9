"""Statistics that may be undefined, carried with the reason instead of a made-up number.

A chance-corrected coefficient is 0/0 when chance agreement is already
perfect (a code nobody used, or everybody always used) or when there is too
little data. Such a value is NaN in the arrays and comes with a plain-language
reason; it is never replaced by 1.0 or 0, and numpy never warns about it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Reasons shown to researchers (JSON, footnotes); kept here so that wording is consistent.
NO_UNITS = "no segment was coded by two or more of the coders"
ONE_UNIT = "only one segment was coded by two or more of the coders; chance agreement cannot be estimated"
NEVER_USED = "no coder applied this code to any segment they coded, so there is no variation to agree on"
ALWAYS_USED = (
    "every coder applied this code to every segment they coded, so there is no variation to agree on"
)
ONE_CATEGORY = "every rating fell into the same category, so there is no variation to agree on"
# The same cases when the variation is only on segments fewer than two coders coded (never compared).
NEVER_USED_COMPARED = (
    "this code was applied only to segments that fewer than two coders coded, so among the segments "
    "compared there is no variation to agree on"
)
ALWAYS_USED_COMPARED = (
    "every coder applied this code to every segment that two or more coders coded (it was left out only "
    "on segments fewer than two coders coded), so among the segments compared there is no variation to "
    "agree on"
)
ONE_CATEGORY_COMPARED = (
    "every rating of the segments two or more coders coded fell into the same category (the others occur "
    "only on segments fewer than two coders coded), so there is no variation to agree on"
)
PAIR_NEVER = "neither of them applied this code to a segment they both coded, so there is no variation"
PAIR_ALWAYS = "both applied this code to every segment they both coded, so there is no variation"
PAIR_ONE_CATEGORY = "every segment they both coded got the same category from both, so there is no variation"
NO_BOTH = "the two coders have no segment in common"
NO_CODE_VARIES = "every code was either never used or always used"
NO_CI = "no analytic interval for this statistic; run with --bootstrap N"
BOOTSTRAP_FAILED = "the statistic was undefined in most bootstrap samples"
NO_CODE_USED = (
    "no coder applied any code, so there is no code decision to compare "
    "(percent_agreement_segments shows how often the coders agreed that no code applies)"
)
ZERO_WIDTH = (
    "interval withheld: it would have zero width, claiming a certainty these data cannot give "
    "(too few segments with the code, or nothing for the variance formula to work with)"
)
STUCK_END = (
    "interval withheld: one end sits on the estimate itself (the resamples could not move the statistic "
    "to one side, as happens with a code applied very rarely), which would claim a certainty nobody has"
)
WIDTH_EPS = 1e-6


@dataclass(frozen=True)
class Stat:
    """One statistic for K codes: value, reason when undefined, and a 95% interval.

    ``value``, ``low`` and ``high`` are float arrays of shape (K,), NaN where
    there is no number; ``reason`` is an object array holding None where the
    value is defined and the reason where it is not. ``ci_method`` names how
    the interval was obtained ("" when there is none).
    """

    value: np.ndarray
    reason: np.ndarray
    low: np.ndarray
    high: np.ndarray
    ci_method: str = ""
    withheld: np.ndarray | None = None  # per code the reason an interval was withheld, else None

    def __len__(self) -> int:
        return len(self.value)

    def get(self, k: int = 0) -> float | None:
        v = self.value[k]
        return None if np.isnan(v) else float(v)

    def why(self, k: int = 0) -> str | None:
        return self.reason[k]

    def interval(self, k: int = 0) -> list[float] | None:
        low, high = self.low[k], self.high[k]
        if np.isnan(low) or np.isnan(high):
            return None
        return [float(low), float(high)]

    def withheld_why(self, k: int = 0) -> str | None:
        return None if self.withheld is None else self.withheld[k]

    def with_interval(self, low: np.ndarray, high: np.ndarray, method: str) -> Stat:
        """The Stat with these bounds, withholding (with the reason) every degenerate interval."""
        undefined = np.isnan(self.value)
        low = np.where(undefined, np.nan, low)
        high = np.where(undefined, np.nan, high)
        why = degenerate_reasons(self.value, low, high)
        bad = why != None  # noqa: E711 - elementwise test on an object array
        low, high = np.where(bad, np.nan, low), np.where(bad, np.nan, high)
        return Stat(self.value, self.reason, low, high, method, why if bad.any() else None)


def degenerate_reasons(value: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Per value: why its interval [low, high] is degenerate (None where it is fine or absent).

    Zero width at either end-to-end, or an end that coincides with an estimate that is not at the
    bound of the statistic's range (a resampling distribution with a point mass at the estimate).
    """
    value, low, high = (np.asarray(x, dtype=float).reshape(-1) for x in (value, low, high))
    out = np.full(value.shape, None, dtype=object)
    present = ~np.isnan(low) & ~np.isnan(high) & ~np.isnan(value)
    with np.errstate(invalid="ignore"):
        zero = present & (high - low < WIDTH_EPS)
        inside = np.abs(value) < 1 - 1e-12
        stuck = present & ~zero & inside & ((np.abs(low - value) < 1e-9) | (np.abs(high - value) < 1e-9))
    out[zero] = ZERO_WIDTH
    out[stuck] = STUCK_END
    return out


def undefined_where(
    value: np.ndarray, rules: list[tuple[np.ndarray, str]], fallback: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Set NaN and a reason where a rule's mask holds; the first matching rule names the reason.

    A value that is still not finite afterwards gets the ``fallback`` reason
    (a 0/0 the caller knows the cause of), else a generic one.
    """
    value = np.array(value, dtype=float, copy=True).reshape(-1)
    reason = np.full(value.shape, None, dtype=object)
    for mask, why in rules:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool).reshape(-1), value.shape)
        hit = mask & (reason == None)  # noqa: E711 - elementwise test on an object array
        reason[hit] = why
        value[hit] = np.nan
    stray = ~np.isfinite(value) & (reason == None)  # noqa: E711
    if stray.any():
        reason[stray] = fallback or "could not be computed from these data"
        value[stray] = np.nan
    return value, reason


def make_stat(value: np.ndarray, rules: list[tuple[np.ndarray, str]], fallback: str | None = None) -> Stat:
    """A Stat without an interval yet."""
    value, reason = undefined_where(value, rules, fallback)
    nan = np.full(value.shape, np.nan)
    return Stat(value, reason, nan, nan.copy(), "")


def safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0, without numpy warnings."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out
