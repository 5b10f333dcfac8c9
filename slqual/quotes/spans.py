"""Choosing the words of a quote when no coder marked them: the sentences that carry the code.

For each coded (segment, code) pair the quote is a contiguous run of the
segment's sentences, at most ``max_words`` words long:

1. Every sentence is scored against the code. Words are lower-cased, common
   English words dropped and the rest cut to their first six letters (so
   "motivated" and "motivation" count as one word); each word is weighted by
   its inverse document frequency over the project's coded segments (TF-IDF).
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


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    extra = {"um", "uh", "er", "erm", "yeah", "yes", "ok", "okay", "really", "just", "think", "know", "mean"}
    extra |= {"like", "sort", "kind", "things", "thing", "lot", "bit", "actually", "don't", "it's", "i'm"}
    return frozenset(ENGLISH_STOP_WORDS | extra)


def make_analyzer():
    stop = _stop_words()

    def analyze(text: str) -> list[str]:
        return [w[:STEM] for w in _TOKEN.findall(text.lower().replace("\u2019", "'")) if w not in stop]

    return analyze


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
            words.append(len(sentence.split()))
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
    best = max(range(n), key=lambda i: (scores[i], -i))
    top = scores[best]
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


def choose_spans(
    pairs: pd.DataFrame, texts: dict[str, str], codebook: Codebook, max_words: int, min_words: int
) -> pd.DataFrame:
    """The chosen span of every (segment_id, code) pair: columns start, end, score, aligned to ``pairs``.

    ``texts`` maps every coded segment id to its text; the TF-IDF model is
    fitted on the segments of ``pairs``.
    """
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer

    if pairs.empty:
        return pd.DataFrame({"start": [], "end": [], "score": []}, index=pairs.index)
    seg_ids = list(dict.fromkeys(pairs["segment_id"]))
    seg_index = {s: i for i, s in enumerate(seg_ids)}
    seg_texts = [texts[s] for s in seg_ids]
    sents = sentences_of(seg_texts)
    vectorizer = CountVectorizer(analyzer=make_analyzer(), dtype=np.float64)
    try:
        sentence_counts = vectorizer.fit_transform(sents.texts).tocsr()
    except ValueError:  # no word left at all (e.g. only fillers): nothing to score
        sentence_counts = None
    owner = np.asarray(sents.owner)
    codes = list(dict.fromkeys(pairs["code"]))
    scores = np.zeros(len(sents.texts))
    per_code: dict[str, np.ndarray] = {}
    if sentence_counts is not None and sentence_counts.shape[1]:
        from scipy.sparse import csr_matrix

        n_seg = len(seg_ids)
        gather = csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))), shape=(n_seg, len(owner)))
        counts = (gather @ sentence_counts).tocsr()
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((1 + n_seg) / (1 + df)) + 1.0
        weighted = sentence_counts.copy()
        weighted.data = np.log1p(weighted.data)
        sentence_tfidf = _normalise_rows(weighted.multiply(idf).tocsr()).tocsr()
        profiles = code_profiles(codebook, codes, counts, idf, vectorizer, pairs, seg_index)
        first = np.asarray(sents.first)
        for k, code in enumerate(codes):
            segs = np.asarray([seg_index[s] for s in pairs.loc[pairs["code"] == code, "segment_id"]])
            lengths = first[segs + 1] - first[segs]
            rows = np.repeat(first[segs], lengths) + (
                np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            )
            per_code[code] = (rows, sentence_tfidf[rows] @ profiles[k])
    lookup: dict[tuple[str, str], tuple[int, int, float]] = {}
    for code in codes:
        sub = pairs.loc[pairs["code"] == code, "segment_id"]
        rows, values = per_code.get(code, (None, None))
        offset = 0
        for sid in sub:
            i = seg_index[sid]
            a, b = sents.first[i], sents.first[i + 1]
            local = values[offset : offset + (b - a)].tolist() if values is not None else [0.0] * (b - a)
            offset += b - a
            lo, hi, score = best_run(local, sents.words[a:b], max_words, min_words)
            lookup[(sid, code)] = (sents.start[a + lo], sents.end[a + hi], score)
    del scores
    chosen = [lookup[(s, c)] for s, c in zip(pairs["segment_id"], pairs["code"], strict=True)]
    return pd.DataFrame(chosen, columns=["start", "end", "score"], index=pairs.index)
