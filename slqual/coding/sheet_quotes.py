"""The coding sheet's ``quote`` cell: one quote for every code of the row, or one per code.

A coder file has a row per (segment, code), so each code of a segment may
have its own quote. The sheet has one row per segment, and its quote cell
says it in the way a reader would write it:

    ring a GP friend ... check my sanity            (the quote of every code of the row)

    barriers.isolation: ring a GP friend ... check my sanity
    motivation.duty: I owed it to the practice      (one line per code, "code: words")

A line that starts with one of the row's codes (its id or exact name) and a
colon gives that code its own quote; the line's other words, and the lines
after it up to the next such line, are the quote. Words before any such line
are the quote of the codes without a line of their own. A new line in a cell
is Alt+Enter in Excel (Ctrl+Enter in LibreOffice, Option+Return in Numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A line "prefix: words", the prefix without a colon; a prefix that looks like a code id (one word
# of letters, digits, dots, _ or -) but is none is named in the error when the quote does not match.
_PREFIXED = re.compile(r"^\s*([^:\n]+?)\s*:\s*(.*)$")
_LOOKS_LIKE_ID = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class QuoteCell:
    """A quote cell read: the quote shared by codes without their own, and the per-code quotes."""

    shared: str = ""
    by_code: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    unknown_prefix: str = ""  # "x" of a shared quote starting "x: " where x looks like an id


def read_quote_cell(cell: str, codes: tuple[str, ...], lookup: dict[str, str]) -> QuoteCell:
    """The quotes of a cell of a row coded with ``codes`` (``lookup``: lower-cased ids and names to ids)."""
    shared: list[str] = []
    by_code: dict[str, list[str]] = {}
    problems: list[str] = []
    current = shared
    for line in cell.splitlines():
        found = _PREFIXED.match(line)
        code = lookup.get(" ".join(found.group(1).split()).lower()) if found else None
        if code is None:
            current.append(line)
            continue
        if code not in codes:
            shown = ", ".join(codes)
            problems.append(
                f"a quote for '{found.group(1).strip()}', which is not among this row's codes ({shown}); "
                "add that code to 'codes' or start the line with one of the row's codes"
            )
            current = []
            continue
        if code in by_code:
            problems.append(f"two quotes for '{code}'; keep one line per code")
        current = by_code.setdefault(code, [])
        current.append(found.group(2))
    text = " ".join(" ".join(shared).split())
    prefix = _PREFIXED.match(text)
    unknown = prefix.group(1) if prefix and _LOOKS_LIKE_ID.fullmatch(prefix.group(1)) else ""
    return QuoteCell(
        shared=text,
        by_code={c: " ".join(" ".join(words).split()) for c, words in by_code.items()},
        problems=tuple(problems),
        unknown_prefix=unknown,
    )


def quotes_of(codes: tuple[str, ...], cell: QuoteCell) -> dict[str, str]:
    """The quote written on each code's row of the coder file ('' for none: the report chooses)."""
    return {code: cell.by_code.get(code, cell.shared) for code in codes}


def quote_cell_text(codes: list[str], quotes: dict[str, str]) -> str:
    """The cell for a segment whose codes have these quotes: one quote when all codes share it."""
    distinct = {quotes.get(code, "") for code in codes}
    if len(distinct) <= 1:
        return distinct.pop() if distinct else ""
    return "\n".join(f"{code}: {quotes[code]}" for code in codes if quotes.get(code))
