"""Participant safety in reports: labels in attributions, small-cell warnings, quote spans.

- A quote is attributed by the participant's label alone ('(CM3)'); other
  attributes only when asked (``--attribute role``: '(CM3, GP)').
- A value of ``--by``, ``--where`` or an ``--attribute`` held by fewer than
  ``quotes.min_cell`` participants (default 3) could identify someone: it is a
  warning in the terminal and a footnote under the report's tables.
- Every coded (segment, code) gets its quote span here: the coder's marked
  quote (checked against the segment: an error names the file, row and first
  word that does not match) or the sentences chosen by ``slqual.quotes.spans``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slqual.errors import ReportError

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from slqual.codebook import Codebook
    from slqual.redact import Redactor

SPAN_COLUMNS = ["quote_method", "quote_start", "quote_end", "quote_offsets", "quote_score"]


def attributions(
    participants: pd.DataFrame, labels: dict[str, str], attributes: tuple[str, ...], redactor: Redactor
) -> dict[str, str]:
    """'(CM3)' or '(CM3, GP)' per participant id; attribute values pass through the redactor."""
    from slqual.reports.quotes import attribution

    out = {}
    for row in participants.to_dict("records"):
        pid = str(row["participant_id"])
        values = [redactor.apply(str(row.get(a, "") or "")) for a in attributes]
        out[pid] = attribution(labels.get(pid, pid), *values)
    return out


def check_attributes(path: Path, participants: pd.DataFrame, attributes: tuple[str, ...]) -> None:
    names = [c for c in participants.columns if c != "participant_id"]
    for attr in attributes:
        if attr not in participants.columns or attr == "participant_id":
            raise ReportError(
                f"{path}: --attribute {attr}: no such participant attribute; attributes are "
                f"{', '.join(names) or 'none'}"
            )


def small_cells(
    participants: pd.DataFrame,
    by: str,
    where: tuple[tuple[str, str], ...],
    attributes: tuple[str, ...],
    k: int,
) -> list[str]:
    """Plain sentences naming each column, row or attribute value held by fewer than ``k`` participants."""
    notes = []
    sizes = participants[by].value_counts()
    small = sorted((str(v), int(n)) for v, n in sizes.items() if n < k)
    if small:
        shown = ", ".join(f"{v} (n={n})" for v, n in small)
        notes.append(
            f"--by {by}: {shown} {'has' if len(small) == 1 else 'have'} fewer than {k} participants; "
            "a quote or count there may identify someone (merge groups, or choose another --by)"
        )
    if where and len(participants) < k:
        filters = " and ".join(f"{a}={v}" for a, v in where)
        notes.append(
            f"--where {filters}: {len(participants)} participant(s), fewer than {k}; "
            "a quote or count may identify someone"
        )
    for attr in attributes:
        counts = participants[attr].value_counts()
        rare = sorted((str(v), int(n)) for v, n in counts.items() if n < k and str(v))
        if rare:
            shown = ", ".join(f"{v} (n={n})" for v, n in rare)
            notes.append(
                f"--attribute {attr}: {shown} held by fewer than {k} participants; attributions may "
                "identify them (leave --attribute out, or group the values)"
            )
    return notes


def quote_spans(
    path: Path,
    coding: pd.DataFrame,
    coded: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Codebook,
    max_words: int,
    min_words: int,
) -> pd.DataFrame:
    """``coded`` with the span columns: marked quotes checked and placed, the rest chosen."""
    from slqual.quotes.marked import check_marked_quotes, marked_spans
    from slqual.quotes.spans import choose_spans

    problems = check_marked_quotes(coding, segments)
    if problems:
        first = problems[0]
        more = f" ({len(problems)} quotes like this)" if len(problems) > 1 else ""
        raise ReportError(
            f"{path}, row {first.row}: segment {first.segment_id}: {first.message}{more}; "
            "correct or empty the quote column"
        )
    import numpy as np

    marked = marked_spans(coding[coding["code"] != ""], segments)
    frame = coded.copy()
    size = len(frame)
    method = ["selected"] * size
    start, end = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    offsets, score = [""] * size, np.zeros(size)
    if marked:
        keys = zip(frame["segment_id"].tolist(), frame["code"].tolist(), strict=True)
        for i, hit in enumerate(marked.get(key) for key in keys):
            if hit is not None:
                method[i], start[i], end[i], offsets[i], score[i] = (
                    "marked",
                    hit.start,
                    hit.end,
                    hit.offsets(),
                    1.0,
                )
    todo = np.flatnonzero(np.asarray(method) == "selected") if marked else np.arange(size)
    if len(todo):
        pairs = frame.iloc[todo]
        texts = dict(zip(pairs["segment_id"].tolist(), pairs["text"].tolist(), strict=False))
        chosen = choose_spans(pairs[["segment_id", "code"]], texts, codebook, max_words, min_words)
        start[todo], end[todo], score[todo] = chosen["start"], chosen["end"], chosen["score"]
        for i, a, b in zip(todo.tolist(), chosen["start"].tolist(), chosen["end"].tolist(), strict=True):
            offsets[i] = f"{a}-{b}"
    frame["quote_method"] = method
    frame["quote_start"] = start
    frame["quote_end"] = end
    frame["quote_offsets"] = offsets
    frame["quote_score"] = score
    return frame
