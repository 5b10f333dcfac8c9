"""Choosing the words of a quote when no coder marked them: the sentences that carry the code.

For each coded (segment, code) pair the quote is a contiguous run of the
segment's sentences, at most ``max_words`` words long:

1. Every sentence is scored against the code. Words are lower-cased, common
   English words dropped and the rest cut to their first six letters (so
   "motivated" and "motivation" count as one word); each word is weighted by
   its inverse document frequency over the project's coded segments (TF-IDF
   as scikit-learn's ``TfidfTransformer(smooth_idf=True, sublinear_tf=True)``
   computes it, written with numpy and scipy so that a report need not load
   scikit-learn).
   A sentence's score is the cosine similarity of its words with the code's
   profile, which is:

   - the code's own codebook text: name, definition, include, examples and
     keywords (keywords count twice); and, where the code has at least
     ``MIN_CODE_SEGMENTS`` coded segments in a project with at least
     ``MIN_PROJECT_SEGMENTS``,
   - what distinguishes the code's segments from the other coded segments:
     the mean TF-IDF profile of its segments minus that of the rest, negative
     weights set to zero. Both parts are normalised and weigh the same.

2. The run starts at the best-scoring sentence (the earliest one on a tie)
   and grows one neighbouring sentence at a time, the better-scoring neighbour
   first, while the words fit in ``max_words`` and the neighbour scores at
   least ``KEEP_SHARE`` of the best sentence; below ``min_words`` words it also
   takes neighbours that score lower (the next sentence before the one before).
3. A segment where no sentence shares a word with the code's profile is
   quoted from its start, as many whole sentences as fit.

Everything is deterministic: no random numbers, and the same inputs give the
same spans. Sentences are cut as ``slqual.transcripts.turns.split_sentences``
cuts them. The work is done for all pairs at once (a report may have 40,000
segments): every segment is split once (``slqual.quotes.sentences``), all
sentences are weighted in one sparse matrix, every pair's sentences are scored
against its code in one pass over that matrix's arrays, and the runs grow one
step at a time for all pairs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slqual.quotes.sentences import SplitTexts, split_texts, word_ids

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from slqual.codebook import Codebook

MIN_CODE_SEGMENTS = 5
MIN_PROJECT_SEGMENTS = 30
KEEP_SHARE = 0.35
STEM = 6


# Common English words that say nothing about a code, and interview talk ("yeah", "sort of").
STOP_WORDS = frozenset(
    """a about above after again against all almost also although always am among an and another any
    anyone anything are around as at back be became because been before being below between both but
    by can cannot could did do does doing done down during each either else enough etc even ever every
    few for from further get gets getting go goes going gone got had has have having he her here hers
    herself him himself his how however i if in into is it its itself just least less like made make
    many may me might mine more most much must my myself neither never no nor not nothing now of off
    often on once one only or other others otherwise our ours ourselves out over own per perhaps quite
    rather really said same say says see seem seemed seems she should since so some someone something
    sometimes still such than that the their theirs them themselves then there these they thing things
    this those though through thus to too took toward under until up upon us very via was we well were
    what whatever when where whether which while who whom whose why will with within without would yet
    you your yours yourself yourselves um uh er erm yeah yes ok okay actually bit lot sort kind know
    think mean don't it's i'm i've i'd i'll that's there's we're they're you're can't won't didn't""".split()
)


def code_text(node) -> str:
    """The codebook text a code is scored against (keywords twice)."""
    parts = [node.name, node.definition, node.include, *node.examples, *node.keywords, *node.keywords]
    return " ".join(p for p in parts if p)


def _weighted_rows(counts, idf, sublinear: bool = False):
    """The rows of ``counts`` times ``idf`` (``log1p`` of the counts first if ``sublinear``), L2-normalised.

    Done on the CSR arrays rather than with scipy's ``multiply`` and a diagonal
    product (a third of the time), giving their numbers and their order: each
    row's columns descending, as that product leaves them. A sentence's score
    sums its row in that order, so the scores stay the same to the last bit.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    counts = counts.tocsr()
    counts.sum_duplicates()  # columns ascending
    indptr, indices = counts.indptr, counts.indices
    data = (np.log1p(counts.data) if sublinear else counts.data) * idf[indices]
    lengths = np.diff(indptr)
    full = np.flatnonzero(lengths)
    norms = np.zeros(len(lengths))
    norms[full] = np.add.reduceat(data * data, indptr[full])  # as scipy's row sum adds them
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    data *= np.repeat(1.0 / norms, lengths)
    # Entry p of a row [a, b) goes to a + b - 1 - p: columns descending.
    flipped = np.repeat(indptr[:-1] + indptr[1:] - 1, lengths)
    flipped -= np.arange(len(data))
    return csr_matrix((data[flipped], indices[flipped], indptr.copy()), shape=counts.shape)


def code_profiles(
    codebook: Codebook, codes: list[str], counts, idf, vectorizer, code_of_pair, segment_of_pair
) -> np.ndarray:
    """One L2-normalised weight row per code over the vocabulary (see the module docstring).

    ``code_of_pair`` and ``segment_of_pair`` are the coded pairs as positions
    in ``codes`` and in the rows of ``counts``.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    book = vectorizer.transform([code_text(codebook.nodes[c]) for c in codes]).astype(float)
    if book.shape[1] != counts.shape[1]:
        book.resize((book.shape[0], counts.shape[1]))
    book = _weighted_rows(book, idf).toarray()
    profiles = book.copy()
    n_segments = counts.shape[0]
    if n_segments >= MIN_PROJECT_SEGMENTS:
        tfidf = _weighted_rows(counts, idf)
        rows, cols = code_of_pair, segment_of_pair
        incidence = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(codes), n_segments))
        incidence.data[:] = 1.0
        sizes = np.asarray(incidence.sum(axis=1)).ravel()
        inside = np.asarray((incidence @ tfidf).todense())
        total = np.asarray(tfidf.sum(axis=0)).ravel()
        for k in range(len(codes)):
            if sizes[k] < MIN_CODE_SEGMENTS or sizes[k] >= n_segments:
                continue
            mean_in = inside[k] / sizes[k]
            mean_out = (total - inside[k]) / (n_segments - sizes[k])
            distinct = np.clip(mean_in - mean_out, 0, None)
            norm = np.linalg.norm(distinct)
            if norm > 0:
                profiles[k] = book[k] + distinct / norm
    norms = np.linalg.norm(profiles, axis=1)
    norms[norms == 0] = 1.0
    return profiles / norms[:, None]


class Vocabulary:
    """Word stems to columns in order of first appearance, and every sentence's stem counts.

    A stem is a word's first ``STEM`` letters; stems of stop words get a
    column too (a codebook word may share it), but stop words are not counted.
    """

    def __init__(self, split: SplitTexts) -> None:
        import pandas as pd

        ids, stems, counted = _stems(split)
        columns, words = pd.factorize(stems)
        self.index = pd.Index(words)
        self.matrix_ = _matrix(
            split.word_sentence[counted], columns[ids][counted], len(split.start), len(self.index)
        )

    def transform(self, texts: list[str]):
        """Stem counts of other texts (a row per text) over this vocabulary's columns."""
        split = split_texts(texts)
        ids, stems, counted = _stems(split)
        columns = self.index.get_indexer(stems)[ids]
        keep = counted & (columns >= 0)
        rows = split.owner[split.word_sentence]
        return _matrix(rows[keep], columns[keep], len(texts), len(self.index))


def _stems(split: SplitTexts):
    """Each word's number, the stem of each distinct word, and whether each word counts (no stop word)."""
    import numpy as np

    ids, words = word_ids(split)
    stop = np.fromiter((w in STOP_WORDS for w in words), dtype=bool, count=len(words))
    stems = np.array([w[:STEM] for w in words], dtype=object)
    return ids, stems, ~stop[ids]


def _matrix(rows, columns, n_rows: int, n_columns: int):
    """Counts of ``columns`` per row; ``rows`` is sorted (words in reading order), so this is CSR as it is."""
    import numpy as np
    from scipy.sparse import csr_matrix

    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    matrix = csr_matrix((np.ones(len(rows)), columns, indptr), shape=(n_rows, max(n_columns, 1)))
    matrix.sum_duplicates()
    return matrix


def best_runs(scores, words, bounds, max_words: int, min_words: int):
    """The chosen run of every pair: first and last entry and its score (see the module docstring).

    Pair p's sentences are entries ``bounds[p]`` to ``bounds[p + 1] - 1`` of
    ``scores`` and ``words``; each pair has at least one. The runs grow one
    sentence per step for all pairs at once.
    """
    import numpy as np

    first, stop = bounds[:-1], bounds[1:] - 1
    sizes = stop - first + 1
    top = np.maximum.reduceat(scores, first)
    ties = np.flatnonzero(scores == np.repeat(top, sizes))
    best = ties[np.searchsorted(ties, first)]  # the earliest best sentence
    lo, hi = best.copy(), best.copy()
    # No sentence shares a word with the code: as many sentences from the start as fit.
    nothing = top <= 0
    running = np.cumsum(words)
    from_start = running - np.repeat((running - words)[first], sizes)
    fitting = np.add.reduceat((from_start <= max_words).astype(np.int64), first)
    lo[nothing] = first[nothing]
    hi[nothing] = first[nothing] + np.maximum(fitting[nothing] - 1, 0)
    count = words[best].astype(np.int64)
    keep = top * KEEP_SHARE
    last = len(scores) - 1
    active = np.flatnonzero(~nothing)
    while len(active):
        right, left = hi[active] + 1, lo[active] - 1
        total = count[active]
        right_ok = (right <= stop[active]) & (total + words[np.minimum(right, last)] <= max_words)
        left_ok = (left >= first[active]) & (total + words[np.maximum(left, 0)] <= max_words)
        right_score, left_score = scores[np.minimum(right, last)], scores[np.maximum(left, 0)]
        take_right = right_ok & (~left_ok | (right_score >= left_score))  # a tie goes right
        weak = np.where(take_right, right_score, left_score) < keep[active]
        # Below min_words a weaker neighbour is taken too: the next sentence before the one before.
        take_right = np.where(weak, right_ok, take_right)
        grow = (right_ok | left_ok) & ~(weak & (total >= min_words))
        active, take_right = active[grow], take_right[grow]
        to_right, to_left = active[take_right], active[~take_right]
        hi[to_right] += 1
        lo[to_left] -= 1
        count[to_right] += words[hi[to_right]]
        count[to_left] += words[lo[to_left]]
    return lo, hi, np.where(nothing, 0.0, top)


def _sentence_scores(sentence_tfidf, profiles, first, seg_of_pair, code_of_pair, entry_sentence):
    """Each entry's score: its sentence's weights times its pair's code profile, summed.

    A pair's sentences are consecutive rows, so their weights are one stretch
    of the CSR arrays: all products are taken at once, then each row is summed
    by a CSR product with ones, which adds in row order from zero as a product
    with the profile does: the same scores to the last bit.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    indptr = sentence_tfidf.indptr
    stretch_start = indptr[first[seg_of_pair]]
    stretch = indptr[first[seg_of_pair + 1]] - stretch_start
    ends = np.cumsum(stretch)
    at = np.repeat(stretch_start - (ends - stretch), stretch) + np.arange(ends[-1] if len(ends) else 0)
    columns = sentence_tfidf.indices[at]
    n_columns = profiles.shape[1]
    profile_at = np.repeat(code_of_pair * n_columns, stretch) + columns
    weights = sentence_tfidf.data[at] * profiles.ravel()[profile_at]
    entry_ptr = np.zeros(len(entry_sentence) + 1, dtype=np.int64)
    np.cumsum(np.diff(indptr)[entry_sentence], out=entry_ptr[1:])
    products = csr_matrix((weights, columns, entry_ptr), shape=(len(entry_sentence), n_columns))
    return products @ np.ones(n_columns)


def choose_spans(
    pairs: pd.DataFrame, texts: dict[str, str], codebook: Codebook, max_words: int, min_words: int
) -> pd.DataFrame:
    """The chosen span of every (segment_id, code) pair: columns start, end, score, aligned to ``pairs``.

    ``texts`` maps every coded segment id to its text; the TF-IDF model is
    fitted on the segments of ``pairs``. Each segment is split into sentences
    once, whatever the number of its codes.
    """
    import numpy as np
    import pandas as pd
    from scipy.sparse import csr_matrix

    if pairs.empty:
        return pd.DataFrame({"start": [], "end": [], "score": []}, index=pairs.index)
    seg_of_pair, seg_ids = pd.factorize(pairs["segment_id"])
    code_of_pair, codes = pd.factorize(pairs["code"])
    seg_ids, codes = seg_ids.tolist(), codes.tolist()
    split = split_texts([texts[s] for s in seg_ids])
    vocabulary = Vocabulary(split)
    sentence_counts = vocabulary.matrix_
    n_seg, n_sentences = len(seg_ids), len(split.start)
    gather = csr_matrix(
        (np.ones(n_sentences), (split.owner, np.arange(n_sentences))), shape=(n_seg, n_sentences)
    )
    counts = (gather @ sentence_counts).tocsr()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + n_seg) / (1 + df)) + 1.0
    sentence_tfidf = _weighted_rows(sentence_counts, idf, sublinear=True)
    profiles = code_profiles(codebook, codes, counts, idf, vocabulary, code_of_pair, seg_of_pair)
    # Every pair's sentences, one entry each: pair p has entries bounds[p] to bounds[p + 1] - 1.
    sizes = split.first[seg_of_pair + 1] - split.first[seg_of_pair]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    entry_sentence = np.repeat(split.first[seg_of_pair] - bounds[:-1], sizes) + np.arange(bounds[-1])
    scores = _sentence_scores(
        sentence_tfidf, profiles, split.first, seg_of_pair, code_of_pair, entry_sentence
    )
    lo, hi, score = best_runs(scores, split.words[entry_sentence], bounds, max_words, min_words)
    return pd.DataFrame(
        {
            "start": split.start[entry_sentence[lo]].astype(np.int64),
            "end": split.end[entry_sentence[hi]].astype(np.int64),
            "score": score.astype(float),
        },
        index=pairs.index,
    )
