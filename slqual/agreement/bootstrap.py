"""Bootstrap confidence intervals over units (Hayes & Krippendorff 2007).

Units (segments) are drawn with replacement, as many as there are units
rated by anyone; every statistic is recomputed on each replicate from
weighted sums of the unit terms (a unit drawn twice counts twice), and the
95% interval is the 2.5th to 97.5th percentile of the replicates where the
statistic is defined. Hayes & Krippendorff resample pairable values; resampling
whole units keeps the coders' ratings of one segment together, which is the
design of a coding study. Seeded, so the same seed gives the same interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from slqual.agreement.binary import EXTRA_STATISTICS, extra_values
from slqual.agreement.masi import MasiData, alpha_masi
from slqual.agreement.nominal import (
    STATISTICS,
    UnitTerms,
    pattern_arrays,
    pattern_histogram,
    sums_from_histogram,
    values_from_sums,
)
from slqual.agreement.overall import mean_defined, pooled_components, pooled_from_components
from slqual.agreement.undefined import safe_divide

PER_CODE = STATISTICS + EXTRA_STATISTICS
OVERALL = (
    "percent_agreement",
    "percent_agreement_all_codes",
    "pooled_kappa",
    "mean_alpha",
    "krippendorff_alpha_masi",
)
MIN_DEFINED_SHARE = 0.5
# Cost cap: replicates x segments x codes (each replicate sums every segment's terms for every code).
# 1000 replicates of 50,000 segments x 40 codes (2e9) take a few seconds; the cap is about a minute.
COST_CAP = 25_000_000_000
CHUNK = 100  # replicates per batch


@dataclass(frozen=True)
class BootstrapResult:
    """Percentile intervals: per_code[name] = (low (K,), high (K,)); overall[name] = (low, high).

    below: per code the share of replicates with alpha below ``min_alpha``
    (Hayes & Krippendorff's q), or None when no threshold was given.
    """

    replicates: int
    seed: int | None
    per_code: dict[str, tuple[np.ndarray, np.ndarray]]
    overall: dict[str, tuple[float, float]]
    below: np.ndarray | None


def draw_weights(rng: np.random.Generator, n_replicates: int, n_units: int) -> np.ndarray:
    """(B, U) counts of how often each unit is drawn in each replicate."""
    draws = rng.integers(0, n_units, size=(n_replicates, n_units))
    offsets = (np.arange(n_replicates) * n_units)[:, None]
    counts = np.bincount((draws + offsets).ravel(), minlength=n_replicates * n_units)
    return counts.reshape(n_replicates, n_units).astype(float)


def check_cost(replicates: int, n_units: int, n_codes: int) -> None:
    """Refuse, before any work, a bootstrap whose predicted cost passes ``COST_CAP``."""
    from slqual.errors import AgreementError

    cost = float(replicates) * max(n_units, 1) * max(n_codes, 1)
    if cost > COST_CAP:
        most = max(1, int(COST_CAP // (max(n_units, 1) * max(n_codes, 1))))
        raise AgreementError(
            f"--bootstrap {replicates} over {n_units:,} segments and {n_codes:,} codes would take too long "
            f"(about {cost / COST_CAP:.0f} minutes); use --bootstrap {most} or fewer, which is ample for "
            "95% intervals"
        )


def percentile_interval(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2.5 and 97.5 percentiles over axis 0, NaN where fewer than half the replicates are defined."""
    defined = ~np.isnan(samples)
    enough = defined.mean(axis=0) >= MIN_DEFINED_SHARE
    low = np.full(samples.shape[1:], np.nan)
    high = np.full(samples.shape[1:], np.nan)
    if enough.any():
        with np.errstate(invalid="ignore"):
            bounds = np.nanpercentile(samples[:, enough], [2.5, 97.5], axis=0)
        low[enough], high[enough] = bounds[0], bounds[1]
    return low, high


def bootstrap(
    terms: UnitTerms,
    masi: MasiData | None,
    replicates: int,
    seed: int | None = None,
    min_alpha: float | None = None,
    used: np.ndarray | None = None,
    unit_weights: np.ndarray | None = None,
) -> BootstrapResult:
    """Percentile intervals for every per-code and overall statistic.

    ``used`` (K,) marks the codes some coder applied: overall percent agreement is over those.
    ``unit_weights`` (U,) weighs the segments (``--weight words``): a resample's weight of a segment
    is how often it was drawn times its weight; whether a statistic is defined still counts segments.
    """
    active = terms.rated_by_anyone()
    terms = terms.subset(active)
    word_weights = None if unit_weights is None else np.asarray(unit_weights, dtype=float)[active]
    n_units, n_codes = terms.n_units, terms.n_codes
    n_coders = max(j for _, j in terms.pairs) + 1
    keep = np.ones(n_codes, dtype=bool) if used is None else np.asarray(used, dtype=bool)
    check_cost(replicates, n_units, n_codes)
    if n_units == 0 or replicates <= 0:
        nan = np.full(n_codes, np.nan)
        empty = dict.fromkeys(PER_CODE, (nan, nan))
        return BootstrapResult(replicates, seed, empty, dict.fromkeys(OVERALL, (np.nan, np.nan)), None)
    chunks = [(b, min(b + CHUNK, replicates)) for b in range(0, replicates, CHUNK)]
    seeds = np.random.SeedSequence(seed).spawn(len(chunks))
    samples = {name: np.full((replicates, n_codes), np.nan) for name in PER_CODE}
    pa_sum, g2_sum, po, pe, used = (np.zeros((replicates, n_codes)) for _ in range(5))
    alpha_masi_samples = np.full(replicates, np.nan)
    arrays = pattern_arrays(terms)
    step = CHUNK  # replicates per MASI batch, so that its (subsets x set sizes x batch) arrays stay small
    exact_de = True
    if masi is not None:
        masi = _masi_subset(masi, active)
        exact_de = masi.exact_bootstrap(replicates)
        if masi.how == "moments":
            step = max(1, min(CHUNK, 20_000_000 // max(1, masi.largest_moment * len(masi.groups))))
        else:  # (replicates x sampled pairs) weights per batch
            step = max(
                1,
                min(
                    CHUNK, 20_000_000 // max(1, 0 if masi.pair_distance is None else len(masi.pair_distance))
                ),
            )
    for (start, stop), chunk_seed in zip(chunks, seeds, strict=True):
        draws = draw_weights(np.random.default_rng(chunk_seed), stop - start, n_units)
        weights = draws if word_weights is None else draws * word_weights[None, :]
        sums = sums_from_histogram(pattern_histogram(terms, weights), arrays, terms.n_categories)
        counts = (
            None
            if word_weights is None
            else sums_from_histogram(pattern_histogram(terms, draws), arrays, terms.n_categories)
        )
        values = values_from_sums(sums, terms.n_categories, counts)
        values.update(extra_values(sums, values, n_coders))
        for name in PER_CODE:
            samples[name][start:stop] = values[name]
        pa_sum[start:stop] = sums.pa
        g2_sum[start:stop] = sums.g2
        po[start:stop], pe[start:stop], used[start:stop] = pooled_components(sums, n_coders)
        if masi is not None:
            for b in range(0, stop - start, step):
                alpha_masi_samples[start + b : start + b + step] = alpha_masi(
                    masi, weights[b : b + step], exact_de
                )
    overall = {
        "percent_agreement": safe_divide(pa_sum[:, keep].sum(axis=1), g2_sum[:, keep].sum(axis=1)),
        "percent_agreement_all_codes": safe_divide(pa_sum.sum(axis=1), g2_sum.sum(axis=1)),
        "pooled_kappa": pooled_from_components(po, pe, used.astype(bool)),
        "mean_alpha": mean_defined(samples["krippendorff_alpha"]),
        "krippendorff_alpha_masi": alpha_masi_samples,
    }
    per_code = {name: percentile_interval(samples[name]) for name in PER_CODE}
    summary = {}
    for name, values in overall.items():
        low, high = percentile_interval(values[:, None])
        summary[name] = (float(low[0]), float(high[0]))
    below = None
    if min_alpha is not None:
        alphas = samples["krippendorff_alpha"]
        defined = ~np.isnan(alphas)
        below = safe_divide(((alphas < min_alpha) & defined).sum(axis=0), defined.sum(axis=0))
    return BootstrapResult(replicates, seed, per_code, summary, below)


def _masi_subset(masi: MasiData, active: np.ndarray) -> MasiData:
    """The MASI data on the active units; the sampled pairs' segments renumbered (all are active)."""
    from dataclasses import replace

    new_index = np.cumsum(active) - 1
    pairs = {}
    if masi.pair_unit_a is not None:
        pairs = {"pair_unit_a": new_index[masi.pair_unit_a], "pair_unit_b": new_index[masi.pair_unit_b]}
    if masi.unit_weights is not None:
        pairs["unit_weights"] = masi.unit_weights[active]
    return replace(
        masi,
        set_units=masi.set_units.keep_columns(active),
        unit_do=masi.unit_do[active],
        unit_n=masi.unit_n[active],
        **pairs,
    )
