"""Marked quotes: the exact words a coder chose to quote from a segment.

A marked quote is written in the ``quote`` column of a coder file or coding
sheet. Parts may be joined with ``...`` or ``…`` (or ``[...]``); each part must
appear in the segment, in order, after the part before it. Matching ignores
differences in whitespace and between straight and curly quotes and
apostrophes; anything else must be exactly as in segments.csv. A part need not
start or end at a word boundary only in punctuation: "ring a GP friend" matches
"ring a GP friend, just".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_PART_BREAK = re.compile(r"\s*\[?(?:\.\.\.|\u2026)\]?\s*")
_CLASSES = {
    "'": "['\u2018\u2019\u02bc`]",
    "\u2018": "['\u2018\u2019\u02bc`]",
    "\u2019": "['\u2018\u2019\u02bc`]",
    "\u02bc": "['\u2018\u2019\u02bc`]",
    "`": "['\u2018\u2019\u02bc`]",
    '"': '["\u201c\u201d\u201e]',
    "\u201c": '["\u201c\u201d\u201e]',
    "\u201d": '["\u201c\u201d\u201e]',
    "\u201e": '["\u201c\u201d\u201e]',
}


@dataclass(frozen=True)
class QuoteMismatch:
    """Why a marked quote does not match its segment: the first word that does not match."""

    word: str
    part: int  # 1-based number of the part ("..." separated)

    def message(self) -> str:
        where = f" (part {self.part})" if self.part > 1 else ""
        return (
            f"the quote does not match the segment at '{self.word}'{where}; copy the words exactly "
            "from the segment, joining parts with '...'"
        )


@dataclass(frozen=True)
class MarkedSpan:
    """Where a marked quote's parts are in the segment text: (start, end) character offsets."""

    parts: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def offsets(self) -> str:
        """'12-80' or '12-80;120-170' for a quote in parts."""
        return ";".join(f"{a}-{b}" for a, b in self.parts)


def split_parts(quote: str) -> list[str]:
    """The parts of a marked quote ('a ... b' -> ['a', 'b']), empty parts dropped."""
    return [p.strip() for p in _PART_BREAK.split(quote) if p.strip()]


def _word_pattern(word: str) -> str:
    return "".join(_CLASSES.get(ch, re.escape(ch)) for ch in word)


def _words_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"\s+".join(_word_pattern(w) for w in words))


def match_quote(text: str, quote: str) -> MarkedSpan | QuoteMismatch | None:
    """The span of ``quote`` in ``text``, a mismatch naming the first word that fails, or None if empty."""
    parts = split_parts(quote)
    if not parts:
        return None
    spans: list[tuple[int, int]] = []
    pos = 0
    for number, part in enumerate(parts, start=1):
        words = part.split()
        found = _words_pattern(words).search(text, pos)
        if found is None:
            # The longest run of the part's first words found here names the first that fails.
            k = 0
            while k < len(words) and _words_pattern(words[: k + 1]).search(text, pos):
                k += 1
            return QuoteMismatch(words[k] if k < len(words) else words[-1], number)
        spans.append((found.start(), found.end()))
        pos = found.end()
    return MarkedSpan(tuple(spans))


@dataclass(frozen=True)
class QuoteProblem:
    """A marked quote that does not match its segment; ``row`` as in a spreadsheet (header = 1)."""

    row: int
    segment_id: str
    message: str


def _marked_rows(coding: pd.DataFrame) -> pd.DataFrame:
    """The rows with a quote that is not blank (most rows have none: they are not stripped)."""
    if "quote" not in coding.columns:
        return coding.iloc[:0]
    quotes = coding["quote"].fillna("")
    filled = quotes[quotes != ""]
    return coding.loc[filled.index[filled.str.strip() != ""]]


def check_marked_quotes(coding: pd.DataFrame, segments: pd.DataFrame) -> list[QuoteProblem]:
    """Every marked quote of a coder file that does not match its segment's text.

    ``coding`` is a coder file as read (row i is spreadsheet row i + 2);
    ``segments`` has segment_id and text. Rows whose segment is unknown are
    left to the checks that report unknown segments.
    """
    marked = _marked_rows(coding)
    if marked.empty:
        return []
    texts = dict(zip(segments["segment_id"].tolist(), segments["text"].tolist(), strict=True))
    problems = []
    for index, sid, quote in zip(marked.index, marked["segment_id"], marked["quote"], strict=True):
        text = texts.get(sid)
        if text is None:
            continue
        result = match_quote(text, quote)
        if isinstance(result, QuoteMismatch):
            problems.append(QuoteProblem(int(index) + 2, str(sid), result.message()))
    return problems


def marked_spans(coding: pd.DataFrame, segments: pd.DataFrame) -> dict[tuple[str, str], MarkedSpan]:
    """The span of each (segment_id, code) row's marked quote; rows that do not match are left out."""
    out: dict[tuple[str, str], MarkedSpan] = {}
    marked = _marked_rows(coding)
    if marked.empty:
        return out
    texts = dict(zip(segments["segment_id"].tolist(), segments["text"].tolist(), strict=True))
    for sid, code, quote in zip(marked["segment_id"], marked["code"], marked["quote"], strict=True):
        text = texts.get(sid)
        result = match_quote(text, quote) if text is not None else None
        if isinstance(result, MarkedSpan):
            out[(sid, code)] = result
    return out
