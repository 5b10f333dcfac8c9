"""A ready-to-edit methods paragraph written from the very numbers that were reported."""

from __future__ import annotations

from slqual.agreement.report import ALPHA_RELIABLE, ALPHA_TENTATIVE, below_min_alpha
from slqual.agreement.undefined import ALWAYS_USED, NEVER_USED

SEGMENT_UNITS = {
    "turn": "one segment per participant turn of speech",
    "paragraph": "one segment per paragraph of a participant's answer",
    "sentence": "one segment per sentence spoken by a participant",
}
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int, noun: str = "") -> str:
    """Numbers in words up to ten, as journals ask; ``noun`` is pluralised as needed."""
    text = NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)
    if not noun:
        return "none" if n == 0 else text
    return f"{text} {noun}" + ("" if n in (0, 1) else "s")


def _f(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "undefined"
    return f"{value:.{digits}f}"


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
    reasons = {
        row["undefined"].get("krippendorff_alpha") for row in codes if row["krippendorff_alpha"] is None
    }
    why = (
        "never applied, or applied to every segment, so without variation to agree on"
        if reasons <= {NEVER_USED, ALWAYS_USED}
        else "see the table for the reasons"
    )
    reliable = sum(a >= ALPHA_RELIABLE for a in alphas)
    tentative = sum(ALPHA_TENTATIVE <= a < ALPHA_RELIABLE for a in alphas)
    low = sum(a < ALPHA_TENTATIVE for a in alphas)
    boot = data["bootstrap"]
    two = data["kappa_type"] == "cohen"
    analytic = (
        "Cohen's kappa use the standard error of Fleiss, Cohen and Everitt (1969), and those for AC1 "
        "Gwet's (2008) variance"
        if two
        else "AC1 use Gwet's (2008) variance"
    )
    if boot:
        seed = f", seed {boot['seed']}" if boot["seed"] is not None else ""
        what = "alpha and" if two else "alpha, Light's kappa and"
        interval = (
            f"The 95% confidence intervals for {what} the overall statistics are percentile "
            f"intervals from {boot['replicates']} bootstrap resamples of segments{seed} (cf. Hayes & "
            f"Krippendorff, 2007); those for {analytic}."
        )
    else:
        interval = f"The 95% confidence intervals for {analytic}."
    compared = (
        f"independently coded all {data['units']} segments."
        if data["units"] == overall["n"]
        else f"independently coded {overall['n']} of the {data['units']} segments; "
        f"{data['units'] - overall['n']} segments coded by fewer than two coders were not compared."
    )
    parts = [
        f"Inter-rater agreement was assessed on the pre-defined segments "
        f"({SEGMENT_UNITS.get(data.get('segment_unit') or '', 'identified by segment id')}) rather than "
        f"on character spans, which avoids the unitising problem of comparing overlapping highlights. "
        f"{_count(len(coders)).capitalize()} coders ({_names(coders)}) {compared}",
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
            f"Per-{level} alpha ranged from {_f(min(alphas))} to {_f(max(alphas))}; "
            f"{_count(reliable, level)} reached at least {ALPHA_RELIABLE:.3f}, {_count(tentative)} lay "
            f"between {ALPHA_TENTATIVE:.3f} and {ALPHA_RELIABLE:.3f}, and {_count(low)} fell below "
            f"{ALPHA_TENTATIVE:.3f} (Krippendorff, 2004)"
            + (f"; alpha was undefined for {_count(len(undefined), level)} ({why})" if undefined else "")
            + ". Kappa values are described with the bands of Landis and Koch (1977)."
        )
    if data["min_alpha"] is not None:
        below = below_min_alpha(data)
        parts.append(
            f"The reliability threshold was set at alpha = {data['min_alpha']:.3f}; "
            + (
                f"{_count(len(below), level)} fell below it ({', '.join(below)})."
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
