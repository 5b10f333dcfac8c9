"""Mapping another program's coded text spans onto slqual's segments.

Other programs code spans of characters; slqual codes whole segments (code by
segment, quote by span). After ingest, each segment is found again in its
source text (ingest only normalises whitespace and removes speaker labels, so
its words appear in order). A selection codes a segment when it covers at
least ``min_overlap`` of the segment, or lies wholly inside it; the words it
selects in that segment become the row's quote (empty when it covers the whole
segment).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import NamedTuple

ANCHOR_WORDS = 8  # words matched at each end of a segment when its whole text is not found


class Span(NamedTuple):  # named tuples: made 100,000s of times in a large import, far faster
    """Where a segment's words lie in its source text (``end`` excluded)."""

    segment_id: str
    start: int
    end: int


class Hit(NamedTuple):
    """A selection's effect on one segment: it codes it, with this quote (empty: the whole segment)."""

    segment_id: str
    quote: str


def locate_segments(text: str, segments: Iterable[tuple[str, str]]) -> tuple[list[Span], list[str]]:
    """The spans of a document's segments (given in order as (id, text)) and the ids not found."""
    spans: list[Span] = []
    missing: list[str] = []
    cursor = 0
    for segment_id, words in segments:
        found = _find(text, words, cursor)
        if found is None:
            missing.append(segment_id)
            continue
        spans.append(Span(segment_id, *found))
        cursor = found[1]
    return spans, missing


def _find(text: str, words: str, cursor: int) -> tuple[int, int] | None:
    if not words:
        return None
    at = text.find(words, cursor)  # the fast path: the source has the words exactly as ingest wrote them
    if at >= 0:
        return at, at + len(words)
    parts = words.split()
    match = _words(parts).search(text, cursor)
    if match:
        return match.start(), match.end()
    if len(parts) <= 2 * ANCHOR_WORDS:
        return None
    head = _words(parts[:ANCHOR_WORDS]).search(text, cursor)
    if head is None:
        return None
    tail = _words(parts[-ANCHOR_WORDS:]).search(text, head.end())
    if tail is None or tail.end() - head.start() > 2 * len(words) + 200:
        return None
    return head.start(), tail.end()


def _words(parts: list[str]) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(p) for p in parts))


class SpanIndex:
    """A document's segment spans, for finding the segments a selection codes."""

    def __init__(self, text: str, spans: list[Span]) -> None:
        self.text = text
        self.spans = sorted(spans, key=lambda s: s.start)
        self.ends = [s.end for s in self.spans]

    def hits(self, start: int, end: int, min_overlap: float) -> list[Hit]:
        """The segments the selection [start, end) codes, with the words it selects in each."""
        found = []
        i = bisect_right(self.ends, start)
        if start == end and i > 0 and self.ends[i - 1] == start:
            i -= 1
        while i < len(self.spans):
            span = self.spans[i]
            if span.start > end or (span.start == end and start != end):
                break
            i += 1
            inside = span.start <= start and end <= span.end
            overlap = min(end, span.end) - max(start, span.start)
            if not inside and overlap < min_overlap * (span.end - span.start):
                continue
            if start <= span.start and end >= span.end:
                quote = ""
            else:
                quote = " ".join(self.text[max(start, span.start) : min(end, span.end)].split())
            found.append(Hit(span.segment_id, quote))
        return found
