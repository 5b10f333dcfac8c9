"""Train one classifier per code on a coder's work, scored honestly by grouped cross-validation.

Labels: a segment the coder coded is positive for a code when the coder applied
that code or any code under it, so themes (and any node with children) get a
classifier of their own, from the codes rolled up. Segments the coder has not
coded are not used.

Cross-validation keeps each document's segments together (GroupKFold by
document: 5 folds, 3 for 5,000 segments or more, never more than there are
documents), so a model is always scored on interviews it has not seen. The
vocabulary and idf weights are learnt once from all training texts (that uses
no labels). Per code and fold, a logistic regression (balanced class weights)
is fitted on the other folds and predicts the held-out fold. To bound the cost,
each fit sees all positive segments and at most ten times as many negatives
(3,000 at least); the saved model is the average of the fold models.

Threshold: the probability above which a code is suggested is chosen per code
to maximise F1 over the out-of-fold predictions. The scores reported are not
taken at that same threshold, which would flatter them: each fold is scored at
the threshold chosen from the other folds' predictions only, so no held-out
label ever helps choose the threshold it is judged by. Codes with fewer than 5
positive segments are skipped and listed, with no score.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from slqual.coding.pseudo import is_pseudo
from slqual.errors import SuggestError
from slqual.fileio import utc_now_iso

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from slqual.codebook import Codebook
    from slqual.project import Project

MIN_POSITIVES = 5
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 .. 0.95
LARGE = 5_000  # segments from which 3 folds are used instead of 5
MODEL_DIR = "models"
MODEL_FILE = "model.npz"
C = 1.0
NEGATIVES_PER_POSITIVE = 10
MIN_NEGATIVES = 3_000


@dataclass(frozen=True)
class CodeScore:
    """Cross-validated quality of one code's classifier against the human coder."""

    code: str
    name: str
    theme: bool  # a theme (top-level node), its codes rolled up
    positives: int  # segments the coder gave this code (or one under it)
    threshold: float  # the probability from which apply suggests the code
    precision: float | None  # None where the model suggested the code nowhere
    recall: float
    f1: float
    kappa: float | None  # Cohen's kappa, None where it is undefined


@dataclass(frozen=True)
class SkippedCode:
    code: str
    name: str
    positives: int
    reason: str


@dataclass(frozen=True)
class TrainResult:
    coder: str
    path: str
    segments: int
    documents: int
    folds: int
    features: int
    with_question: bool
    codebook_hash: str
    trained_at: str
    seconds: float
    scores: tuple[CodeScore, ...]
    skipped: tuple[SkippedCode, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def model_path(project: Project) -> Any:
    return project.internal_dir / MODEL_DIR / MODEL_FILE


def train_command(coder: str) -> str:
    return f"slqual suggest train --coder {coder}"


def label_matrix(coding: pd.DataFrame, segment_ids: list[str], codebook: Codebook) -> np.ndarray:
    """Segments x codebook nodes, True where the coder applied the node or one under it."""
    import numpy as np

    row = {sid: i for i, sid in enumerate(segment_ids)}
    column = {code: j for j, code in enumerate(codebook.ids())}
    labels = np.zeros((len(segment_ids), len(column)), dtype=bool)
    used = coding[(coding["code"] != "") & coding["segment_id"].isin(row) & coding["code"].isin(column)]
    for sid, code in zip(used["segment_id"], used["code"], strict=True):
        for node in codebook.ancestors(code):
            labels[row[sid], column[node.id]] = True
    return labels


def fold_count(segments: int, documents: int) -> int:
    return min(5 if segments < LARGE else 3, documents)


def grouped_folds(documents: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) row indices per fold; all of one document's rows fall in the same test fold."""
    from sklearn.model_selection import GroupKFold

    k = fold_count(len(documents), len(set(documents)))
    return list(GroupKFold(n_splits=k).split(documents, groups=documents))


def best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The threshold of THRESHOLDS with the highest F1 (the highest such threshold on ties)."""
    import numpy as np

    best, best_f1 = 0.5, -1.0
    for threshold in THRESHOLDS:
        predicted = probabilities >= threshold
        tp = float(np.sum(predicted & truth))
        f1 = 2 * tp / (predicted.sum() + truth.sum()) if (predicted.sum() + truth.sum()) else 0.0
        if f1 >= best_f1:
            best, best_f1 = threshold, f1
    return best


def scores(predicted: np.ndarray, truth: np.ndarray) -> tuple[float | None, float, float, float | None]:
    """Precision, recall, F1 and Cohen's kappa of binary predictions."""
    import numpy as np

    n = len(truth)
    tp = float(np.sum(predicted & truth))
    said, real = float(predicted.sum()), float(truth.sum())
    precision = tp / said if said else None
    recall = tp / real if real else 0.0
    f1 = 2 * tp / (said + real) if (said + real) else 0.0
    observed = float(np.mean(predicted == truth))
    chance = (said * real + (n - said) * (n - real)) / (n * n)
    kappa = (observed - chance) / (1 - chance) if chance < 1 else None
    return precision, recall, f1, kappa


def _fit(x, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    # dual liblinear: fast when there are more features than segments; a loose tolerance is plenty
    return LogisticRegression(
        solver="liblinear", dual=True, tol=1e-2, C=C, class_weight="balanced", max_iter=200
    ).fit(x, y)


def _sample(rows: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """All positive rows and at most NEGATIVES_PER_POSITIVE times as many negatives (MIN_NEGATIVES at least).

    Balanced class weights make up for the sampling; scores are still taken on every held-out segment.
    """
    import numpy as np

    positives = rows[y[rows]]
    negatives = rows[~y[rows]]
    keep = max(NEGATIVES_PER_POSITIVE * len(positives), MIN_NEGATIVES)
    if len(negatives) > keep:
        negatives = np.random.default_rng(seed).choice(negatives, keep, replace=False)
    return np.sort(np.concatenate([positives, negatives]))


def _one_code(x, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]], seed: int):
    """Out-of-fold probabilities, cross-fitted predictions, the threshold, and the final weights.

    The final model is the average of the fold models (each fitted on all but one fold), which
    costs no further fit and is as good as a refit on everything at these sizes.
    """
    import numpy as np

    out_of_fold = np.zeros(len(y), dtype=np.float64)
    coefs, intercepts = [], []
    for train, test in folds:
        if y[train].any() and not y[train].all():
            rows = _sample(train, y, seed)
            model = _fit(x[rows], y[rows])
            out_of_fold[test] = model.predict_proba(x[test])[:, 1]
            coefs.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
        else:  # no positive (or no negative) to learn from in this fold: an honest constant
            out_of_fold[test] = float(y[train].all())
    predicted = np.zeros(len(y), dtype=bool)
    for index, (_, test) in enumerate(folds):
        others = np.concatenate([t for i, (_, t) in enumerate(folds) if i != index])
        threshold = best_threshold(out_of_fold[others], y[others])
        predicted[test] = out_of_fold[test] >= threshold
    return out_of_fold, predicted, best_threshold(out_of_fold, y), np.mean(coefs, axis=0), np.mean(intercepts)


def train(
    project: Project,
    coder: str,
    *,
    with_question: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    max_features: int | None = None,
) -> TrainResult:
    """Train on ``coder``'s segments and save the model in ``.slqual/models/`` (see module docstring)."""
    import numpy as np
    from joblib import Parallel, delayed

    from slqual.suggest import data
    from slqual.suggest.features import MAX_CHAR_FEATURES, MAX_WORD_FEATURES, features_to_arrays, fit_features
    from slqual.suggest.store import save_arrays

    started = time.perf_counter()
    codebook = data.load_codebook(project)
    coding = data.read_coder(project, coder)
    if is_pseudo(coding):
        raise SuggestError(
            f"{project.coder_path(coder)}: written by a machine (autocode or suggest apply); a model learns "
            "only from people's coding: train on a person's file or the consensus, e.g. --coder consensus"
        )
    segments = data.participant_segments(project)
    coded = segments[segments["segment_id"].isin(set(coding["segment_id"]))].reset_index(drop=True)
    documents = coded["document"].nunique()
    if documents < 2:
        raise SuggestError(
            f"{project.coder_path(coder)}: {len(coded)} coded participant segment(s) from {documents} "
            "document(s); training needs coded segments from at least 2 documents (better 5 or more) "
            "so that it can be tested on an interview it has not seen"
        )
    ids = list(coded["segment_id"])
    labels = label_matrix(coding, ids, codebook)
    counts = labels.sum(axis=0)
    nodes = list(codebook)
    trainable = [j for j, n in enumerate(counts) if MIN_POSITIVES <= n < len(ids)]
    skipped = tuple(
        SkippedCode(
            node.id,
            node.name,
            int(counts[j]),
            f"fewer than {MIN_POSITIVES} positive segments"
            if counts[j] < MIN_POSITIVES
            else "every coded segment has it",
        )
        for j, node in enumerate(nodes)
        if j not in set(trainable)
    )
    if not trainable:
        raise SuggestError(
            f"{project.coder_path(coder)}: no code has {MIN_POSITIVES} or more positive segments among "
            f"{len(ids)} coded segments; code more before training"
        )
    limit = max_features or MAX_WORD_FEATURES
    features, x = fit_features(
        list(coded["text"]),
        list(coded["question"]) if with_question else None,
        max_word=limit,
        max_char=max_features or MAX_CHAR_FEATURES,
    )
    x = x.astype(np.float64)  # liblinear works in double precision; convert once, not per fit
    folds = grouped_folds(coded["document"].to_numpy())
    k = len(folds)
    out_of_fold = np.zeros((len(ids), len(trainable)), dtype=np.float32)
    coef = np.zeros((len(trainable), x.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(trainable), dtype=np.float32)
    thresholds = np.zeros(len(trainable), dtype=np.float32)
    code_scores = []
    done = 0
    batch = 2  # one code per core
    for start in range(0, len(trainable), batch):
        chunk = trainable[start : start + batch]
        results = Parallel(n_jobs=min(batch, len(chunk)), prefer="threads")(
            delayed(_one_code)(x, labels[:, j], folds, j) for j in chunk
        )
        for offset, (j, (oof, predicted, threshold, weights, bias)) in enumerate(
            zip(chunk, results, strict=True)
        ):
            i = start + offset
            out_of_fold[:, i] = oof
            coef[i] = weights
            intercept[i] = bias
            thresholds[i] = threshold
            precision, recall, f1, kappa = scores(predicted, labels[:, j])
            node = nodes[j]
            code_scores.append(
                CodeScore(
                    code=node.id,
                    name=node.name,
                    theme=node.parent is None,
                    positives=int(counts[j]),
                    threshold=float(threshold),
                    precision=_round(precision),
                    recall=round(recall, 3),
                    f1=round(f1, 3),
                    kappa=_round(kappa),
                )
            )
            done += 1
            if progress is not None:
                progress(done, len(trainable), node.id)
    path = model_path(project)
    meta = {
        "format": 1,
        "coder": coder,
        "codebook_hash": data.codebook_hash(codebook),
        "trained_at": utc_now_iso(),
        "codes": [nodes[j].id for j in trainable],
        "with_question": with_question,
        "segments": len(ids),
    }
    arrays = {
        **features_to_arrays(features),
        "coef": coef,
        "intercept": intercept,
        "thresholds": thresholds,
        "oof_ids": np.array(ids, dtype=str),
        "oof": out_of_fold,
    }
    save_arrays(project, path, arrays, meta)
    project.audit("suggest train", coder=coder, codes=len(trainable), segments=len(ids))
    return TrainResult(
        coder=coder,
        path=str(path),
        segments=len(ids),
        documents=int(documents),
        folds=k,
        features=features.size,
        with_question=with_question,
        codebook_hash=meta["codebook_hash"],
        trained_at=meta["trained_at"],
        seconds=round(time.perf_counter() - started, 1),
        scores=tuple(code_scores),
        skipped=skipped,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
