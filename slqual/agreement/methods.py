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
    # Round first, then "+ 0.0": a value that rounds to zero never prints as "-0.00".
    return f"{round(value, digits) + 0.0:.{digits}f}"


def _with_ci(value: float | None, ci: list[float] | None, digits: int = 2) -> str:
    if value is None:
        return "undefined"
    if ci is None:
        return _f(value, digits)
    return f"{_f(value, digits)} (95% CI {_f(ci[0], digits)} to {_f(ci[1], digits)})"


def _names(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


STAT_NAMES = {
    "percent_agreement": "percent agreement",
    "cohen_kappa": "Cohen's kappa",
    "fleiss_kappa": "Fleiss' kappa",
    "conger_kappa": "Conger's kappa",
    "krippendorff_alpha": "alpha",
    "gwet_ac1": "AC1",
    "brennan_prediger": "Brennan-Prediger",
}


def _method_text(method: str, data: dict) -> str:
    if method == "fleiss-cohen-everitt-1969":
        return "based on the large-sample standard error of Fleiss, Cohen and Everitt (1969)"
    if method == "gwet-linearised-variance":
        return "based on Gwet's (2008) linearised variance with a t quantile"
    if method.startswith("bootstrap-"):
        boot = data["bootstrap"] or {}
        seed = f", seed {boot['seed']}" if boot.get("seed") is not None else ""
        return (
            f"percentile intervals from {method.split('-', 1)[1]} bootstrap resamples of segments{seed} "
            "(cf. Hayes & Krippendorff, 2007)"
        )
    return method


def coverage_sentence(data: dict) -> str:
    """Who coded what: true for any number of coders and any overlap."""
    coders, units = data["coders"], data["units"]
    n_coders = len(coders)
    coverage = {int(k): v for k, v in data.get("coverage", {}).items()}
    everyone = coverage.get(n_coders, 0)
    alone = coverage.get(1, 0)
    nobody = coverage.get(0, 0)
    compared = data["overall"]["n"]
    who = f"{_count(n_coders).capitalize()} coders ({_names(coders)})"
    if everyone == units:
        if units == 1:
            return f"{who} independently coded the one segment."
        return f"{who} independently coded all {_count(units, 'segment')}."
    if n_coders == 2:
        text = (
            f"{who} independently coded the segments: {_count(compared)} of the {_count(units, 'segment')} "
            f"{'was' if compared == 1 else 'were'} coded by both coders and compared"
        )
    else:
        parts = []
        for k in range(n_coders, 1, -1):
            count = coverage.get(k, 0)
            if k == n_coders:
                if count == 0:
                    parts.append(f"no segment was coded by all {_count(k)} coders")
                else:
                    verb = "was" if count == 1 else "were"
                    parts.append(f"{_count(count, 'segment')} {verb} coded by all {_count(k)} coders")
            elif count:
                verb = "was" if count == 1 else "were"
                if parts and not parts[-1].startswith("no segment"):
                    parts.append(f"{_count(count, 'segment')} by {_count(k)}")
                else:
                    parts.append(f"{_count(count, 'segment')} {verb} coded by {_count(k)} coders")
        text = f"{who} independently coded the segments: " + "; ".join(parts)
        text += f"; the {_count(compared, 'segment')} coded by two or more coders were compared"
    if alone:
        verb = "was" if alone == 1 else "were"
        text += f"; {_count(alone, 'segment')} coded by only one coder {verb} not compared"
    if nobody:
        text += f"; {_count(nobody, 'segment')} {'was' if nobody == 1 else 'were'} coded by no one"
    return text + "."


def interval_sentence(data: dict) -> str:
    """Which interval each statistic has, by method, and which statistics have none."""
    by_method: dict[str, list[str]] = {}
    without: list[str] = []
    withheld = 0
    declared = data.get("interval_methods", {})
    for name, label in STAT_NAMES.items():
        if name not in declared and not any(name in row for row in data["codes"]):
            continue
        methods = {declared[name]} if declared.get(name) else set()
        methods |= {row["ci_method"].get(name) for row in data["codes"]} - {None}
        defined = any(row.get(name) is not None for row in data["codes"])
        withheld += sum(name in row.get("ci_withheld", {}) for row in data["codes"])
        if data["kappa_type"] == "light" and name == "cohen_kappa":
            label = "Light's kappa"
        for method in sorted(methods):
            by_method.setdefault(method, []).append(label)
        if defined and not methods:
            without.append(label)
    overall_methods = set(data["overall"].get("ci_method", {}).values())
    for method in sorted(overall_methods):
        by_method.setdefault(method, []).append("the overall statistics")
    if not by_method and not without:
        return ""
    pieces = [
        f"{'The 95% confidence intervals' if i == 0 else 'those'} for {_names(stats)} are "
        f"{_method_text(method, data)}"
        for i, (method, stats) in enumerate(by_method.items())
    ]
    text = "; ".join(pieces) + "." if pieces else ""
    if without:
        text += (
            f" {_upper(_names(without))} {'has' if len(without) == 1 else 'have'} no interval "
            "(no analytic interval exists; run with a bootstrap for one)."
        )
    if withheld:
        text += (
            " Intervals that would have had zero width, or an end on the estimate itself, were withheld "
            f"({_count(withheld)} in all), as such an interval claims a certainty the data cannot give."
        )
    return text.strip()


def methods_paragraph(data: dict) -> str:
    """The paragraph for ``slqual agree --methods``, from ``report.to_dict`` output."""
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
    single = {int(k): v for k, v in data.get("coverage", {}).items()}.get(1, 0)
    parts = [
        f"Inter-rater agreement was assessed on the pre-defined segments "
        f"({SEGMENT_UNITS.get(data.get('segment_unit') or '', 'identified by segment id')}) rather than "
        f"on character spans, which avoids the unitising problem of comparing overlapping highlights. "
        f"{coverage_sentence(data)}"
    ]
    used = overall.get("codes_used", len(codes))
    if not codes or used == 0:
        segments = overall.get("percent_agreement_segments")
        parts.append(
            f"As no code was applied by any coder, there was no per-{level} agreement to compute"
            + (
                f"; the coders agreed that no {level} applies on {_f(_pct(segments), 1)}% of the coder "
                "pairs' segment decisions."
                if segments is not None
                else "."
            )
        )
    else:
        each = f"For the one {level}" if len(codes) == 1 else f"For each of the {_count(len(codes), level)}"
        extra = ", Conger's kappa" if any(row.get("conger_kappa") is not None for row in codes) else ""
        specific = (
            ", specific positive and negative agreement (Cicchetti & Feinstein, 1990)"
            if any("positive_agreement" in row for row in codes)
            else ""
        )
        parts.append(
            f"{each}, a coder's rating of a segment was 1 when the {level} was applied and 0 when the coder "
            f"coded the segment without it; segments a coder did not code were treated as missing. Per "
            f"{level} we computed percent agreement, {kappa_name}, Fleiss' kappa (Gwet's generalisation for "
            f"missing ratings){extra}, Krippendorff's alpha (nominal), Gwet's AC1 and the Brennan-Prediger "
            f"coefficient{specific}, with the prevalence and bias indices of Byrt, Bishop and Carlin (1993)."
        )
        if data.get("weight") == "words":
            parts.append(
                "Every statistic was computed with each segment weighted by its length in words, so that "
                "a long answer counts for more than a short one (segment counts are still numbers of "
                "segments); analytic intervals were therefore not used, as their variance formulas "
                "assume equally weighted segments."
            )
        if single:
            parts.append(
                f"The {_count(single, 'segment')} coded by only one coder {'was' if single == 1 else 'were'} "
                "not compared, but still enter the chance term (the category proportions) of Fleiss' kappa "
                "and AC1, as in Gwet's generalisation for missing ratings."
            )
        intervals = interval_sentence(data)
        if intervals:
            parts.append(intervals)
        rare = [row["code"] for row in codes if row.get("too_rare")]
        if rare:
            parts.append(
                f"{_upper(_count(len(rare), level))} {'was' if len(rare) == 1 else 'were'} applied fewer "
                f"than {_count(data.get('too_rare_below', 5))} times in total; "
                f"{'its statistics are' if len(rare) == 1 else 'their statistics are'} reported but not "
                "taken as evidence of reliability."
            )
        masi = _overall(overall, "krippendorff_alpha_masi")
        if (
            overall.get("krippendorff_alpha_masi_method") == "sampled"
            and overall["krippendorff_alpha_masi"] is not None
        ):
            masi += (
                f" (expected disagreement estimated from a seeded random sample of value pairs; Monte Carlo "
                f"standard error {overall['krippendorff_alpha_masi_mc_se']:.4f})"
            )
        parts.append(
            f"Overall, percent agreement across the segment-by-{level} decisions for the "
            f"{_count(used, level) if used != 1 else 'one ' + level} applied at least once was "
            f"{_f(_pct(overall['percent_agreement']), 1)}%, Krippendorff's alpha over the coders' sets of "
            f"{level}s with the MASI distance (Passonneau, 2006) was {masi}, "
            f"the pooled kappa (De Vries et al., 2008) was {_overall(overall, 'pooled_kappa')}, "
            f"and the mean per-{level} alpha was {_overall(overall, 'mean_alpha')}."
        )
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
    if data.get("consensus_from_reconcile"):
        parts.append("Disagreements were listed segment by segment and discussed to consensus.")
    parts.append(f"Statistics were computed with slqual {data['slqual_version']}.")
    return " ".join(parts)


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(value: float | None) -> float | None:
    return None if value is None else 100 * value


def _overall(overall: dict, name: str) -> str:
    return _with_ci(overall[name], overall["ci"][name])
