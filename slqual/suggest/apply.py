"""Write a trained model's suggestions as a pseudo-coder (``model``), never into a person's file.

Every participant segment gets rows: one per suggested code with the
probability in the memo, or one with no code when nothing reached its
threshold, so ``slqual agree reviewer1 model`` compares like with like. For
segments the model was trained on, the probability is the cross-validated one
(from a model that did not see that interview), so agreement on them is not
flattered by the model having learnt them.

Only the most specific suggestion is written: a theme (or a code with codes
under it) is suggested only when none of the codes under it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from slqual.coding.pseudo import MODEL_MARKER, may_overwrite
from slqual.errors import SuggestError
from slqual.fileio import utc_now_iso

if TYPE_CHECKING:
    from slqual.project import Project

MODEL_CODER = "model"
RESERVED = ("consensus",)


@dataclass(frozen=True)
class CodeSuggestions:
    code: str
    threshold: float
    segments: int


@dataclass(frozen=True)
class ApplyResult:
    coder: str
    path: str
    trained_on: str
    trained_at: str
    segments: int
    suggested_segments: int
    assignments: int
    cross_validated: int  # segments whose probabilities come from cross-validation
    codes: tuple[CodeSuggestions, ...]
    history_path: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_model(project: Project) -> tuple[dict[str, Any], dict[str, Any]]:
    """The project's model, refused when foreign, tampered with, or older than the codebook."""
    from slqual.suggest import data
    from slqual.suggest.store import load_arrays
    from slqual.suggest.train import model_path, train_command

    path = model_path(project)
    arrays, meta = load_arrays(project, path, train_command("consensus"))
    current = data.codebook_hash(data.load_codebook(project))
    if meta.get("codebook_hash") != current:
        raise SuggestError(
            f"{path}: trained on {meta.get('coder')}'s coding with an earlier codebook (codes have been "
            f"added, removed or moved since {meta.get('trained_at')}); retrain it with "
            f"'{train_command(meta.get('coder', 'consensus'))}'"
        )
    return arrays, meta


def apply_model(project: Project, into: str = MODEL_CODER, threshold: float | None = None) -> ApplyResult:
    """Suggest codes for every participant segment into the pseudo-coder ``into``."""
    import numpy as np
    import pandas as pd

    from slqual.suggest import data
    from slqual.suggest.features import features_from_arrays

    data.check_coder_name(into)
    if into in RESERVED:
        raise SuggestError(
            f"'{into}' is the team's own coding; write suggestions to another name, e.g. model"
        )
    if threshold is not None and not 0 < threshold < 1:
        raise SuggestError(f"--threshold {threshold}: give a probability between 0 and 1, e.g. 0.5")
    if not may_overwrite(project, into, MODEL_MARKER):
        raise SuggestError(
            f"{project.coder_path(into)}: holds codings that are not model suggestions; suggestions never "
            f"go into a person's file: choose another name, e.g. --into {MODEL_CODER}"
        )
    arrays, meta = load_model(project)
    codebook = data.load_codebook(project)
    codes = list(meta["codes"])
    segments = data.participant_segments(project)
    features = features_from_arrays(arrays)
    x = features.transform(
        list(segments["text"]), list(segments["question"]) if features.with_question else None
    )
    logits = np.asarray(x @ arrays["coef"].T) + arrays["intercept"]
    probabilities = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
    # Segments the model was trained on: their cross-validated probabilities instead.
    trained_row = {sid: i for i, sid in enumerate(arrays["oof_ids"].tolist())}
    ids = segments["segment_id"].tolist()
    rows_here = [i for i, sid in enumerate(ids) if sid in trained_row]
    if rows_here:
        probabilities[rows_here] = arrays["oof"][[trained_row[ids[i]] for i in rows_here]]
    cross_validated = set(rows_here)
    limits = np.full(len(codes), threshold) if threshold is not None else arrays["thresholds"].astype(float)
    above = probabilities >= limits
    # keep the most specific: drop a node when a node under it is also suggested
    below = [
        [j for j, other in enumerate(codes) if other != code and code in _chain(codebook, other)]
        for code in codes
    ]
    now = utc_now_iso()
    rows = []
    counts: Counter[str] = Counter()
    for i, sid in enumerate(ids):
        hits = [j for j in np.flatnonzero(above[i]) if not any(above[i, k] for k in below[j])]
        how = "cross-validated, " if i in cross_validated else ""
        if not hits:
            rows.append([sid, "", into, now, f"{MODEL_MARKER}: no code reached its threshold", "", ""])
        for j in sorted(hits, key=lambda j: -probabilities[i, j]):
            counts[codes[j]] += 1
            memo = f"{MODEL_MARKER}: p={probabilities[i, j]:.2f} ({how}threshold {limits[j]:.2f})"
            rows.append([sid, codes[j], into, now, memo, "", ""])
    frame = pd.DataFrame(rows, columns=data.coding_columns())
    kept = data.write_pseudo_coder(project, into, frame)
    assignments = sum(counts.values())
    project.audit("suggest apply", coder=into, assignments=assignments, trained_on=meta["coder"])
    return ApplyResult(
        coder=into,
        path=str(project.coder_path(into)),
        trained_on=meta["coder"],
        trained_at=meta["trained_at"],
        segments=len(segments),
        suggested_segments=int(frame.loc[frame["code"] != "", "segment_id"].nunique()),
        assignments=assignments,
        cross_validated=len(cross_validated),
        codes=tuple(CodeSuggestions(c, round(float(limits[j]), 2), counts[c]) for j, c in enumerate(codes)),
        history_path=kept,
    )


def _chain(codebook, code: str) -> set[str]:
    return {node.id for node in codebook.ancestors(code)}
