"""Choosing the quotes for a table cell: deterministic, and explainable in one paragraph.

The rules, in order:

1. Only participants' words: interviewer turns are never candidates (they are
   dropped when the inputs are read; :func:`select_quotes` checks again).
2. A quote has at least ``min_words`` words. A longer quote than ``max_words``
   is cut after the last whole sentence that fits and ``[...]`` marks the cut
   (if whole sentences give fewer than ``min_words`` words, it is cut at
   ``max_words`` words instead).
3. Quotes the coder marked as exemplars come first.
4. Quotes are spread over participants: no second quote from one participant
   while another participant in the cell has an eligible quote.
5. Within one table, a segment quoted in an earlier row comes after the
   cell's other candidates (exemplars still first; see ``tables._cells``).
6. Ties are broken by segment id, so the same inputs always give the same quotes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from slqual.reports.model import Quote, QuoteCell

if TYPE_CHECKING:
    import pandas as pd

NO_QUOTES = "no quotes coded"
ELLIPSIS = "[...]"
# A sentence ends at . ! ? or an ellipsis, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+")


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


def attribution(participant_id: str, role: str = "") -> str:
    """'(P03, GP)', or '(P03)' when the participant has no role."""
    return f"({participant_id}, {role})" if role else f"({participant_id})"


def rank_candidates(candidates: pd.DataFrame) -> pd.DataFrame:
    """Candidates in preference order: exemplars first, then by segment id."""
    return candidates.sort_values(["exemplar", "segment_id"], ascending=[False, True], kind="stable")


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


def select_quotes(
    candidates: pd.DataFrame,
    n: int,
    min_words: int,
    max_words: int,
    roles: Mapping[str, str] | None = None,
    ranked: bool = False,
) -> QuoteCell:
    """Up to ``n`` quotes for one cell from its candidate segments (see the module rules).

    ``candidates`` has columns segment_id, participant_id, text, words and
    exemplar, and optionally speaker_role; pass ``ranked=True`` when it is
    already in :func:`rank_candidates` order.
    """
    if candidates.empty:
        return QuoteCell(empty_text=NO_QUOTES)
    frame = candidates
    if "speaker_role" in frame.columns:
        frame = frame[frame["speaker_role"] == "participant"]
    eligible = frame[frame["words"] >= min_words]
    if eligible.empty:
        k = len(frame)
        return QuoteCell(
            empty_text=f"no quote of {min_words} words or more ({k} coded segment{'s' if k != 1 else ''})"
        )
    if not ranked:
        eligible = rank_candidates(eligible)
    if n <= 0:
        return QuoteCell(empty_text="quotes not shown (--quotes 0)")
    ids = eligible["participant_id"].tolist()
    positions = pick_spread(ids, n)
    roles = roles or {}
    quotes = []
    for i in positions:
        row = eligible.iloc[i]
        text, cut = trim_quote(row["text"], max_words, min_words)
        pid = row["participant_id"]
        quotes.append(
            Quote(
                segment_id=row["segment_id"],
                participant_id=pid,
                text=text,
                attribution=attribution(pid, roles.get(pid, "")),
                exemplar=bool(row["exemplar"]),
                trimmed=cut,
            )
        )
    return QuoteCell(quotes=tuple(quotes))
