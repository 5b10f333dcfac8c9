"""Every agreement statistic for a ``Ratings``: per code, overall, per coder pair, intervals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from slqual.agreement.binary import BinaryAgreement, binary_agreement_of_labels
from slqual.agreement.bootstrap import BootstrapResult, bootstrap
from slqual.agreement.build import Ratings, exclusive_labels
from slqual.agreement.cu_alpha import cu_alpha
from slqual.agreement.masi import alpha_masi_stat, pack_sets, prepare
from slqual.agreement.nominal import point_statistics, terms_from_labels
from slqual.agreement.overall import (
    mean_defined,
    overall_percent_agreement,
    pair_summary,
    pooled_kappa,
    segment_agreement,
)
from slqual.agreement.undefined import (
    NO_CI,
    NO_CODE_USED,
    NO_CODE_VARIES,
    NO_UNITS,
    ONE_UNIT,
    Stat,
    degenerate_reasons,
    make_stat,
)

NOMINAL_OVERALL = ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1")
NOT_EXCLUSIVE = "defined only when every coder gave every segment exactly one code"
NO_CODES = "there is no code to compare"
RARE_BELOW = 5  # a code applied fewer times than this in total (all coders) is flagged too_rare


@dataclass(frozen=True)
class PairResult:
    coders: tuple[str, str]
    n: int
    percent_agreement: Stat
    pooled_kappa: Stat
    krippendorff_alpha_masi: Stat
    masi_method: str = "exact"


@dataclass(frozen=True)
class AgreementResult:
    """What ``slqual agree`` computed; ``slqual.agreement.report`` turns it into the documented JSON."""

    ratings: Ratings
    per_code: BinaryAgreement
    stats: dict[str, Stat]  # per-code statistics with their final intervals
    bootstrap_ci: dict[str, tuple[np.ndarray, np.ndarray]]  # per-code bootstrap intervals (when requested)
    overall_n: int
    overall: dict[str, Stat]  # each of length 1
    n_categories: int | None  # for the single-code (mutually exclusive) statistics
    pairs: tuple[PairResult, ...]
    boot: BootstrapResult | None
    min_alpha: float | None
    weight: str  # "segments" or "words"
    masi_method: str  # "exact" or "sampled"
    masi_mc_se: float | None  # Monte Carlo standard error of the sampled MASI alpha
    cu_alpha: tuple  # cu_alpha.CuAlpha per exclusive codebook node
    used: np.ndarray  # (K,) bool: some coder applied the code to some segment
    too_rare: np.ndarray  # (K,) bool: applied fewer than RARE_BELOW times in total

    @property
    def kappa_type(self) -> str:
        return "cohen" if len(self.ratings.coders) == 2 else "light"


def _scalar(value: float, rules: list[tuple[bool, str]], fallback: str | None = None) -> Stat:
    """A one-value Stat; ``fallback`` explains a 0/0 the rules do not name."""
    return make_stat(
        np.array([value], dtype=float).reshape(1), [(np.array([m]), why) for m, why in rules], fallback
    )


def compute_agreement(
    ratings: Ratings,
    replicates: int = 0,
    seed: int | None = None,
    min_alpha: float | None = None,
    weights: np.ndarray | None = None,
) -> AgreementResult:
    """All statistics; with ``replicates`` > 0 also bootstrap intervals for every one of them.

    ``weights`` (U,): weigh each segment (its length in words, ``--weight words``); every statistic
    is then a weighted one, counts of segments (n) stay counts, and intervals come only from the
    bootstrap.
    """
    per_code = binary_agreement_of_labels(ratings.labels, ratings.coders, weights)
    r = ratings.rated.sum(axis=1)
    overall_n = int((r >= 2).sum())
    few = [(overall_n == 0, NO_UNITS), (overall_n == 1, ONE_UNIT)]
    sums = per_code.sums
    alphas = per_code.stats["krippendorff_alpha"].value
    masi_seed = 0 if seed is None else seed
    packed = pack_sets(ratings.present, ratings.rated)  # shared with the coder pairs' MASI
    masi_data = prepare(ratings.present, ratings.rated, seed=masi_seed, weights=weights, packed=packed)
    n_coders = len(ratings.coders)
    applied = per_code.positives.sum(axis=0)
    code_used = applied > 0
    segments_value, _ = segment_agreement(ratings.present, ratings.rated, weights)
    overall = {
        "percent_agreement": _scalar(
            overall_percent_agreement(sums, code_used), [*few[:1], (not code_used.any(), NO_CODE_USED)]
        ),
        "percent_agreement_all_codes": _scalar(
            overall_percent_agreement(sums), [*few[:1], (len(code_used) == 0, NO_CODES)]
        ),
        "percent_agreement_segments": _scalar(segments_value, few[:1]),
        "pooled_kappa": _scalar(pooled_kappa(sums, n_coders), few, NO_CODE_VARIES),
        "mean_alpha": _scalar(mean_defined(alphas), few, "no code has a defined alpha"),
        "krippendorff_alpha_masi": alpha_masi_stat(masi_data, overall_n),
    }
    n_categories = None
    if ratings.exclusive:
        labels = exclusive_labels(ratings)
        used = np.unique(labels[labels >= 0])
        # Codes used as categories 0..n-1; the extra last slot maps a missing label (-1) to -1.
        remap = np.full(len(ratings.codes) + 1, -1)
        remap[used] = np.arange(len(used))
        n_categories = len(used)
        if n_categories >= 2:
            nominal, _, _ = point_statistics(
                terms_from_labels(remap[labels][:, :, None], n_categories),
                coders=ratings.coders,
                weights=weights,
            )
            for name in NOMINAL_OVERALL:
                overall[name] = nominal[name]
        else:
            for name in NOMINAL_OVERALL:
                overall[name] = _scalar(np.nan, few, "every segment got the same code from every coder")
    else:
        for name in NOMINAL_OVERALL:
            overall[name] = _scalar(np.nan, [], NOT_EXCLUSIVE)
    pairs = _pairs(ratings, per_code, packed, masi_seed, weights) if n_coders >= 3 else ()
    stats = dict(per_code.stats)
    boot = None
    bootstrap_ci: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if replicates > 0:
        boot = bootstrap(per_code.terms, masi_data, replicates, seed, min_alpha, code_used, weights)
        bootstrap_ci = {
            name: _clean(stats[name].value, low, high) for name, (low, high) in boot.per_code.items()
        }
        for name, (low, high) in boot.per_code.items():
            if stats[name].ci_method == "":
                stats[name] = stats[name].with_interval(low, high, f"bootstrap-{replicates}")
        for name, (low, high) in boot.overall.items():
            if overall[name].ci_method == "":
                overall[name] = overall[name].with_interval(
                    np.array([low]), np.array([high]), f"bootstrap-{replicates}"
                )
    return AgreementResult(
        ratings=ratings,
        per_code=per_code,
        stats=stats,
        bootstrap_ci=bootstrap_ci,
        overall_n=overall_n,
        overall=overall,
        n_categories=n_categories,
        pairs=pairs,
        boot=boot,
        min_alpha=min_alpha,
        weight="segments" if weights is None else "words",
        masi_method=masi_data.method,
        masi_mc_se=masi_data.mc_se if overall["krippendorff_alpha_masi"].get() is not None else None,
        cu_alpha=cu_alpha(ratings.present, ratings.rated, ratings.domains, ratings.coders, weights),
        used=code_used,
        too_rare=applied < RARE_BELOW,
    )


def _clean(value: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap bounds with every degenerate interval removed (see ``undefined.degenerate_reasons``)."""
    bad = degenerate_reasons(value, low, high) != None  # noqa: E711 - elementwise on an object array
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def _pairs(
    ratings: Ratings,
    per_code: BinaryAgreement,
    packed: tuple[np.ndarray, np.ndarray],
    seed: int = 0,
    weights: np.ndarray | None = None,
) -> tuple[PairResult, ...]:
    summary = pair_summary(per_code.sums)
    out = []
    for p, (i, j) in enumerate(per_code.pairs):
        both = ratings.rated[:, i] & ratings.rated[:, j]
        n = int(both.sum())
        few = [(n == 0, NO_UNITS), (n == 1, ONE_UNIT)]
        masi = prepare(
            ratings.present[:, [i, j]],
            ratings.rated[:, [i, j]],
            seed=seed,
            weights=weights,
            packed=(packed[0][:, [i, j]], packed[1][:, [i, j]]),
        )
        out.append(
            PairResult(
                coders=(ratings.coders[i], ratings.coders[j]),
                n=n,
                percent_agreement=_scalar(summary["percent_agreement"][p], few[:1]),
                pooled_kappa=_scalar(summary["pooled_kappa"][p], few, NO_CODE_VARIES),
                krippendorff_alpha_masi=alpha_masi_stat(masi, n),
                masi_method=masi.method,
            )
        )
    return tuple(out)


__all__ = ["NO_CI", "AgreementResult", "PairResult", "compute_agreement"]
