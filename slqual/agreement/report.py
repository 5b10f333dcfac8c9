"""The agreement result as the documented JSON shape, with interpretations and a methods paragraph.

The dict returned by ``to_dict`` is the public interface of ``slqual agree
--format json``; its keys are documented in the README and pinned by tests.
"""

from __future__ import annotations

import numpy as np

from slqual.agreement.binary import EXTRA_STATISTICS
from slqual.agreement.compute import RARE_BELOW, AgreementResult
from slqual.agreement.nominal import STATISTICS
from slqual.agreement.specific import pair_counts
from slqual.agreement.undefined import NO_CI, Stat, degenerate_reasons

PER_CODE = STATISTICS + EXTRA_STATISTICS
EXTRA = ("prevalence", "prevalence_index", "bias_index")
OVERALL = (
    "percent_agreement",
    "percent_agreement_all_codes",
    "percent_agreement_segments",
    "krippendorff_alpha_masi",
    "pooled_kappa",
    "mean_alpha",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
)
KAPPAS = ("cohen_kappa", "fleiss_kappa", "conger_kappa", "gwet_ac1", "brennan_prediger", "pooled_kappa")
ALPHAS = ("krippendorff_alpha", "krippendorff_alpha_masi", "mean_alpha")
ALPHA_RELIABLE, ALPHA_TENTATIVE = 0.800, 0.667
LANDIS_KOCH = ((0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))
ROUND = 6


def kappa_band(value: float | None) -> str | None:
    """Landis & Koch (1977): <0 poor, .00-.20 slight, .21-.40 fair, .41-.60 moderate,
    .61-.80 substantial, .81-1 almost perfect (boundaries at two decimals, as printed)."""
    if value is None:
        return None
    if value < 0:
        return "poor"
    value = round(value, 2)
    for upper, label in LANDIS_KOCH[1:]:
        if value <= upper:
            return label
    return "almost perfect"


def alpha_band(value: float | None) -> str | None:
    """Krippendorff (2004): >= .800 reliable, .667-.800 tentative conclusions only, < .667 unreliable."""
    if value is None:
        return None
    if value >= ALPHA_RELIABLE:
        return "reliable"
    if value >= ALPHA_TENTATIVE:
        return "tentative"
    return "unreliable"


def interpret(name: str, value: float | None) -> str | None:
    if name in ALPHAS:
        return alpha_band(value)
    if name in KAPPAS:
        return kappa_band(value)
    return None


def _num(value: float | None) -> float | None:
    # "+ 0.0" turns a negative zero into 0.0, so JSON never shows -0.0.
    return None if value is None else round(float(value), ROUND) + 0.0


def _block(stats: dict[str, Stat], names: tuple[str, ...], k: int) -> dict:
    """Values, intervals, interval methods, undefined reasons and interpretations for one row."""
    values, ci, method, undefined, withheld, bands = {}, {}, {}, {}, {}, {}
    for name in names:
        stat = stats[name]
        value = stat.get(k)
        values[name] = _num(value)
        interval = stat.interval(k)
        ci[name] = None if interval is None else [_num(interval[0]), _num(interval[1])]
        if interval is not None:
            method[name] = stat.ci_method
        if stat.why(k) is not None:
            undefined[name] = stat.why(k)
        if stat.withheld_why(k) is not None:
            withheld[name] = stat.withheld_why(k)
        band = interpret(name, value)
        if band is not None:
            bands[name] = band
    return {
        **values,
        "ci": ci,
        "ci_method": method,
        "ci_withheld": withheld,
        "undefined": undefined,
        "interpretation": bands,
    }


def to_dict(result: AgreementResult) -> dict:
    """The documented JSON shape (see docs/notes/agreement.md)."""
    from slqual import __version__

    r = result.ratings
    pc = result.per_code
    stats = {
        **result.stats,
        "prevalence": pc.prevalence,
        "prevalence_index": pc.prevalence_index,
        "bias_index": pc.bias_index,
    }
    counts = pair_counts(pc.sums.tables)  # (P, K) each
    codes = []
    for k, code in enumerate(r.codes):
        block = _block(stats, PER_CODE + EXTRA, k)
        alpha = block["krippendorff_alpha"]
        row = {
            "code": code,
            "name": r.names[k],
            "theme": r.themes[k] or None,
            "theme_name": r.theme_names[k] or None,
            "parent": (r.parents[k] if r.parents else "") or None,
            "n": int(pc.n[k]),
            "positives": {coder: int(pc.positives[c, k]) for c, coder in enumerate(r.coders)},
            "rated": {coder: int(pc.rated[c, k]) for c, coder in enumerate(r.coders)},
            "too_rare": bool(result.too_rare[k]),
            **block,
            "counts": {name: _count_value(v[:, k].sum()) for name, v in counts.items()},
            "below_min_alpha": None
            if result.min_alpha is None or alpha is None
            else alpha < result.min_alpha,
        }
        if len(pc.pairs) > 1:
            row["pair_counts"] = [
                {
                    "coders": [r.coders[i], r.coders[j]],
                    **{name: _count_value(v[p, k]) for name, v in counts.items()},
                }
                for p, (i, j) in enumerate(pc.pairs)
            ]
        if result.bootstrap_ci:
            row["ci_bootstrap"] = {
                name: _interval(low[k], high[k]) for name, (low, high) in result.bootstrap_ci.items()
            }
        if result.boot is not None and result.boot.below is not None:
            below = result.boot.below[k]
            row["p_alpha_below_min"] = None if np.isnan(below) else _num(below)
        codes.append(row)
    overall = {"n": result.overall_n, **_block(result.overall, OVERALL, 0)}
    overall["codes_used"] = int(result.used.sum())
    overall["krippendorff_alpha_masi_method"] = result.masi_method
    overall["krippendorff_alpha_masi_mc_se"] = _num(result.masi_mc_se)
    overall["exclusive"] = r.exclusive
    overall["n_categories"] = result.n_categories
    if result.boot is not None:
        overall["ci_bootstrap"] = {
            name: _interval(lo, hi, overall[name]) for name, (lo, hi) in result.boot.overall.items()
        }
    pairwise = [
        {
            "coders": list(p.coders),
            "n": p.n,
            "krippendorff_alpha_masi_method": p.masi_method,
            **{
                name: _num(getattr(p, name).get())
                for name in ("percent_agreement", "pooled_kappa", "krippendorff_alpha_masi")
            },
            "undefined": {
                name: getattr(p, name).why()
                for name in ("percent_agreement", "pooled_kappa", "krippendorff_alpha_masi")
                if getattr(p, name).why() is not None
            },
        }
        for p in result.pairs
    ]
    return {
        "slqual_version": __version__,
        "coders": list(r.coders),
        "level": r.level,
        "unit": "segment",
        "weight": result.weight,
        "units": len(r.units),
        "coverage": _coverage(r.rated),
        "kappa_type": result.kappa_type,
        "confidence_level": 0.95,
        "bootstrap": None
        if result.boot is None
        else {"replicates": result.boot.replicates, "seed": result.boot.seed},
        "min_alpha": result.min_alpha,
        "thresholds": {
            "alpha_reliable": ALPHA_RELIABLE,
            "alpha_tentative": ALPHA_TENTATIVE,
            "kappa_bands": "Landis & Koch (1977)",
        },
        "interval_methods": {name: result.stats[name].ci_method or None for name in PER_CODE},
        "codes": codes,
        "overall": overall,
        "pairwise": pairwise,
        "cu_alpha": [
            {
                "theme": cu.domain.node,
                "name": cu.domain.name,
                "categories": list(cu.domain.children),
                "n": cu.n,
                "krippendorff_alpha": _num(cu.alpha.get()),
                "undefined": cu.alpha.why(),
                "conflicts": cu.conflicts,
                "interpretation": alpha_band(cu.alpha.get()),
            }
            for cu in result.cu_alpha
        ],
        "notes": list(r.notes),
        "no_interval_reason": NO_CI,
        "too_rare_below": RARE_BELOW,
    }


def _count_value(value: float) -> int | float:
    """A count as an int (a float only when weighted)."""
    return int(value) if float(value).is_integer() else _num(value)


def _coverage(rated: np.ndarray) -> dict[str, int]:
    """How many segments were coded by exactly k coders, for k = 0 .. number of coders."""
    counts = np.bincount(rated.sum(axis=1), minlength=rated.shape[1] + 1)
    return {str(k): int(c) for k, c in enumerate(counts)}


def _interval(low: float, high: float, value: float | None = None) -> list[float] | None:
    if np.isnan(low) or np.isnan(high):
        return None
    if value is not None and degenerate_reasons(np.array([value]), np.array([low]), np.array([high]))[0]:
        return None
    return [_num(low), _num(high)]


def below_min_alpha(data: dict) -> list[str]:
    """Codes whose defined alpha is below the threshold given with --min-alpha."""
    return [row["code"] for row in data["codes"] if row["below_min_alpha"]]
