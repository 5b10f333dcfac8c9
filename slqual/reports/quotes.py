"""Choosing and writing the quotes of a table: deterministic, and explainable in one paragraph.

Which words of a segment are quoted (its span) is decided before this module:
a coder's marked quote, or the sentences that best carry the code
(``slqual.quotes.spans``). Here the segments are chosen for each cell:

1. Only participants' words: interviewer turns are never candidates.
2. A quote has at least ``min_words`` words (a marked quote is shown whatever
   its length). A chosen span longer than ``max_words`` (one long sentence) is
   cut after the last whole sentence that fits, else at ``max_words`` words,
   and ``[...]`` marks the cut.
3. Within a cell, candidates are ranked: exemplars first, then marked quotes,
   then by how well the span carries the code (its score), then by a fixed
   hash of the segment id (never by file order).
4. A fair spread over each table's group column: a participant already quoted
   in the table comes after every participant not yet quoted, and a final pass
   swaps a participant's second quote for the quote of a participant of that
   group who has a fitting segment in that cell and is not quoted at all.
5. No quote repeats within a table: a segment is shown again only for another
   code whose span does not overlap the words already shown.
6. The quote's words are tidied (clean verbatim, ``slqual.quotes.tidy``)
   unless ``verbatim``, then names and places in redact.csv are replaced.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slqual.reports.model import Quote, QuoteCell

if TYPE_CHECKING:
    import pandas as pd

    from slqual.redact import Redactor

NO_QUOTES = "no quotes coded"
ELLIPSIS = "[...]"
MARKED, SELECTED = "marked", "selected"
# A sentence ends at . ! ? or an ellipsis, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+")


@dataclass(frozen=True)
class QuoteStyle:
    """How quotes are cut, tidied, redacted and attributed."""

    min_words: int = 12
    max_words: int = 80
    tidy: tuple[str, ...] = ()  # fillers to take out; () keeps the words verbatim
    redactor: Redactor | None = None
    attributions: Mapping[str, str] = field(default_factory=dict)  # participant_id -> "(CM3, GP)"
    labels: Mapping[str, str] = field(default_factory=dict)  # participant_id -> "CM3"


def split_sentences(text: str) -> list[str]:
    """Split text after sentence-ending punctuation; the pieces joined by spaces give the text back."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def trim_quote(text: str, max_words: int, min_words: int = 1) -> tuple[str, bool]:
    """The quote cut to at most ``max_words`` words at a sentence boundary, and whether it was cut."""
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words), False
    kept: list[str] = []
    count = 0
    for sentence in split_sentences(" ".join(words)):
        n = len(sentence.split())
        if count + n > max_words:
            break
        kept.append(sentence)
        count += n
    if count >= min_words:
        return f"{' '.join(kept)} {ELLIPSIS}", True
    return f"{' '.join(words[:max_words])} {ELLIPSIS}", True


def attribution(label: str, *attributes: str) -> str:
    """'(CM3)', or '(CM3, GP)' with the attributes asked for."""
    shown = [a for a in attributes if a]
    return f"({', '.join([label, *shown])})"


def spans_longer_than(candidates: pd.DataFrame, limit: int) -> list[bool]:
    """Whether each candidate's span has more than ``limit`` words.

    The ``words`` column is the segment's word count (``len(text.split())``).
    A span is part of its segment, so only spans of longer segments are
    counted, and a span that is the whole segment has its words.
    """
    rows = zip(
        candidates["words"].tolist(),
        candidates["text"].tolist(),
        candidates["quote_start"].tolist(),
        candidates["quote_end"].tolist(),
        strict=True,
    )
    # split(None, limit) stops after limit + 1 pieces: enough to tell.
    return [
        words > limit and ((a == 0 and b >= len(text)) or len(text[a:b].split(None, limit)) > limit)
        for words, text, a, b in rows
    ]


def stable_hashes(texts: list[str]) -> list[int]:
    """Tie-breakers that do not follow file order and are the same on every machine."""
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes  # looked up once: 10,000s of ids
    return [from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") for text in texts]


def rank_candidates(candidates: pd.DataFrame) -> pd.DataFrame:
    """Candidates in preference order: exemplars, marked quotes, span score, then a hash of the id."""
    import numpy as np
    import pandas as pd

    frame = _with_spans(candidates)
    segment, ids = pd.factorize(frame["segment_id"])  # a segment coded with several codes is hashed once
    hashes = np.array(stable_hashes(ids.tolist()), dtype=np.uint64)
    return frame.assign(
        _marked=frame["quote_method"] == MARKED,
        _hash=hashes[segment],
    ).sort_values(
        ["exemplar", "_marked", "quote_score", "_hash"], ascending=[False, False, False, True], kind="stable"
    )


def _with_spans(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with span columns; without them a candidate's span is its whole text."""
    if "quote_start" in frame.columns:
        return frame
    return frame.assign(
        quote_start=0,
        quote_end=frame["text"].str.len(),
        quote_offsets="",
        quote_method=SELECTED,
        quote_score=0.0,
    )


def pick_spread(participants: list[str], n: int) -> list[int]:
    """Positions of the first ``n`` picks from a ranked list, one per participant before any second."""
    picked: list[int] = []
    seen: set[str] = set()
    for i, pid in enumerate(participants):
        if len(picked) == n:
            return picked
        if pid not in seen:
            picked.append(i)
            seen.add(pid)
    first = set(picked)
    for i in range(len(participants)):
        if len(picked) == n:
            break
        if i not in first:
            picked.append(i)
    return picked


def _parts(row: Mapping[str, Any]) -> list[tuple[int, int]]:
    offsets = row.get("quote_offsets") or ""
    if row.get("quote_method") == MARKED and offsets:
        return [tuple(int(x) for x in part.split("-")) for part in offsets.split(";")]  # type: ignore[misc]
    return [(int(row["quote_start"]), int(row["quote_end"]))]


def quote_words(row: Mapping[str, Any], style: QuoteStyle) -> tuple[str, bool]:
    """The words a candidate is quoted with: its span, tidied, cut to length, redacted."""
    from slqual.quotes.tidy import tidy

    text = row["text"]
    pieces = []
    cut = False
    for start, end in _parts(row):
        piece = text[start:end]
        if style.tidy:
            piece = tidy(piece, style.tidy)
        pieces.append(piece)
    body = f" {ELLIPSIS} ".join(p for p in pieces if p)
    if row.get("quote_method") != MARKED:
        body, cut = trim_quote(body, style.max_words, style.min_words)
    else:
        body = " ".join(body.split())
    if style.redactor is not None:
        body = style.redactor.apply(body)
    return body, cut


def _eligible(frame: pd.DataFrame, min_words: int) -> pd.DataFrame:
    if "speaker_role" in frame.columns:
        frame = frame[frame["speaker_role"] == "participant"]
    return frame[(frame["words"] >= min_words) | (frame["quote_method"] == MARKED)]


def _empty_text(frame: pd.DataFrame, min_words: int, n: int) -> str:
    if frame.empty:
        return NO_QUOTES
    if "speaker_role" in frame.columns:
        frame = frame[frame["speaker_role"] == "participant"]
    k = len(frame)
    if n <= 0 and k:
        return "quotes not shown (--quotes 0)"
    return f"no quote of {min_words} words or more ({k} coded segment{'s' if k != 1 else ''})"


def _overlaps(shown: dict[str, list[tuple[int, int]]], row: Mapping[str, Any]) -> bool:
    return any(a < row["quote_end"] and row["quote_start"] < b for a, b in shown.get(row["segment_id"], ()))


ROW_COLUMNS = (
    "segment_id",
    "participant_id",
    "text",
    "words",
    "exemplar",
    "quote_start",
    "quote_end",
    "quote_offsets",
    "quote_method",
)


class _Rows:
    """A cell's ranked candidates as row dicts of the columns quotes need, made only when reached.

    A cell of a large study has hundreds of candidates and shows a few: the
    choice walks the list from the top, so most rows are never made.
    """

    def __init__(self, columns: dict[str, list[Any]], positions: list[int]) -> None:
        self._columns = columns
        self._positions = positions
        self._made: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self._positions)

    def __iter__(self):
        for i, position in enumerate(self._positions):
            if i == len(self._made):
                self._made.append({c: values[position] for c, values in self._columns.items()})
            yield self._made[i]


def _columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    # The same Python values as Series.tolist, a third faster for text columns.
    return {c: frame[c].to_numpy().tolist() for c in ROW_COLUMNS}


def _records(frame: pd.DataFrame) -> _Rows:
    """The rows of ``frame`` in order (see ``_Rows``)."""
    return _Rows(_columns(frame), list(range(len(frame))))


def fill_cells(
    cells: Sequence[tuple[Any, pd.DataFrame]], n: int, style: QuoteStyle, ranked: bool = False
) -> dict[Any, QuoteCell]:
    """QuoteCells for one table column (one group), keyed as given, following the module rules.

    ``cells`` are (key, candidates) in table row order; candidates have columns
    segment_id, participant_id, text, words, exemplar and the span columns
    quote_start, quote_end, quote_offsets, quote_method, quote_score.
    """
    lists: dict[Any, list[dict[str, Any]]] = {}
    empties: dict[Any, str] = {}
    for key, frame in cells:
        frame = _with_spans(frame)
        eligible = _eligible(frame, style.min_words)
        if eligible.empty or n <= 0:
            empties[key] = _empty_text(frame, style.min_words, n)
            lists[key] = []
            continue
        if not ranked:
            eligible = rank_candidates(eligible)
        lists[key] = _records(eligible)
    return _fill(cells, lists, empties, n, style)


def fill_table(
    candidates: pd.DataFrame, key: str, keys: Sequence[str], groups: Sequence[str], n: int, style: QuoteStyle
) -> dict[tuple[str, str], QuoteCell]:
    """QuoteCells keyed by (row key, group) for one table from ranked candidates, in one pass."""
    import numpy as np
    import pandas as pd

    frame = _with_spans(candidates)
    # On the columns' arrays: a pandas comparison costs several times as much on a large table.
    eligible_mask = (frame["words"].to_numpy() >= style.min_words) | (
        frame["quote_method"].to_numpy() == MARKED
    )
    if "speaker_role" in frame.columns:
        eligible_mask &= frame["speaker_role"].to_numpy() == "participant"
    # Each row's cell as one number: two factorizes and a sort cost less than grouping by two columns.
    row_codes, row_values = pd.factorize(frame[key], use_na_sentinel=False)
    group_codes, group_values = pd.factorize(frame["group"], use_na_sentinel=False)
    width = max(len(group_values), 1)
    cell_of_row = row_codes.astype(np.int64) * width + group_codes
    sizes = np.bincount(cell_of_row)
    present = np.flatnonzero(sizes)
    row_names, group_names = row_values[present // width].tolist(), group_values[present % width].tolist()
    names = list(zip(row_names, group_names, strict=True))
    coded = dict(zip(names, sizes[present].tolist(), strict=True))
    eligible = np.flatnonzero(eligible_mask)
    ordered = eligible[np.argsort(cell_of_row[eligible], kind="stable")]  # ranked order within a cell
    starts = np.searchsorted(cell_of_row[ordered], present)
    ends = np.empty_like(starts)
    ends[:-1], ends[-1:] = starts[1:], len(ordered)
    columns = _columns(frame)
    lists: dict[tuple[str, str], Any] = {
        name: _Rows(columns, ordered[a:b].tolist())
        for name, a, b in zip(names, starts.tolist(), ends.tolist(), strict=True)
    }
    out: dict[tuple[str, str], QuoteCell] = {}
    for group in groups:
        cells = [((k, group), None) for k in keys if (k, group) in coded]
        empties = {}
        for cell, _ in cells:
            if n <= 0 or not lists.get(cell):
                k = coded[cell]
                plural = "s" if k != 1 else ""
                empties[cell] = (
                    "quotes not shown (--quotes 0)"
                    if n <= 0
                    else f"no quote of {style.min_words} words or more ({k} coded segment{plural})"
                )
                lists[cell] = []
        out.update(_fill(cells, lists, empties, n, style))
    return out


def _fill(cells, lists, empties, n: int, style: QuoteStyle) -> dict[Any, QuoteCell]:
    quoted: dict[str, int] = {}
    shown: dict[str, list[tuple[int, int]]] = {}
    picks: dict[Any, list[dict[str, Any]]] = {}
    for key, _ in cells:
        chosen: list[dict[str, Any]] = []
        people: set[str] = set()
        # First one quote per participant, those not yet quoted in the table first; then seconds.
        for fresh in (True, False):
            for row in lists[key]:
                if len(chosen) == n:
                    break
                pid = row["participant_id"]
                if pid in people or (quoted.get(pid, 0) == 0) != fresh or _overlaps(shown, row):
                    continue
                chosen.append(row)
                people.add(pid)
        for row in lists[key]:
            if len(chosen) == n:
                break
            if not any(row is c for c in chosen) and not _overlaps(shown, row):
                chosen.append(row)
        for row in chosen:
            quoted[row["participant_id"]] = quoted.get(row["participant_id"], 0) + 1
            shown.setdefault(row["segment_id"], []).append((row["quote_start"], row["quote_end"]))
        picks[key] = chosen
    _repair(picks, lists, quoted, shown)
    out = {}
    for key, _ in cells:
        chosen = picks[key]
        if not chosen:
            out[key] = QuoteCell(empty_text=empties.get(key) or "no quote left that is not shown above")
            continue
        out[key] = QuoteCell(quotes=tuple(_quote(row, style) for row in chosen))
    return out


def _repair(picks, lists, quoted: dict[str, int], shown) -> None:
    """Swap a second quote of one participant for a first quote of an unquoted participant."""
    changed = True
    while changed:
        changed = False
        for key, chosen in picks.items():
            for slot, row in enumerate(chosen):
                if quoted[row["participant_id"]] < 2:
                    continue
                people = {r["participant_id"] for r in chosen}
                spare = next(
                    (
                        r
                        for r in lists[key]
                        if quoted.get(r["participant_id"], 0) == 0
                        and r["participant_id"] not in people
                        and not _overlaps(shown, r)
                    ),
                    None,
                )
                if spare is None:
                    continue
                quoted[row["participant_id"]] -= 1
                quoted[spare["participant_id"]] = 1
                spans = shown[row["segment_id"]]
                spans.remove((row["quote_start"], row["quote_end"]))
                shown.setdefault(spare["segment_id"], []).append((spare["quote_start"], spare["quote_end"]))
                chosen[slot] = spare
                changed = True


def _quote(row: Mapping[str, Any], style: QuoteStyle) -> Quote:
    pid = row["participant_id"]
    text, cut = quote_words(row, style)
    label = style.labels.get(pid, pid)
    return Quote(
        segment_id=row["segment_id"],
        participant_id=pid,
        text=text,
        attribution=style.attributions.get(pid) or attribution(label),
        exemplar=bool(row["exemplar"]),
        trimmed=cut,
        label=label,
        method=row.get("quote_method", SELECTED),
    )


def select_quotes(
    candidates: pd.DataFrame,
    n: int,
    min_words: int,
    max_words: int,
    roles: Mapping[str, str] | None = None,
    ranked: bool = False,
    style: QuoteStyle | None = None,
) -> QuoteCell:
    """Up to ``n`` quotes for one cell (see the module rules); ``roles`` adds a role to attributions."""
    if style is None:
        roles = roles or {}
        style = QuoteStyle(
            min_words=min_words,
            max_words=max_words,
            attributions={p: attribution(p, r) for p, r in roles.items()},
        )
    return fill_cells([("cell", candidates)], n, style, ranked=ranked)["cell"]
