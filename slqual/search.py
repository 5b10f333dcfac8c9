"""Find segments like a phrase or like another segment: TF-IDF cosine similarity over participant segments.

For finding more quotes for a code and checking where a code's boundaries lie.
The fitted index is cached in ``.slqual/search/`` keyed by the sha256 of
segments.csv, as plain arrays signed by the project (see
``slqual.suggest.store``), so later searches load it instead of refitting.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from slqual.errors import SuggestError

if TYPE_CHECKING:
    from slqual.project import Project

SEARCH_DIR = "search"
SNIPPET = 220  # characters of text shown around the first matching word
MAX_TERMS = 200_000


@dataclass(frozen=True)
class Hit:
    rank: int
    segment_id: str
    participant_id: str
    group: str
    score: float  # cosine similarity, 0..1
    codes: tuple[str, ...]  # codes people have given it so far
    snippet: str
    matched: tuple[str, ...]  # query words found in the segment (lower case)


@dataclass(frozen=True)
class SearchResult:
    query: str
    like: str | None
    code: str | None
    searched: int  # segments searched
    cached: bool  # the index came from .slqual/search/
    hits: tuple[Hit, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _vectorizer():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(max_features=MAX_TERMS, ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)


@dataclass(frozen=True)
class _Index:
    """A fitted index: sorted terms, their idf weights, and one unit-length row per segment."""

    terms: Any  # numpy array of str, sorted (as scikit-learn orders its vocabulary)
    idf: Any
    matrix: Any

    def vector(self, text: str):
        """The query's TF-IDF row, found by binary search in the sorted terms (no dictionary to build)."""
        from collections import Counter

        import numpy as np
        from scipy import sparse

        counts = Counter(_vectorizer().build_analyzer()(text))
        grams = np.array(list(counts), dtype=str) if counts else np.array([], dtype=str)
        at = np.searchsorted(self.terms, grams)
        found = at < len(self.terms)
        found[found] = self.terms[at[found]] == grams[found]
        columns = at[found]
        tf = np.array([counts[g] for g in grams[found]], dtype=np.float32)
        weights = (1 + np.log(tf)) * self.idf[columns]
        norm = float(np.sqrt(np.sum(weights**2))) or 1.0
        order = np.argsort(columns)
        return sparse.csr_matrix(
            (weights[order] / norm, columns[order], [0, len(columns)]), shape=(1, len(self.terms))
        )


def load_index(project: Project, segments) -> tuple[_Index, bool]:
    """The index of these participant segments, and whether it came from the cache."""
    import numpy as np
    from scipy import sparse

    from slqual.suggest import data
    from slqual.suggest.store import load_arrays, save_arrays

    key = data.segments_hash(project)
    folder = project.internal_dir / SEARCH_DIR
    path = folder / f"index-{key[:16]}.npz"
    if path.is_file():
        arrays, meta = load_arrays(project, path, "slqual search (after deleting .slqual/search/)")
        if meta.get("segments_sha256") == key and meta.get("rows") == len(segments):
            matrix = sparse.csr_matrix(
                (arrays["data"], arrays["indices"], arrays["indptr"]), shape=tuple(meta["shape"])
            )
            return _Index(arrays["terms"], arrays["idf"], matrix), True
    vectorizer = _vectorizer()
    try:
        matrix = vectorizer.fit_transform(list(segments["text"])).tocsr()
    except ValueError as exc:  # nothing but empty texts
        raise SuggestError(f"{project.segments_path}: no words to search in ({exc})") from exc
    for old in folder.glob("index-*.npz*") if folder.is_dir() else ():
        old.unlink()
    index = _Index(
        np.array(vectorizer.get_feature_names_out(), dtype=str), vectorizer.idf_.astype(np.float32), matrix
    )
    arrays = {
        "terms": index.terms,
        "idf": index.idf,
        "data": matrix.data,
        "indices": matrix.indices,
        "indptr": matrix.indptr,
    }
    meta = {"segments_sha256": key, "rows": len(segments), "shape": list(matrix.shape)}
    save_arrays(project, path, arrays, meta)
    return index, False


def search(
    project: Project,
    query: str | None = None,
    *,
    like: str | None = None,
    top: int = 10,
    code: str | None = None,
) -> SearchResult:
    """The ``top`` participant segments most like ``query`` (or like segment ``like``)."""
    import numpy as np

    from slqual.show import resolve_code
    from slqual.suggest import data

    if bool(query) == bool(like):
        raise SuggestError('give a phrase to search for or --like SEGMENT_ID, e.g. slqual search "no time"')
    if top < 1:
        raise SuggestError(f"--top {top}: give a number of results of 1 or more")
    segments = data.participant_texts(project)
    index, cached = load_index(project, segments)
    matrix = index.matrix
    ids = segments["segment_id"].tolist()
    if like:
        if like not in set(ids):
            raise SuggestError(
                f"{project.segments_path}: no participant segment '{like}'; give an id such as {ids[0]}"
                if ids
                else f"{project.segments_path}: no participant segments"
            )
        row = ids.index(like)
        wanted = matrix[row]
        text = segments["text"].iloc[row]
    else:
        wanted = index.vector(query)
        text = query
    scores = np.asarray((matrix @ wanted.T).todense()).ravel()
    codes_of = _human_codes(project)
    candidates = np.ones(len(ids), dtype=bool)
    if like:
        candidates[ids.index(like)] = False
    if code:
        codebook = data.load_codebook(project)
        target = resolve_code(codebook, code, str(project.codebook_path))
        under = {n.id for n in codebook.descendants(target)}
        candidates &= np.array([bool(under & set(codes_of.get(sid, ()))) for sid in ids])
    candidates &= scores > 0
    chosen = np.flatnonzero(candidates)
    order = chosen[np.argsort(-scores[chosen], kind="stable")[:top]]
    words = _words(text)
    group_of = _groups(project)
    hits = tuple(
        _hit(rank, segments.iloc[i], float(scores[i]), codes_of, words, group_of)
        for rank, i in enumerate(order, start=1)
    )
    return SearchResult(query=query or "", like=like, code=code, searched=len(ids), cached=cached, hits=hits)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w\w+", text)}


def _hit(rank, segment, score: float, codes_of, words: set[str], group_of) -> Hit:
    text = segment["text"]
    found = [m for m in re.finditer(r"\w\w+", text) if m.group().lower() in words]
    matched = tuple(dict.fromkeys(m.group().lower() for m in found))
    return Hit(
        rank=rank,
        segment_id=segment["segment_id"],
        participant_id=segment["participant_id"],
        group=group_of.get(segment["participant_id"], ""),
        score=round(score, 3),
        codes=tuple(codes_of.get(segment["segment_id"], ())),
        snippet=snippet(text, found[0].start() if found else 0),
        matched=matched,
    )


def snippet(text: str, at: int, width: int = SNIPPET) -> str:
    """About ``width`` characters of ``text`` around position ``at``, with '…' where cut."""
    if len(text) <= width:
        return text
    start = max(0, min(at - width // 3, len(text) - width))
    cut = text[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")


def highlight_words(text: str, words: tuple[str, ...] | set[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` that are one of ``words`` (case-insensitive), for highlighting."""
    wanted = {w.lower() for w in words}
    return [(m.start(), m.end()) for m in re.finditer(r"\w\w+", text) if m.group().lower() in wanted]


def _human_codes(project: Project) -> dict[str, list[str]]:
    from slqual.suggest import data

    codes: dict[str, list[str]] = {}
    for coder in data.human_coders(project):
        frame = data.read_coder(project, coder)
        for sid, code in zip(frame["segment_id"], frame["code"], strict=True):
            if code and code not in codes.setdefault(sid, []):
                codes[sid].append(code)
    return codes


def _groups(project: Project) -> dict[str, str]:
    from slqual.suggest import data

    participants = data.participants(project)
    column = project.settings.group_by
    if column not in participants.columns:
        return {}
    return dict(zip(participants["participant_id"], participants[column], strict=True))
