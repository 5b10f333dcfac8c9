"""Krippendorff's alpha over the coders' code sets with the MASI distance (Passonneau 2006).

Each coder's value for a unit is the set of codes they applied (possibly the
empty set, "no code applies"); a unit the coder never coded is missing.
MASI similarity = Jaccard(A, B) x M, with M = 1 when A = B, 2/3 when one set
contains the other, 1/3 when they overlap otherwise and 0 when disjoint; two
empty sets are identical (distance 0). The distance is 1 - similarity, and

    alpha = 1 - D_o / D_e,
    D_o = (1/N) sum_units sum_{ordered coder pairs} d(v_c, v_c') / (r_u - 1),
    D_e = (1 / (N (N - 1))) sum_{ordered pairs of distinct pairable values} d,

with N the number of pairable values (ratings on units rated at least twice),
as in Krippendorff (2011) for any distance.

D_e needs every pair of pairable values. As MASI depends only on the two set
sizes and the size of their intersection, we count, for each pair of sizes
(a, b), how many value pairs share each intersection size: the number of
pairs sharing a given t-subset is (sets of size a containing it) x (sets of
size b containing it), which gives the binomial moments sum C(m, t), and an
inclusion-exclusion inversion gives the exact counts. This is exact and takes
time proportional to the number of subsets of the sets used, not to N^2.
When that is too costly (dense coding: many codes per segment, nearly every
set distinct) the cost of each method is predicted and the cheapest one
within its budget is used: every pair of distinct sets compared in bounded
blocks (exact), or a seeded sample of value pairs (an estimate of D_e with
its Monte Carlo standard error); see ``slqual.agreement.masi_pairs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np

import slqual.agreement.masi_pairs as masi_pairs
from slqual.agreement.incidence import Incidence
from slqual.agreement.undefined import NO_UNITS, ONE_CATEGORY, ONE_UNIT, Stat, make_stat, safe_divide


def masi_similarity(size_a: np.ndarray, size_b: np.ndarray, inter: np.ndarray) -> np.ndarray:
    """Jaccard x monotonicity for sets of the given sizes and intersection size."""
    size_a, size_b, inter = (np.asarray(x, dtype=float) for x in (size_a, size_b, inter))
    union = size_a + size_b - inter
    jaccard = safe_divide(inter, union)
    equal = (inter == size_a) & (inter == size_b)
    subset = inter == np.minimum(size_a, size_b)
    monotonicity = np.where(equal, 1.0, np.where(subset, 2 / 3, np.where(inter > 0, 1 / 3, 0.0)))
    return np.where(equal, 1.0, np.nan_to_num(jaccard) * monotonicity)


def masi_lookup(size_a: np.ndarray, size_b: np.ndarray, inter: np.ndarray) -> np.ndarray:
    """``masi_similarity`` for integer arrays by table lookup (fast on millions of pairs)."""
    size_a, size_b, inter = (np.asarray(x, dtype=np.int64) for x in (size_a, size_b, inter))
    top = int(max(size_a.max(initial=0), size_b.max(initial=0))) + 1
    if top > 128:  # a table of top^3 entries would be too large
        return masi_similarity(size_a, size_b, inter)
    grid = np.arange(top)
    table = masi_similarity(grid[:, None, None], grid[None, :, None], grid[None, None, :])
    return table.ravel()[(size_a * top + size_b) * top + inter]


def _set_distances(words: np.ndarray, sizes: np.ndarray, sa: np.ndarray, sb: np.ndarray) -> np.ndarray:
    """MASI distances between the sets ``sa`` and ``sb`` (indices into ``words`` and ``sizes``).

    ``1 - masi_lookup`` for many pairs of few sets, with the table index built from per-set parts
    so that a million pairs take few passes over memory.
    """
    top = int(sizes.max(initial=0)) + 1
    if top > 128:
        return 1.0 - masi_lookup(sizes[sa], sizes[sb], masi_pairs.intersections(words[sa], words[sb]))
    grid = np.arange(top)
    distance = 1.0 - masi_similarity(grid[:, None, None], grid[None, :, None], grid[None, None, :])
    index = (sizes * (top * top)).astype(np.intp)[sa]
    index += (sizes * top)[sb]
    index += masi_pairs.intersections(words[sa], words[sb]).astype(np.intp, copy=False)
    return distance.ravel()[index]


LOOKUP_KEYS = 65_536  # t-subsets numbered through a table (one entry per possible subset) up to this many


@dataclass(frozen=True)
class MasiData:
    """What alpha needs, prepared once so that bootstrap replicates are cheap.

    set_units: (S, U) ``Incidence``, how many of the unit's pairable values are each distinct set,
    the distinct sets ordered by size; unit_do: (U,) the unit's summed ordered-pair distances
    / (r - 1); unit_n: (U,) the unit's number of pairable values; sizes: (S,) set sizes;
    groups: per distinct size (size, first, stop) column range; moments: per t >= 1 a dict
    size -> (T_t, sets of that size) ``Incidence`` of t-subsets (None unless ``how`` is
    "moments"). how: "moments", "blocked" or "sampled" (see ``masi_pairs``); method: "exact" or
    "sampled", as reported; words: (S, W) the sets bit-packed (blocked, sampled); de_sampled,
    de_se: the sampled D_e and its Monte Carlo standard error; pair_distance, pair_unit_a,
    pair_unit_b: a sample of value pairs (their distance and segments) for the bootstrap.
    """

    set_units: Incidence
    unit_do: np.ndarray
    unit_n: np.ndarray
    sizes: np.ndarray
    groups: tuple[tuple[int, int, int], ...]
    moments: tuple | None
    how: str = "moments"
    words: np.ndarray | None = None
    de_sampled: float | None = None
    de_se: float | None = None
    pair_distance: np.ndarray | None = None
    pair_unit_a: np.ndarray | None = None
    pair_unit_b: np.ndarray | None = None
    costs: dict | None = None
    unit_weights: np.ndarray | None = None  # (U,) segment weights (--weight words), None: equal

    @property
    def method(self) -> str:
        return "sampled" if self.how == "sampled" else "exact"

    @property
    def n_sets(self) -> int:
        return len(self.sizes)

    @property
    def mc_se(self) -> float | None:
        """Monte Carlo standard error of alpha (delta method on the sampled D_e), None when exact."""
        if self.de_se is None:
            return None
        w = np.ones(len(self.unit_n)) if self.unit_weights is None else self.unit_weights
        n = float(w @ self.unit_n)
        d_o = float(w @ self.unit_do) / n if n else float("nan")
        if not self.de_sampled or not np.isfinite(d_o):
            return None
        return d_o / self.de_sampled**2 * self.de_se

    def exact_bootstrap(self, replicates: int) -> bool:
        """Whether D_e can be recomputed exactly in every one of ``replicates`` resamples."""
        if self.how == "moments":
            return True
        if self.how == "blocked":
            return float(self.n_sets) ** 2 * replicates <= masi_pairs.BOOT_PAIR_BUDGET
        return False

    @property
    def largest_moment(self) -> int:
        if not self.moments:
            return 1
        return max(next(iter(m.values())).shape[0] for m in self.moments if m)


def pack_sets(present: np.ndarray, rated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every coder's set of codes per unit as 64-bit words (U, C, W), and the set sizes (U, C).

    A unit the coder did not rate holds the empty set. Packed once, the sets of any subset of the
    coders (the coder pairs) are slices of these arrays.
    """
    present = np.asarray(present, dtype=bool) & np.asarray(rated, dtype=bool)[:, :, None]
    n_units, n_coders, n_codes = present.shape
    words = masi_pairs.pack(present.reshape(n_units * n_coders, n_codes)).reshape(n_units, n_coders, -1)
    return words, masi_pairs.popcount(words).sum(axis=2).astype(np.int64)


def prepare(
    present: np.ndarray,
    rated: np.ndarray,
    method: str | None = None,
    seed: int = 0,
    weights: np.ndarray | None = None,
    packed: tuple[np.ndarray, np.ndarray] | None = None,
) -> MasiData:
    """present: bool (U, C, K) codes each coder applied; rated: bool (U, C) coder coded the unit.

    ``method`` forces "moments", "blocked" or "sampled" (tests); by default the cheapest within
    its budget (``masi_pairs.choose_method``). ``seed`` seeds the pair sample. ``weights`` (U,)
    weighs each segment's values (``--weight words``): a value counts as often as its segment has
    words, in D_o and in D_e. ``packed``: ``pack_sets(present, rated)`` when the caller has it.
    """
    rated = np.asarray(rated, dtype=bool)
    n_codes = np.shape(present)[2]
    # Every coder's set of codes per unit as 64-bit words: intersections by popcount, sets as sort keys.
    words_uc, sizes_uc = pack_sets(present, rated) if packed is None else packed
    n_units, n_coders = rated.shape
    r = rated.sum(axis=1)
    pairable = r >= 2
    unit_do = np.zeros(n_units)
    for i, j in combinations(range(n_coders), 2):
        both = rated[:, i] & rated[:, j] & pairable
        inter = masi_pairs.intersections(words_uc[:, i], words_uc[:, j])
        distance = 1.0 - masi_lookup(sizes_uc[:, i], sizes_uc[:, j], inter)
        unit_do += np.where(both, 2.0 * distance, 0.0)  # ordered pairs (i, j) and (j, i)
    unit_do = np.nan_to_num(safe_divide(unit_do, np.where(pairable, r - 1, 0)))
    # Distinct pairable sets, ordered by size so that each size is a contiguous block.
    unit_of, coder_of = np.nonzero(rated & pairable[:, None])
    value_words = words_uc[unit_of, coder_of]
    if value_words.shape[1] == 1:  # up to 64 codes: one integer per set sorts fast
        keys = value_words.ravel()
    else:
        keys = np.ascontiguousarray(value_words).view(np.dtype((np.void, 8 * value_words.shape[1]))).ravel()
    _, first, value_id = np.unique(keys, return_index=True, return_inverse=True)
    sizes = sizes_uc[unit_of[first], coder_of[first]]
    order = np.argsort(sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    words, sizes = value_words[first[order]], sizes[order]
    n_sets = len(words)
    set_units = Incidence(rank[value_id.ravel()], unit_of, (n_sets, n_units))
    size_values, starts = np.unique(sizes, return_index=True)
    stops = np.append(starts[1:], n_sets)[: len(starts)]
    groups = tuple((int(a), int(lo), int(hi)) for a, lo, hi in zip(size_values, starts, stops, strict=True))
    common = {
        "set_units": set_units,
        "unit_do": unit_do,
        "unit_n": r * pairable,
        "sizes": sizes,
        "groups": groups,
        "unit_weights": None if weights is None else np.asarray(weights, dtype=float),
    }
    how, costs = masi_pairs.choose_method(sizes)
    how = method or how
    if how == "moments":
        distinct = masi_pairs.unpack(words, n_codes)
        # Per set size a, the a codes of each set of that size: (sets, a), found once for every t.
        members = {a: np.nonzero(distinct[lo:hi])[1].reshape(hi - lo, a) for a, lo, hi in groups}
        max_size = int(sizes.max(initial=0))
        moments = tuple(_incidence(members, n_codes, t) for t in range(1, max_size + 1))
        return MasiData(**common, moments=moments, how=how, costs=costs)
    n_values = len(value_id)
    sample: dict = {}
    if n_values >= 2:
        n_pairs = masi_pairs.SAMPLE_PAIRS if how == "sampled" else masi_pairs.BOOT_SAMPLE_PAIRS
        first, second = masi_pairs.sample_pairs(n_values, n_pairs, seed)
        set_of = rank[value_id.ravel()].astype(np.int32)
        distance = _set_distances(words, sizes, set_of[first], set_of[second])
        if how == "sampled":
            if weights is None:
                sample["de_sampled"] = float(distance.mean())
                sample["de_se"] = float(distance.std(ddof=1) / np.sqrt(len(distance)))
            else:  # a ratio estimator: pairs weighted by their two segments' weights
                pw = (
                    np.asarray(weights, dtype=float)[unit_of[first]]
                    * np.asarray(weights, float)[unit_of[second]]
                )
                de = float(pw @ distance / pw.sum()) if pw.sum() > 0 else float("nan")
                sample["de_sampled"] = de
                spread = np.std(pw * (distance - de), ddof=1) / max(float(pw.mean()), 1e-300)
                sample["de_se"] = float(spread / np.sqrt(len(distance)))
        keep = slice(0, masi_pairs.BOOT_SAMPLE_PAIRS)
        sample["pair_distance"] = distance[keep]
        sample["pair_unit_a"] = unit_of[first[keep]]
        sample["pair_unit_b"] = unit_of[second[keep]]
    return MasiData(**common, moments=None, how=how, words=words, costs=costs, **sample)


def _incidence(members: dict[int, np.ndarray], n_codes: int, t: int) -> dict:
    """Per set size a >= t: (distinct t-subsets, sets of size a) ``Incidence``, 1 where the set holds
    the subset. ``members``: per set size, the codes of each set of that size."""
    parts = []
    for a, codes in members.items():
        if a < t:
            continue
        combos = np.array(list(combinations(range(a), t)))
        subsets = codes[:, combos]  # (sets, combos, t)
        owners = np.repeat(np.arange(len(codes)), len(combos))
        parts.append((a, subsets.reshape(-1, t), owners))
    rows = np.concatenate([p[1] for p in parts])
    if float(n_codes) ** t <= LOOKUP_KEYS:  # each subset's number in a table instead of sorting
        keys = rows.astype(np.int64) @ np.array([n_codes ** (t - 1 - j) for j in range(t)], dtype=np.int64)
        seen = np.zeros(n_codes**t, dtype=bool)
        seen[keys] = True
        key_id = (np.cumsum(seen) - 1)[keys]  # the rank among the subsets used, as np.unique numbers them
    elif float(n_codes) ** t < 2.0**62:
        powers = np.array([n_codes ** (t - 1 - j) for j in range(t)], dtype=np.int64)
        _, key_id = np.unique(rows.astype(np.int64) @ powers, return_inverse=True)
    else:
        _, key_id = np.unique(rows, axis=0, return_inverse=True)
    key_id = key_id.ravel()
    n_keys = int(key_id.max()) + 1
    out, offset = {}, 0
    for a, _subsets, owners in parts:
        ids = key_id[offset : offset + len(owners)]
        offset += len(owners)
        n_sets = int(owners.max()) + 1 if len(owners) else 0
        out[a] = Incidence(ids, owners, (n_keys, n_sets))
    return out


def _similarity_total(data: MasiData, counts: np.ndarray) -> np.ndarray:
    """Sum of MASI similarity over all ordered pairs of pairable values, (B,) for counts (S, B)."""
    if data.how != "moments":
        return masi_pairs.blocked_similarity_total(data.words, data.sizes, counts, masi_similarity)
    by_size = {a: counts[lo:hi].sum(axis=0) for a, lo, hi in data.groups}
    sizes = [a for a, _, _ in data.groups]
    # moment[t][(a, b)] = sum over value pairs of sizes (a, b) of C(intersection, t), shape (B,)
    moment = [{(a, b): by_size[a] * by_size[b] for a in sizes for b in sizes}]
    for t, incidence in enumerate(data.moments or (), start=1):
        big = [(a, lo, hi) for a, lo, hi in data.groups if a >= t]
        f = np.stack([incidence[a] @ counts[lo:hi] for a, lo, hi in big], axis=1)  # (keys, A_t, B)
        products = np.matmul(f.transpose(2, 1, 0), f.transpose(2, 0, 1))  # (B, A_t, A_t)
        moment.append(
            {(a, b): products[:, i, j] for i, (a, _, _) in enumerate(big) for j, (b, _, _) in enumerate(big)}
        )
    # Every similarity the sums need, computed at once (the same numbers as one call per triple).
    grid = np.arange(max(sizes, default=0) + 1)
    table = masi_similarity(grid[:, None, None], grid[None, :, None], grid[None, None, :])
    total = np.zeros(counts.shape[1])
    for a in sizes:
        for b in sizes:
            top = min(a, b)
            for m in range(top + 1):
                exact = sum((-1) ** (t - m) * comb(t, m) * moment[t][(a, b)] for t in range(m, top + 1))
                total += exact * float(table[a, b, m])
    return total


def alpha_masi(data: MasiData, weights: np.ndarray | None = None, exact_de: bool = True) -> np.ndarray:
    """Alpha for the plain data (weights None, returns shape (1,)) or per bootstrap replicate (B,).

    With ``exact_de`` False (or the "sampled" method) a resample's D_e is the pair sample reweighted
    (``masi_pairs.reweighted_de``), so that its cost does not grow with the data.
    """
    n_units = len(data.unit_do)
    if weights is None:
        w = np.ones((1, n_units)) if data.unit_weights is None else data.unit_weights[None, :]
    else:
        w = np.asarray(weights, dtype=float)
    n = w @ data.unit_n.astype(float)
    d_o = safe_divide(w @ data.unit_do, n)
    if data.how == "sampled" and weights is None:
        d_e = np.array([np.nan if data.de_sampled is None else data.de_sampled])
    elif data.how != "moments" and (data.how == "sampled" or not exact_de) and weights is not None:
        if data.pair_distance is None:
            d_e = np.full(len(w), np.nan)
        else:
            d_e = masi_pairs.reweighted_de(data.pair_distance, data.pair_unit_a, data.pair_unit_b, w)
    else:
        counts = data.set_units @ w.T if n_units else np.zeros((data.n_sets, len(w)))
        similar = _similarity_total(data, np.asarray(counts))
        d_e = safe_divide(n * n - similar, n * (n - 1))
    d_e = np.where(d_e > 1e-12, d_e, np.nan)
    return 1.0 - safe_divide(d_o, d_e)


def alpha_masi_stat(data: MasiData, n_units_pairable: int) -> Stat:
    """The point estimate as a Stat, with the reason when it is undefined."""
    value = alpha_masi(data)
    single_set = data.n_sets == 1
    return make_stat(
        value,
        [
            (np.array([n_units_pairable == 0]), NO_UNITS),
            (np.array([n_units_pairable == 1]), ONE_UNIT),
            (np.array([single_set]), ONE_CATEGORY.replace("category", "set of codes")),
        ],
    )
