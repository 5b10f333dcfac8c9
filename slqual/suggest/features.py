"""Text features: TF-IDF of word and character n-grams, kept as plain arrays.

Word features are uni- and bigrams. Character features are 4-grams
inside words (like scikit-learn's ``char_wb``), which catch spelling variants
and word forms ('meeting', 'meetings'); they are computed once per distinct
word and summed, which is many times faster than scanning every text. The
interviewer's question can be added as a third, down-weighted block.

Everything a fitted ``TextFeatures`` holds is a list of terms and an array of
weights, so it is saved without pickle (see ``slqual.suggest.store``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

CHAR_SIZES = (4,)  # one size keeps the matrix small: a 4-gram spans most stems and endings
MAX_WORD_FEATURES = 40_000
MAX_CHAR_FEATURES = 40_000
MAX_QUESTION_FEATURES = 5_000
QUESTION_WEIGHT = 0.5  # the question is context: it counts half as much as the answer


@dataclass(frozen=True)
class TextFeatures:
    """A fitted feature map from texts (and optionally questions) to a sparse matrix."""

    word_terms: tuple[str, ...]
    word_idf: np.ndarray
    char_terms: tuple[str, ...]
    char_idf: np.ndarray
    question_terms: tuple[str, ...] = ()
    question_idf: np.ndarray | None = None

    @property
    def with_question(self) -> bool:
        return bool(self.question_terms)

    @property
    def size(self) -> int:
        return len(self.word_terms) + len(self.char_terms) + len(self.question_terms)

    def transform(self, texts: list[str], questions: list[str] | None = None) -> sparse.csr_matrix:
        """One L2-normalised row per text (word block, char block, question block side by side)."""
        import numpy as np
        from scipy import sparse

        blocks = [
            _word_vectorizer(self.word_terms, self.word_idf).transform(texts),
            _char_tfidf(texts, {t: i for i, t in enumerate(self.char_terms)}, self.char_idf),
        ]
        if self.with_question:
            asked = questions if questions is not None else [""] * len(texts)
            blocks.append(QUESTION_WEIGHT * _unique_transform(self.question_terms, self.question_idf, asked))
        return sparse.hstack(blocks, format="csr", dtype=np.float32)


def fit_features(
    texts: list[str],
    questions: list[str] | None = None,
    *,
    max_word: int = MAX_WORD_FEATURES,
    max_char: int = MAX_CHAR_FEATURES,
) -> tuple[TextFeatures, sparse.csr_matrix]:
    """Learn the vocabulary and weights from ``texts`` (no labels); return them and the matrix."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    min_df = 2 if len(texts) >= 200 else 1  # a word seen once in a big study is noise
    words = TfidfVectorizer(
        ngram_range=(1, 2), min_df=min_df, max_features=max_word, sublinear_tf=True, dtype=np.float32
    )
    x_word = words.fit_transform(texts)
    word_terms = tuple(words.get_feature_names_out())
    char_counts, char_terms = _char_counts(texts, None)
    char_terms, char_counts = _select(char_terms, char_counts, max_char, min_df)
    char_idf = _idf(char_counts)
    x_char = _weigh(char_counts, char_idf)
    blocks = [x_word, x_char]
    question_terms: tuple[str, ...] = ()
    question_idf = None
    if questions is not None:
        asked = TfidfVectorizer(
            ngram_range=(1, 2), min_df=1, max_features=MAX_QUESTION_FEATURES, sublinear_tf=True
        )
        asked.fit(sorted(set(questions)) or [""])
        question_terms = tuple(asked.get_feature_names_out())
        question_idf = asked.idf_.astype("float32")
        blocks.append(QUESTION_WEIGHT * _unique_transform(question_terms, question_idf, questions))
    features = TextFeatures(
        word_terms=word_terms,
        word_idf=words.idf_.astype("float32"),
        char_terms=char_terms,
        char_idf=char_idf,
        question_terms=question_terms,
        question_idf=question_idf,
    )
    return features, sparse.hstack(blocks, format="csr", dtype=np.float32)


def _word_vectorizer(terms: tuple[str, ...], idf: np.ndarray):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float32,
        vocabulary={term: i for i, term in enumerate(terms)},
    )
    vectorizer.idf_ = idf
    return vectorizer


def _unique_transform(terms: tuple[str, ...], idf: np.ndarray, texts: list[str]) -> sparse.csr_matrix:
    """Transform each distinct text once (questions repeat for every answer) and spread the rows."""
    import numpy as np

    distinct, inverse = np.unique(np.asarray(texts, dtype=object).astype(str), return_inverse=True)
    rows = _word_vectorizer(terms, idf).transform(list(distinct))
    return rows[inverse.ravel()]


def _grams(token: str) -> Counter[str]:
    padded = f" {token} "
    return Counter(
        padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1) if len(padded) >= n
    )


def _char_counts(texts: list[str], index: dict[str, int] | None) -> tuple[sparse.csr_matrix, tuple[str, ...]]:
    """Character n-gram counts per text: (texts x tokens) @ (tokens x n-grams).

    With ``index`` the n-grams are those of a fitted vocabulary (others are
    dropped); without it every n-gram seen becomes a column.
    """
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    tokens = CountVectorizer(token_pattern=r"\S+", lowercase=True, dtype=np.float32)
    try:
        per_text = tokens.fit_transform(texts)
    except ValueError:  # nothing but empty texts
        size = len(index) if index is not None else 0
        return sparse.csr_matrix((len(texts), size), dtype=np.float32), tuple(index or ())
    grow = index is None
    columns: dict[str, int] = {} if grow else index
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, token in enumerate(tokens.get_feature_names_out()):
        for gram, count in _grams(token).items():
            col = columns.get(gram)
            if col is None:
                if not grow:
                    continue
                col = columns[gram] = len(columns)
            rows.append(row)
            cols.append(col)
            vals.append(count)
    token_grams = sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(per_text.shape[1], len(columns))
    )
    return (per_text @ token_grams).tocsr(), tuple(columns)


def _select(
    terms: tuple[str, ...], counts: sparse.csr_matrix, limit: int, min_df: int
) -> tuple[tuple[str, ...], sparse.csr_matrix]:
    """Keep the ``limit`` most frequent n-grams found in at least ``min_df`` texts."""
    import numpy as np

    by_column = counts.tocsc()
    totals = np.asarray(by_column.sum(axis=0)).ravel()
    df = np.diff(by_column.indptr)
    candidates = np.flatnonzero(df >= min_df)
    keep = candidates[np.argsort(-totals[candidates], kind="stable")[:limit]]
    keep.sort()
    return tuple(terms[i] for i in keep), by_column[:, keep].tocsr()


def _idf(counts: sparse.csr_matrix) -> np.ndarray:
    import numpy as np

    n = counts.shape[0]
    df = np.diff(counts.tocsc().indptr)
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


def _weigh(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf times idf, each row scaled to unit length (in place on ``counts``)."""
    import numpy as np

    weighted = counts.tocsr().astype(np.float32, copy=False)
    weighted.data = (np.log(weighted.data) + 1) * idf[weighted.indices]
    per_row = np.diff(weighted.indptr)
    rows = np.repeat(np.arange(weighted.shape[0]), per_row)
    lengths = np.sqrt(np.bincount(rows, weights=weighted.data**2, minlength=weighted.shape[0]))
    weighted.data /= np.where(lengths > 0, lengths, 1)[rows].astype(np.float32)
    return weighted


def _char_tfidf(texts: list[str], index: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    counts, _ = _char_counts(texts, index)
    return _weigh(counts, idf)


def features_to_arrays(features: TextFeatures) -> dict[str, np.ndarray]:
    """Plain arrays (text and numbers) that ``features_from_arrays`` turns back into the features."""
    import numpy as np

    arrays = {
        "word_terms": np.array(features.word_terms, dtype=str),
        "word_idf": features.word_idf,
        "char_terms": np.array(features.char_terms, dtype=str),
        "char_idf": features.char_idf,
    }
    if features.with_question:
        arrays["question_terms"] = np.array(features.question_terms, dtype=str)
        arrays["question_idf"] = features.question_idf
    return arrays


def features_from_arrays(arrays: dict[str, np.ndarray]) -> TextFeatures:
    question = "question_terms" in arrays
    return TextFeatures(
        word_terms=tuple(str(t) for t in arrays["word_terms"]),
        word_idf=arrays["word_idf"],
        char_terms=tuple(str(t) for t in arrays["char_terms"]),
        char_idf=arrays["char_idf"],
        question_terms=tuple(str(t) for t in arrays["question_terms"]) if question else (),
        question_idf=arrays["question_idf"] if question else None,
    )
