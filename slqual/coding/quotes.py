"""Quotes marked on the coding screen: numbered sentences of a segment into the answer's quote.

Code by segment, quote by span: the quote is the exact words of the chosen
sentences; separate runs of sentences are joined with ``...``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

QUOTE_JOIN = " ... "


def _sentence_numbers(spec: str, count: int) -> list[int] | None:
    """Sorted sentence numbers from '2', '2-4' or '1,3-4'; None when the text is not such a list."""
    numbers: set[int] = set()
    for part in (p.strip() for p in re.split(r"[,;\s]+", spec) if p.strip()):
        found = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not found:
            return None
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if not 1 <= first <= last <= count:
            return None
        numbers.update(range(first, last + 1))
    return sorted(numbers) or None


def quote_sentences(spec: str, sentences: Sequence[str]) -> str | None:
    """The quote for sentence numbers such as '2', '2-4' or '1,3-4'; None when ``spec`` is not valid."""
    numbers = _sentence_numbers(spec, len(sentences))
    if numbers is None:
        return None
    parts: list[list[int]] = []
    for n in numbers:
        if parts and n == parts[-1][-1] + 1:
            parts[-1].append(n)
        else:
            parts.append([n])
    return QUOTE_JOIN.join(" ".join(sentences[n - 1] for n in part) for part in parts)
