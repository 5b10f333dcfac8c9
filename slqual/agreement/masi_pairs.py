"""MASI expected disagreement by comparing sets directly: exact in bounded blocks, or sampled.

``slqual.agreement.masi`` counts value pairs by subset moments, which is exact and fast while the
sets are small. Dense coding (many codes per segment, nearly every set distinct) makes those
moments explode, so the cost of every method is predicted first (``choose_method``):

- ``moments``: exact, cost the number of subsets of the distinct sets (sum of 2^size); a subset
  costs several times what a pair of sets does, and far more in a large set (a few sets of 20
  codes took seconds and half a gigabyte), so past ``MOMENTS_FREE`` subsets it is chosen only
  while it costs less than ``PAIR_PER_SUBSET`` pairs per subset;
- ``blocked``: exact, every pair of distinct sets compared once, the sets bit-packed into 64-bit
  words and the intersection sizes counted with a popcount of their AND, a block of rows at a time
  so that memory stays bounded; cost S^2 / 2 for S distinct sets;
- ``sampled``: a seeded uniform sample of ordered pairs of distinct pairable values estimates D_e
  (its definition is the mean distance over exactly those pairs), with its Monte Carlo standard
  error; cost the sample size.

The same pair sample serves the bootstrap when recomputing D_e exactly per resample would be too
costly: a resample's D_e is then the sample's distances reweighted by how often each value's
segment was drawn (a ratio estimator), so no step grows without bound.
"""

from __future__ import annotations

import numpy as np

SUBSET_BUDGET = 5_000_000  # subsets of distinct sets for the moments method
MOMENTS_FREE = 1_000_000  # up to this many subsets the moments method is quick whatever the alternative
PAIR_PER_SUBSET = 4  # past that, moments only when its subsets are fewer than blocked's pairs / this
PAIR_BUDGET = 20_000_000  # pairs of distinct sets for the blocked exact method
BOOT_PAIR_BUDGET = 200_000_000  # distinct-set pairs x replicates for an exact D_e in the bootstrap
SAMPLE_PAIRS = 1_000_000  # ordered value pairs sampled for the point estimate
BOOT_SAMPLE_PAIRS = 200_000  # of those, the pairs reweighted per bootstrap resample
BLOCK_ELEMENTS = 4_000_000  # (rows x sets x words) per block of the blocked comparison


def choose_method(sizes: np.ndarray) -> tuple[str, dict[str, float]]:
    """The cheapest exact method within its budget, else sampling; with the predicted costs."""
    sizes = np.asarray(sizes, dtype=float)
    n_sets = float(len(sizes))
    costs = {
        "moments": float(np.sum(np.exp2(np.minimum(sizes, 1000.0)))) if len(sizes) else 0.0,
        "blocked": n_sets * (n_sets + 1) / 2,
        "sampled": float(SAMPLE_PAIRS),
    }
    cheap = costs["moments"] <= MOMENTS_FREE or costs["moments"] * PAIR_PER_SUBSET <= costs["blocked"]
    if costs["moments"] <= SUBSET_BUDGET and (cheap or costs["blocked"] > PAIR_BUDGET):
        return "moments", costs
    if costs["blocked"] <= PAIR_BUDGET:
        return "blocked", costs
    return "sampled", costs


def pack(sets: np.ndarray) -> np.ndarray:
    """Bool (S, K) sets as uint64 words (S, W), code k in bit k % 64 of word k // 64."""
    n_sets, n_codes = sets.shape
    n_words = max(1, -(-n_codes // 64))
    packed = np.packbits(sets, axis=1, bitorder="little") if n_codes else np.zeros((n_sets, 0), np.uint8)
    padded = np.zeros((n_sets, n_words * 8), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return padded.view(np.uint64)


def unpack(words: np.ndarray, n_codes: int) -> np.ndarray:
    """The bool (S, K) sets that ``pack`` made into words (S, W)."""
    as_bytes = np.ascontiguousarray(words).view(np.uint8).reshape(len(words), 8 * words.shape[1])
    return np.unpackbits(as_bytes, axis=1, count=n_codes, bitorder="little").astype(bool)


def popcount(words: np.ndarray) -> np.ndarray:
    """Number of set bits per uint64 word."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words)
    table = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)
    as_bytes = words.view(np.uint8).reshape(*words.shape, 8)
    return table[as_bytes].sum(axis=-1)


def intersections(words_a: np.ndarray, words_b: np.ndarray) -> np.ndarray:
    """Intersection sizes of paired sets (..., W) & (..., W) -> (...)."""
    both = words_a & words_b
    if both.shape[-1] == 1:  # up to 64 codes: no sum over one word per pair
        return popcount(both[..., 0])
    return popcount(both).sum(axis=-1)


def blocked_similarity_total(
    words: np.ndarray, sizes: np.ndarray, counts: np.ndarray, similarity
) -> np.ndarray:
    """Sum over ordered pairs of values of MASI similarity, exactly, for counts (S, B) -> (B,).

    Every pair of distinct sets is compared once per block row; memory per block is bounded by
    ``BLOCK_ELEMENTS``.
    """
    n_sets, n_words = words.shape
    block = max(1, BLOCK_ELEMENTS // max(1, n_sets * n_words))
    total = np.zeros(counts.shape[1])
    for lo in range(0, n_sets, block):
        hi = min(lo + block, n_sets)
        inter = intersections(words[lo:hi, None, :], words[None, :, :])
        sim = similarity(sizes[lo:hi, None], sizes[None, :], inter)
        total += (counts[lo:hi] * (sim @ counts)).sum(axis=0)
    return total


def sample_pairs(n_values: int, n_pairs: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n_pairs`` ordered pairs (i, j), i != j, uniform over the n_values (n_values - 1) such pairs."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 20061]))
    first = rng.integers(0, n_values, size=n_pairs)
    second = rng.integers(0, n_values - 1, size=n_pairs)
    second = second + (second >= first)
    return first, second


def reweighted_de(
    distance: np.ndarray, unit_a: np.ndarray, unit_b: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Per bootstrap resample (weights (B, U)) the sampled pairs' mean distance weighted by w_a w_b."""
    w = weights[:, unit_a] * weights[:, unit_b]
    num, den = w @ distance, w.sum(axis=1)
    out = np.full(len(weights), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out
