"""Agreement statistics for nominal ratings, vectorised across codes.

Ratings are integer category labels shaped (units, coders, codes) with -1
for a missing rating; a binary code is the case of two categories (0 = not
applied, 1 = applied). Every statistic is computed from sums over units of
unit-level terms, so the point estimate and each bootstrap replicate (a
weighted sum over resampled units) share one implementation.

Sources:
- percent agreement: mean over units rated by two or more coders of the share
  of agreeing coder pairs (two coders: share of units rated alike);
- Cohen (1960) kappa per coder pair; with three or more coders the mean of the
  pairwise kappas, Light (1971);
- Fleiss (1971) kappa, with missing ratings in Gwet's generalisation
  (Gwet 2014, Handbook of Inter-Rater Reliability, ch. 2 & 5): agreement over
  units rated at least twice, category shares over units rated at least once;
- Gwet's AC1 (Gwet 2008) and Brennan & Prediger (1981) with the same
  observed agreement and their own chance agreement;
- Krippendorff's alpha, nominal, from the coincidence matrix (Krippendorff 2011).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from slqual.agreement.undefined import (
    NO_BOTH,
    NO_UNITS,
    ONE_CATEGORY,
    ONE_CATEGORY_COMPARED,
    ONE_UNIT,
    PAIR_ONE_CATEGORY,
    Stat,
    make_stat,
    safe_divide,
)

Z95 = 1.959963984540054
TINY = 1e-12
STATISTICS = (
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
    "brennan_prediger",
)


@dataclass(frozen=True)
class UnitTerms:
    """The ratings reduced to rating patterns, from which every statistic follows.

    For one code, a unit's ratings form a pattern (the label each coder gave,
    -1 when missing); every unit-level quantity depends on the pattern only.
    patterns: (n_patterns, C) the distinct patterns; pattern_of: (U, K) which
    pattern unit u has for code k. A sum over units is then a histogram of
    patterns per code times the pattern's terms.
    """

    patterns: np.ndarray
    pattern_of: np.ndarray
    pairs: tuple[tuple[int, int], ...]
    n_categories: int

    @property
    def n_units(self) -> int:
        return self.pattern_of.shape[0]

    @property
    def n_codes(self) -> int:
        return self.pattern_of.shape[1]

    def subset(self, units: np.ndarray) -> UnitTerms:
        return UnitTerms(self.patterns, self.pattern_of[units], self.pairs, self.n_categories)

    def rated_by_anyone(self) -> np.ndarray:
        """(U,) units at least one coder rated for at least one code."""
        rated_pattern = (self.patterns >= 0).any(axis=1)
        return rated_pattern[self.pattern_of].any(axis=1)


def terms_from_labels(labels: np.ndarray, n_categories: int) -> UnitTerms:
    """Unit terms from labels shaped (units, coders, codes), -1 for missing."""
    labels = np.asarray(labels)
    if labels.ndim == 2:
        labels = labels[:, :, None]
    n_units, n_coders, n_codes = labels.shape
    base = n_categories + 1
    pairs = tuple(combinations(range(n_coders), 2))
    if float(base) ** n_coders < 2.0**62:
        # The smallest integer type that holds every key: a few bytes per (unit, code) instead of 8.
        key_type = next(
            t for t in (np.uint8, np.uint16, np.uint32, np.int64) if base**n_coders <= np.iinfo(t).max
        )
        key = np.zeros((n_units, n_codes), dtype=key_type)
        for c in range(n_coders):
            key *= base
            key += (labels[:, c, :] + 1).astype(key_type)
        if base**n_coders <= 4_000_000:  # direct lookup instead of sorting
            seen = np.bincount(key.ravel(), minlength=base**n_coders) > 0
            distinct = np.nonzero(seen)[0]
            lookup = (np.cumsum(seen) - 1).astype(np.int32)
            inverse = lookup[key]
        else:
            distinct, inverse = np.unique(key.ravel(), return_inverse=True)
        patterns = np.zeros((len(distinct), n_coders), dtype=np.int64)
        rest = distinct.copy()
        for c in reversed(range(n_coders)):
            patterns[:, c] = rest % base - 1
            rest //= base
    else:
        rows = labels.transpose(0, 2, 1).reshape(-1, n_coders)
        patterns, inverse = np.unique(rows, axis=0, return_inverse=True)
    pattern_of = inverse.reshape(n_units, n_codes).astype(np.int32, copy=False)
    return UnitTerms(patterns.astype(np.int32), pattern_of, pairs, n_categories)


@dataclass(frozen=True)
class Sums:
    """Sums over units of the unit terms; leading axes may hold bootstrap replicates.

    g1, g2: units rated by at least one / two coders (…, K);
    pi_num: sum of counts / raters over units rated at least once (…, K, Q);
    pa: sum of the per-unit share of agreeing pairs (…, K);
    nq: pairable values per category over units rated at least twice (…, K, Q);
    do: sum of disagreeing ordered pairs / (raters - 1) (…, K);
    tables: per coder pair the joint counts (P, …, K, Q, Q);
    coder_counts: per coder the ratings in each category over the units they rated (C, …, K, Q).
    """

    g1: np.ndarray
    g2: np.ndarray
    pi_num: np.ndarray
    pa: np.ndarray
    nq: np.ndarray
    do: np.ndarray
    tables: np.ndarray
    coder_counts: np.ndarray | None = None


def pattern_arrays(terms: UnitTerms) -> dict[str, np.ndarray]:
    """The unit-level quantities of each pattern, shaped (n_patterns, ...)."""
    q = terms.n_categories
    labels = terms.patterns
    c = np.stack([(labels == category).sum(axis=1) for category in range(q)], axis=1).astype(float)
    r = c.sum(axis=1)
    one, two = r >= 1, r >= 2
    safe_r = np.where(one, r, 1)
    pair_den = np.where(two, r * (r - 1), 1)
    cells = np.arange(q * q)
    out = {
        "g1": one.astype(float),
        "g2": two.astype(float),
        "pi_num": np.where(one[:, None], c / safe_r[:, None], 0.0),
        "pa": np.where(two, (c * (c - 1)).sum(axis=1) / pair_den, 0.0),
        "nq": c * two[:, None],
        "do": np.where(two, (r * r - (c * c).sum(axis=1)) / np.where(two, r - 1, 1), 0.0),
    }
    for p, (i, j) in enumerate(terms.pairs):
        both = (labels[:, i] >= 0) & (labels[:, j] >= 0)
        cell = np.where(both, labels[:, i] * q + labels[:, j], -1)
        out[f"pair{p}"] = (cell[:, None] == cells[None, :]).astype(float)
    for coder in range(labels.shape[1]):
        out[f"coder{coder}"] = (labels[:, coder][:, None] == np.arange(q)[None, :]).astype(float)
    return out


def pattern_histogram(terms: UnitTerms, weights: np.ndarray | None = None) -> np.ndarray:
    """How many units (or how much bootstrap weight) each code has per pattern: (K, n) or (B, K, n)."""
    n_pat = len(terms.patterns)
    n_units, n_codes = terms.pattern_of.shape
    flat = (terms.pattern_of + (np.arange(n_codes) * n_pat)[None, :]).ravel()
    if weights is None:
        return np.bincount(flat, minlength=n_codes * n_pat).reshape(n_codes, n_pat).astype(float)
    from scipy import sparse

    onehot = sparse.csr_matrix(
        (np.ones(len(flat)), (np.repeat(np.arange(n_units), n_codes), flat)), shape=(n_units, n_codes * n_pat)
    )
    summed = np.asarray((onehot.T @ np.asarray(weights, dtype=float).T).T)
    return summed.reshape(len(weights), n_codes, n_pat)


def sums_from_histogram(hist: np.ndarray, arrays: dict[str, np.ndarray], n_categories: int) -> Sums:
    """Sums of the unit terms from a pattern histogram (…, K, n_patterns)."""
    q = n_categories
    parts = {name: hist @ a for name, a in arrays.items() if not name.startswith(("pair", "coder"))}
    pairs = [hist @ a for name, a in arrays.items() if name.startswith("pair")]
    tables = (
        np.stack([t.reshape(*t.shape[:-1], q, q) for t in pairs])
        if pairs
        else np.zeros((0, *hist.shape[:-1], q, q))
    )
    coders = [hist @ a for name, a in arrays.items() if name.startswith("coder")]
    coder_counts = np.stack(coders) if coders else None
    return Sums(tables=tables, coder_counts=coder_counts, **parts)


def sum_terms(terms: UnitTerms, weights: np.ndarray | None = None) -> Sums:
    """Sum the unit terms over units, plainly or with bootstrap weights shaped (B, U)."""
    return sums_from_histogram(pattern_histogram(terms, weights), pattern_arrays(terms), terms.n_categories)


def chance_corrected(pa: np.ndarray, pe: np.ndarray) -> np.ndarray:
    """(pa - pe) / (1 - pe), NaN where chance agreement is (all but) perfect."""
    den = 1.0 - pe
    return safe_divide(pa - pe, np.where(den > TINY, den, 0.0))


def cohen_from_tables(tables: np.ndarray) -> dict[str, np.ndarray]:
    """Cohen's kappa from joint count tables (…, Q, Q): po, pe, kappa (NaN where 0/0)."""
    n = tables.sum(axis=(-2, -1))
    p = safe_divide(tables, n[..., None, None])
    rows, cols = p.sum(axis=-1), p.sum(axis=-2)
    po = np.trace(p, axis1=-2, axis2=-1)
    pe = (rows * cols).sum(axis=-1)
    kappa = chance_corrected(po, pe)
    return {"n": n, "po": po, "pe": pe, "kappa": kappa}


def values_from_sums(s: Sums, n_categories: int, counts: Sums | None = None) -> dict[str, np.ndarray]:
    """Every statistic's value from the sums; NaN where it is undefined.

    ``counts``: the same sums over units counted once each, when ``s`` is weighted (``--weight
    words``): whether a statistic is defined depends on how many segments there are, not on words.
    """
    q = n_categories
    counts = s if counts is None else counts
    enough = counts.g2 >= 2
    pa = safe_divide(s.pa, s.g2)
    pi = safe_divide(s.pi_num, s.g1[..., None])
    pe_fleiss = (pi * pi).sum(axis=-1)
    pe_ac1 = (pi * (1 - pi)).sum(axis=-1) / (q - 1)
    n_pairable = s.nq.sum(axis=-1)
    de_num = n_pairable**2 - (s.nq**2).sum(axis=-1)
    alpha = 1.0 - safe_divide((n_pairable - 1) * s.do, np.where(de_num > TINY, de_num, 0.0))
    pairwise = cohen_from_tables(s.tables)
    pair_ok = counts.tables.sum(axis=(-2, -1)) >= 2
    pair_kappa = np.where(pair_ok, pairwise["kappa"], np.nan)
    # One rule for every chance-corrected statistic: defined when the segments rated twice (the ones
    # compared) hold at least two categories; Fleiss' and AC1's shares alone would say otherwise.
    enough = enough & ((counts.nq > 0).sum(axis=-1) >= 2)
    return {
        "percent_agreement": pa,
        "fleiss_kappa": np.where(enough, chance_corrected(pa, pe_fleiss), np.nan),
        "gwet_ac1": np.where(enough, chance_corrected(pa, pe_ac1), np.nan),
        "brennan_prediger": np.where(enough, (pa - 1.0 / q) / (1.0 - 1.0 / q), np.nan),
        "krippendorff_alpha": np.where(enough, alpha, np.nan),
        # Light's kappa is undefined when any pair's kappa is (the mean is then not over all pairs).
        "cohen_kappa": pair_kappa.mean(axis=0),
        "pair_kappa": pair_kappa,
        "pe_fleiss": pe_fleiss,
        "pi": pi,
    }


# reason_for(category, scope): why a statistic is undefined when every rating in scope is ``category``;
# scope "all": every rating of every segment, "compared": only the segments rated twice,
# "pair": the segments two given coders both rated.
CategoryReason = Callable[[int, str], str]


def nominal_reason(_category: int, scope: str) -> str:
    return {"all": ONE_CATEGORY, "compared": ONE_CATEGORY_COMPARED}.get(scope, PAIR_ONE_CATEGORY)


def _one_category_reason(
    compared: np.ndarray, everywhere: np.ndarray, reason_for: CategoryReason
) -> np.ndarray:
    """Per code: the reason when all compared ratings (``compared`` counts, (K, Q)) are in one category.

    The reason says whether that holds for every rating (``everywhere`` counts over all rated
    segments) or only for the segments compared, so that it is true of the data.
    """
    used = compared > 0
    single = used.sum(axis=-1) == 1
    which = used.argmax(axis=-1)
    alone = (everywhere > 0).sum(axis=-1) <= 1
    return np.array(
        [
            reason_for(int(w), "all" if a else "compared") if s else None
            for s, w, a in zip(single, which, alone, strict=True)
        ],
        dtype=object,
    )


def point_statistics(
    terms: UnitTerms,
    reason_for: CategoryReason | None = None,
    coders: tuple[str, ...] | None = None,
    weights: np.ndarray | None = None,
) -> tuple[dict[str, Stat], Sums, dict[str, np.ndarray]]:
    """All statistics for every code, with reasons where undefined and analytic intervals.

    ``coders`` names the coders in reasons (default: coder 1, coder 2, ...). ``weights`` (U,)
    weighs each unit (segment length in words): every sum over units becomes a weighted sum, the
    rules for undefined still count segments, and no analytic interval is given (their variance
    formulas assume equally weighted segments; the bootstrap gives intervals).
    Returns the Stats, the (weighted) sums and the raw values (including the
    pairwise kappas, shape (P, K)).
    """
    reason_for = reason_for or nominal_reason
    counts = sum_terms(terms)
    s = counts if weights is None else _squeeze(sum_terms(terms, np.asarray(weights, float)[None, :]))
    v = values_from_sums(s, terms.n_categories, counts)
    none = counts.g2 == 0
    single = counts.g2 == 1
    alpha_one = _one_category_reason(counts.nq, counts.pi_num, reason_for)
    base = [(none, NO_UNITS), (single, ONE_UNIT)]
    stats = {
        "percent_agreement": make_stat(v["percent_agreement"], [(none, NO_UNITS)]),
        "fleiss_kappa": make_stat(v["fleiss_kappa"], [*base, *_as_rules(alpha_one)]),
        # With every rating in one category there is nothing to agree on: AC1 and Brennan-Prediger
        # would print 1.00 from their formulas, which reads as reliability that was never tested.
        "gwet_ac1": make_stat(v["gwet_ac1"], [*base, *_as_rules(alpha_one)]),
        "brennan_prediger": make_stat(v["brennan_prediger"], [*base, *_as_rules(alpha_one)]),
        "krippendorff_alpha": make_stat(v["krippendorff_alpha"], [*base, *_as_rules(alpha_one)]),
    }
    pair_reasons = [_pair_reasons(counts.tables[p], reason_for) for p in range(len(terms.pairs))]
    # A code with no variation at all explains every pair's undefined kappa; name it before any pair.
    kappa_rules = [*base, *_as_rules(alpha_one)]
    for p, (i, j) in enumerate(terms.pairs):
        first, second = (coders[i], coders[j]) if coders else (f"coder {i + 1}", f"coder {j + 1}")
        prefix = "" if len(terms.pairs) == 1 else f"kappa for {first} and {second}: "
        kappa_rules.extend((mask, prefix + why) for mask, why in pair_reasons[p])
    stats["cohen_kappa"] = make_stat(v["cohen_kappa"], kappa_rules)
    if weights is None:
        stats = add_analytic_intervals(stats, terms, s, v)
    return stats, s, v


def _squeeze(s: Sums) -> Sums:
    """Sums computed with one row of weights (1, ...) as plain sums."""
    from dataclasses import fields

    out = {}
    for f in fields(s):
        value = getattr(s, f.name)
        if value is None:
            out[f.name] = None
        elif f.name in ("tables", "coder_counts"):
            out[f.name] = value[:, 0]
        else:
            out[f.name] = value[0]
    return Sums(**out)


def _as_rules(reasons: np.ndarray) -> list[tuple[np.ndarray, str]]:
    return [(reasons == why, why) for why in sorted({r for r in reasons if r is not None})]


def _pair_reasons(tables: np.ndarray, reason_for: CategoryReason) -> list[tuple[np.ndarray, str]]:
    n = tables.sum(axis=(-2, -1))
    rules = [(n == 0, NO_BOTH), (n == 1, ONE_UNIT)]
    flat = tables.reshape(tables.shape[0], tables.shape[-1] * tables.shape[-2])
    single = (flat > 0).sum(axis=1) == 1
    cell = flat.argmax(axis=1)
    q = tables.shape[-1]
    diagonal = cell // q == cell % q
    rules.extend(
        (single & diagonal & (cell // q == category), reason_for(category, "pair")) for category in range(q)
    )
    return rules


def add_analytic_intervals(
    stats: dict[str, Stat], terms: UnitTerms, s: Sums, v: dict[str, np.ndarray]
) -> dict[str, Stat]:
    """95% intervals: Fleiss, Cohen & Everitt (1969) for Cohen's kappa (two coders),
    Gwet's linearised variance (Gwet 2008; Handbook 2014) for Fleiss' kappa, AC1 and
    Brennan-Prediger, with a t quantile on n - 1 degrees of freedom as Gwet does."""
    from slqual.agreement.student import t_quantile  # scipy.special's import would cost more than this

    out = dict(stats)
    se = gwet_standard_errors(terms, s, v)
    n = s.g1
    t = t_quantile(np.where(n > 1, n - 1, 1), 0.975)
    for name in ("fleiss_kappa", "gwet_ac1", "brennan_prediger"):
        low, high = _interval(out[name].value, t * se[name])
        out[name] = out[name].with_interval(low, high, "gwet-linearised-variance")
    if len(terms.pairs) == 1:
        low, high = _interval(out["cohen_kappa"].value, Z95 * fce_standard_error(s.tables[0]))
        out["cohen_kappa"] = out["cohen_kappa"].with_interval(low, high, "fleiss-cohen-everitt-1969")
    return out


def _interval(value: np.ndarray, half_width: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """value ± half_width within [-1, 1].

    A zero standard error (e.g. one coder never applied the code, which makes kappa exactly 0, or
    perfect agreement on a code applied once) is not certainty: the large-sample formula has nothing
    to work with there. ``Stat.with_interval`` withholds such a zero-width interval with the reason.
    """
    half_width = np.where(half_width < 1e-6, 0.0, half_width)  # zero up to rounding in the variance sums
    return np.clip(value - half_width, -1, 1), np.clip(value + half_width, -1, 1)


def fce_standard_error(tables: np.ndarray) -> np.ndarray:
    """Large-sample standard error of Cohen's kappa, Fleiss, Cohen & Everitt (1969).

    Var = [sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2
           + (1 - k)^2 sum_{i != j} p_ij (p_.i + p_j.)^2 - (k - p_e (1 - k))^2] / (n (1 - p_e)^2)
    (as given in Fleiss, Levin & Paik 2003, ch. 18). ``tables`` is (K, Q, Q), rows the first coder.
    """
    c = cohen_from_tables(tables)
    n, kappa, pe = c["n"], c["kappa"], c["pe"]
    p = safe_divide(tables, n[:, None, None])
    rows, cols = p.sum(axis=2), p.sum(axis=1)
    diag = np.diagonal(p, axis1=1, axis2=2)
    one_minus = (1 - kappa)[:, None]
    a = (diag * (1 - (rows + cols) * one_minus) ** 2).sum(axis=1)
    weight = (cols[:, :, None] + rows[:, None, :]) ** 2  # cell (i, j): (p_.i + p_j.)^2
    off = p * (1 - np.eye(p.shape[1]))[None]
    b = (1 - kappa) ** 2 * (off * weight).sum(axis=(1, 2))
    c_term = (kappa - pe * (1 - kappa)) ** 2
    var = safe_divide(a + b - c_term, n * (1 - pe) ** 2)
    return np.sqrt(np.clip(var, 0, None))


def gwet_standard_errors(terms: UnitTerms, s: Sums, v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Gwet's linearised standard errors for Fleiss' kappa, AC1 and Brennan-Prediger.

    For unit i rated by r_i coders: k_i = (n / n2)(pa_i - pe [r_i >= 2]) / (1 - pe), then
    k*_i = k_i - 2 (1 - k)(pe_i - pe) / (1 - pe) with pe_i the unit's own chance term, and
    Var = sum over units rated at least once of (k*_i - k)^2 / (n (n - 1)).
    Computed per rating pattern and weighted by how many units have it.
    """
    q = terms.n_categories
    arrays = pattern_arrays(terms)
    hist = pattern_histogram(terms)  # (K, n_patterns)
    n, n2 = s.g1, s.g2
    pi = v["pi"]  # (K, Q)
    share = arrays["pi_num"]  # (n_patterns, Q): c_iq / r_i
    pa_i, two, one = arrays["pa"][None], arrays["g2"][None], arrays["g1"][None] > 0
    out = {}
    chance = {
        "fleiss_kappa": (v["pe_fleiss"], pi @ share.T),
        "gwet_ac1": ((pi * (1 - pi)).sum(axis=-1) / (q - 1), (1 - pi) @ share.T / (q - 1)),
        "brennan_prediger": (np.full(pi.shape[0], 1.0 / q), None),
    }
    for name, (pe, pe_i) in chance.items():
        value = v[name][:, None]
        den = np.where(1 - pe > TINY, 1 - pe, np.nan)[:, None]
        k_i = safe_divide(n, n2)[:, None] * (pa_i - pe[:, None] * two) / den
        if pe_i is not None:
            k_i = k_i - 2 * (1 - value) * (pe_i - pe[:, None]) / den
        dev = (hist * np.where(one, (k_i - value) ** 2, 0.0)).sum(axis=1)
        var = safe_divide(dev, n * (n - 1))
        out[name] = np.sqrt(np.clip(var, 0, None))
    return out
