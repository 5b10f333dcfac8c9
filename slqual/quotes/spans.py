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
same spans. Sentences are split with ``slqual.transcripts.turns.split_sentences``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slqual.transcripts.turns import split_sentences

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from slqual.codebook import Codebook

MIN_CODE_SEGMENTS = 5
MIN_PROJECT_SEGMENTS = 30
KEEP_SHARE = 0.35
STEM = 6
_TOKEN = re.compile(r"[a-z][a-z']+")
_TOKEN_OR_BREAK = re.compile(r"[a-z][a-z']+|\x00")


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


def _stop_words() -> frozenset[str]:
    return STOP_WORDS


@dataclass(frozen=True)
class Sentences:
    """The sentences of a list of texts: owner text index, character offsets and word counts."""

    texts: list[str]
    owner: list[int]
    start: list[int]
    end: list[int]
    words: list[int]
    first: list[int]  # index of each text's first sentence (len(texts) + 1 entries)


def sentences_of(texts: list[str]) -> Sentences:
    owner, start, end, words, first, pieces = [], [], [], [], [], []
    for i, text in enumerate(texts):
        first.append(len(owner))
        pos = 0
        for sentence in split_sentences(text) or [text]:
            at = text.find(sentence, pos)
            at = pos if at < 0 else at
            owner.append(i)
            start.append(at)
            end.append(at + len(sentence))
            words.append(sentence.count(" ") + 1)  # segment text has single spaces (segments.csv)
            pieces.append(sentence)
            pos = at + len(sentence)
    first.append(len(owner))
    return Sentences(pieces, owner, start, end, words, first)


def code_text(node) -> str:
    """The codebook text a code is scored against (keywords twice)."""
    parts = [node.name, node.definition, node.include, *node.examples, *node.keywords, *node.keywords]
    return " ".join(p for p in parts if p)


def _normalise_rows(matrix):
    import numpy as np

    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    from scipy.sparse import diags

    return diags(1.0 / norms) @ matrix


def code_profiles(
    codebook: Codebook, codes: list[str], counts, idf, vectorizer, segment_codes: pd.DataFrame, seg_index
) -> np.ndarray:
    """One L2-normalised weight row per code over the vocabulary (see the module docstring)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    book = vectorizer.transform([code_text(codebook.nodes[c]) for c in codes]).astype(float)
    if book.shape[1] != counts.shape[1]:
        book.resize((book.shape[0], counts.shape[1]))
    book = np.asarray(_normalise_rows(book.multiply(idf).tocsr()).todense())
    profiles = book.copy()
    n_segments = counts.shape[0]
    if n_segments >= MIN_PROJECT_SEGMENTS:
        tfidf = _normalise_rows(counts.multiply(idf).tocsr())
        code_pos = {c: i for i, c in enumerate(codes)}
        rows = segment_codes["code"].map(code_pos).to_numpy()
        cols = segment_codes["segment_id"].map(seg_index).to_numpy()
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


def best_run(scores: list[float], words: list[int], max_words: int, min_words: int) -> tuple[int, int, float]:
    """(first, last) sentence of the chosen run and its best score (see the module docstring)."""
    n = len(scores)
    if n == 1:
        return 0, 0, max(float(scores[0]), 0.0)
    top = max(scores)
    best = scores.index(top)
    if top <= 0:
        count, last = words[0], 0
        while last + 1 < n and count + words[last + 1] <= max_words:
            last += 1
            count += words[last]
        return 0, last, 0.0
    lo = hi = best
    count = words[best]
    keep = top * KEEP_SHARE
    while True:
        options = []
        if hi + 1 < n and count + words[hi + 1] <= max_words:
            options.append((scores[hi + 1], 1, hi + 1))
        if lo > 0 and count + words[lo - 1] <= max_words:
            options.append((scores[lo - 1], 0, lo - 1))
        if not options:
            break
        score, _, index = max(options)
        if score < keep:
            if count >= min_words:
                break
            score, _, index = max(options, key=lambda o: o[1])  # the next sentence before the one before
        if index > hi:
            hi = index
        else:
            lo = index
        count += words[index]
    return lo, hi, float(top)


class Vocabulary:
    """Word stems to columns, counted with pandas' hash tables (no Python loop per word)."""

    def __init__(self, texts: list[str]) -> None:
        import pandas as pd

        self.stop = _stop_words()
        tokens, rows = self._tokens(texts)
        codes, uniques = pd.factorize(tokens)
        stems, keep = self._stem_of(list(uniques))
        stem_codes, self.words = pd.factorize(stems)
        self.index = {w: i for i, w in enumerate(self.words)}
        columns = stem_codes[codes] if len(codes) else codes
        kept = keep[codes] if len(codes) else codes.astype(bool)
        self.matrix_ = self._matrix(rows[kept], columns[kept], len(texts))

    @staticmethod
    def _tokens(texts: list[str]):
        """Every word of every text, and the text it is in: one regex pass over all texts joined."""
        import numpy as np

        joined = "\x00".join(texts).lower().replace("\u2019", "'")
        words = _TOKEN_OR_BREAK.findall(joined)
        found = np.empty(len(words), dtype=object)
        found[:] = words
        breaks = np.fromiter((w == "\x00" for w in words), dtype=bool, count=len(words))
        rows = np.cumsum(breaks)[~breaks]
        return found[~breaks], rows

    def _stem_of(self, words: list[str]):
        import numpy as np

        keep = np.fromiter((w not in self.stop for w in words), dtype=bool, count=len(words))
        return np.array([w[:STEM] for w in words], dtype=object), keep

    def _matrix(self, rows, columns, n_rows: int):
        import numpy as np
        from scipy.sparse import csr_matrix

        matrix = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n_rows, max(len(self.words), 1)))
        matrix.sum_duplicates()
        return matrix

    def transform(self, texts: list[str]):
        import numpy as np

        tokens, rows = self._tokens(texts)
        stems, keep = self._stem_of(list(tokens))
        columns = np.fromiter((self.index.get(w, -1) for w in stems), dtype=np.int64, count=len(stems))
        keep &= columns >= 0
        return self._matrix(rows[keep], columns[keep], len(texts))


def choose_spans(
    pairs: pd.DataFrame, texts: dict[str, str], codebook: Codebook, max_words: int, min_words: int
) -> pd.DataFrame:
    """The chosen span of every (segment_id, code) pair: columns start, end, score, aligned to ``pairs``.

    ``texts`` maps every coded segment id to its text; the TF-IDF model is
    fitted on the segments of ``pairs``.
    """
    import numpy as np
    import pandas as pd
    from scipy.sparse import csr_matrix

    if pairs.empty:
        return pd.DataFrame({"start": [], "end": [], "score": []}, index=pairs.index)
    pair_segments = pairs["segment_id"].tolist()
    pair_codes = pairs["code"].tolist()
    seg_ids = list(dict.fromkeys(pair_segments))
    seg_index = {s: i for i, s in enumerate(seg_ids)}
    sents = sentences_of([texts[s] for s in seg_ids])
    vocabulary = Vocabulary(sents.texts)
    sentence_counts = vocabulary.matrix_
    codes = list(dict.fromkeys(pair_codes))
    by_code: dict[str, list[int]] = {}
    for position, code in enumerate(pair_codes):
        by_code.setdefault(code, []).append(position)
    first = np.asarray(sents.first)
    n_seg = len(seg_ids)
    owner = np.asarray(sents.owner)
    gather = csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))), shape=(n_seg, len(owner)))
    counts = (gather @ sentence_counts).tocsr()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + n_seg) / (1 + df)) + 1.0
    weighted = sentence_counts.copy()
    weighted.data = np.log1p(weighted.data)
    sentence_tfidf = _normalise_rows(weighted.multiply(idf).tocsr()).tocsr()
    profiles = code_profiles(codebook, codes, counts, idf, vocabulary, pairs, seg_index)
    seg_of_pair = np.asarray([seg_index[s] for s in pair_segments])
    chosen: list[tuple[int, int, float]] = [(0, 0, 0.0)] * len(pair_codes)
    for k, code in enumerate(codes):
        positions = by_code[code]
        segs = seg_of_pair[positions]
        lengths = first[segs + 1] - first[segs]
        starts = np.repeat(first[segs], lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        values = (sentence_tfidf[starts + offsets] @ profiles[k]).tolist()
        at = 0
        for position, seg, length in zip(positions, segs.tolist(), lengths.tolist(), strict=True):
            a = sents.first[seg]
            lo, hi, score = best_run(
                values[at : at + length], sents.words[a : a + length], max_words, min_words
            )
            at += length
            chosen[position] = (sents.start[a + lo], sents.end[a + hi], score)
    return pd.DataFrame(chosen, columns=["start", "end", "score"], index=pairs.index)
