"""A ready-to-edit methods paragraph written from the very numbers that were reported."""

from __future__ import annotations

from slqual.agreement.report import ALPHA_RELIABLE, ALPHA_TENTATIVE


def _f(value: float | None, digits: int = 2) -> str:
    return "undefined" if value is None else f"{value:.{digits}f}"


def _with_ci(value: float | None, ci: list[float] | None, digits: int = 2) -> str:
    if value is None:
        return "undefined"
    if ci is None:
        return _f(value, digits)
    return f"{_f(value, digits)} (95% CI {_f(ci[0], digits)} to {_f(ci[1], digits)})"


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def methods_paragraph(data: dict) -> str:
    """The paragraph for ``slqual agree --methods``, from ``report.to_dict`` output."""
    coders = data["coders"]
    codes = data["codes"]
    overall = data["overall"]
    level = "code" if data["level"] == "code" else "theme"
    kappa_name = (
        "Cohen's kappa"
        if data["kappa_type"] == "cohen"
        else "Light's kappa (the mean of pairwise Cohen's kappas)"
    )
    alphas = [row["krippendorff_alpha"] for row in codes if row["krippendorff_alpha"] is not None]
    undefined = [row["code"] for row in codes if row["krippendorff_alpha"] is None]
    reliable = sum(a >= ALPHA_RELIABLE for a in alphas)
    tentative = sum(ALPHA_TENTATIVE <= a < ALPHA_RELIABLE for a in alphas)
    low = sum(a < ALPHA_TENTATIVE for a in alphas)
    boot = data["bootstrap"]
    if boot:
        seed = f", seed {boot['seed']}" if boot["seed"] is not None else ""
        interval = (
            f"Confidence intervals for alpha are percentile intervals from {boot['replicates']} bootstrap "
            f"resamples of segments{seed} (Hayes & Krippendorff, 2007); intervals for kappa use the standard "
            "error of Fleiss, Cohen and Everitt (1969) and those for AC1 Gwet's (2008) variance."
        )
    else:
        interval = (
            "Confidence intervals (95%) for kappa use the standard error of Fleiss, Cohen and Everitt (1969) "
            "and those for AC1 Gwet's (2008) variance."
        )
    parts = [
        f"Inter-rater agreement was assessed on the pre-defined segments (one segment per participant "
        f"turn of speech) rather than on character spans, which avoids the unitising problem of comparing "
        f"overlapping highlights. {len(coders)} coders ({_names(coders)}) coded {overall['n']} of "
        f"{data['units']} segments independently"
        + (
            f"; {data['units'] - overall['n']} segments coded by fewer than two coders were not compared. "
            if data["units"] != overall["n"]
            else "."
        ),
        f"For each of the {len(codes)} {level}s, a coder's rating of a segment was 1 when the {level} was "
        f"applied and 0 when the coder coded the segment without it; segments a coder did not code were "
        f"treated as missing. Per {level} we computed percent agreement, {kappa_name}, Fleiss' kappa "
        f"(Gwet's generalisation for missing ratings), Krippendorff's alpha (nominal), Gwet's AC1 and "
        f"the Brennan-Prediger coefficient, with the prevalence and bias indices of Byrt, Bishop and "
        f"Carlin (1993). {interval}",
        f"Overall, percent agreement across all segment-by-{level} decisions was "
        f"{_f(_pct(overall['percent_agreement']), 1)}%, Krippendorff's alpha over the coders' sets of "
        f"{level}s with the MASI distance (Passonneau, 2006) was "
        f"{_overall(overall, 'krippendorff_alpha_masi')}, "
        f"the pooled kappa (De Vries et al., 2008) was {_overall(overall, 'pooled_kappa')}, "
        f"and the mean per-{level} alpha was {_overall(overall, 'mean_alpha')}.",
    ]
    if alphas:
        parts.append(
            f"Per-{level} alpha ranged from {_f(min(alphas))} to {_f(max(alphas))}; {reliable} "
            f"{level}s reached alpha >= {ALPHA_RELIABLE:.3f}, {tentative} lay between "
            f"{ALPHA_TENTATIVE:.3f} and {ALPHA_RELIABLE:.3f}, and {low} fell below {ALPHA_TENTATIVE:.3f} "
            "(Krippendorff, 2004)"
            + (
                f"; alpha was undefined for {len(undefined)} {level}s that were never or always applied"
                if undefined
                else ""
            )
            + ". Kappa values are described with the bands of Landis and Koch (1977)."
        )
    if data["min_alpha"] is not None:
        below = [row["code"] for row in codes if row["below_min_alpha"]]
        parts.append(
            f"The reliability threshold was set at alpha = {data['min_alpha']:.3f}; "
            + (
                f"{len(below)} {level}(s) fell below it ({', '.join(below)})."
                if below
                else f"every {level} with a defined alpha met it."
            )
        )
    parts.append(
        "Disagreements were listed segment by segment and discussed to consensus. "
        f"Statistics were computed with slqual {data['slqual_version']}."
    )
    return " ".join(parts)


def _pct(value: float | None) -> float | None:
    return None if value is None else 100 * value


def _overall(overall: dict, name: str) -> str:
    return _with_ci(overall[name], overall["ci"][name])
