"""Text made safe for the cells of spreadsheets and XML-based files.

Coding sheets, the disagreements file, codebook exports and reports all hand
transcript text to Excel, Word, a Markdown viewer or a browser. Four things can
go wrong there: a spreadsheet runs text starting with = + - @ as a formula
(OWASP "CSV injection"), also after leading spaces or a tab; XML cannot hold
some control characters; Markdown turns ``![x](http://...)`` into a remote
image and passes HTML through; and Excel calls a file with a cell over 32,767
characters damaged. Each guard lives here once.
"""

from __future__ import annotations

import re
from typing import Any

# Text a spreadsheet would run as a formula: starting with one of these, also after leading whitespace.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CHARS = "=+-@"
_FORMULA_FIRST = frozenset(FORMULA_START)
_FORMULA_CHARS = frozenset(FORMULA_CHARS)
# Characters XML (docx, xlsx, html) cannot hold: control characters (tab, newline and return
# are allowed), the non-characters U+FFFE and U+FFFF, and lone surrogates. A vertical tab is
# Word's line break (Shift+Enter) and a form feed its page break: both stay breaks, as new lines.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\x0b\x0c]")
_ASCII_NOT_XML = tuple(chr(c) for c in range(32) if chr(c) not in "\t\n\r")  # what the two catch in ASCII
EXCEL_CELL_LIMIT = 32_767  # characters
CUT_NOTE = (
    " \u2026 [cut here: an Excel cell holds at most 32,767 characters; the full text is in segments.csv]"
)


def xml_safe(text: str) -> str:
    """Text without the characters XML-based formats refuse (Word's breaks become new lines)."""
    return _NOT_XML.sub("", _BREAKS.sub("\n", text))


def is_xml_safe(text: str) -> bool:
    """True when ``xml_safe`` leaves ``text`` as it is (check many values at once by joining them)."""
    if text.isascii():  # no surrogates or non-characters: look for each control character (memchr-fast)
        return not any(control in text for control in _ASCII_NOT_XML)
    return _NOT_XML.search(text) is None and _BREAKS.search(text) is None


def plain_text(text: object) -> str:
    """Text without control characters: vertical tab and form feed (Word's line and page breaks)
    become a newline, other control characters (ESC, NUL, ...) and lone surrogates go."""
    value = "" if text is None else str(text)
    return xml_safe(value.replace("\x0b", "\n").replace("\x0c", "\n"))


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet would run: = + - @ first (also after whitespace), or a tab or CR first."""
    if not isinstance(value, str) or not value:
        return False
    first = value[0]
    if first in _FORMULA_FIRST:
        return True
    # Only text that starts with whitespace is stripped (a report checks 10,000s of long texts).
    return first.isspace() and value.lstrip()[:1] in _FORMULA_CHARS


def csv_text(value: object) -> str:
    """A CSV cell a spreadsheet would take for a formula, prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_frame(frame, plain: bool = False):
    """A DataFrame ready for a CSV a person may open: every text cell through ``csv_text``.

    Numbers stay numbers. ``plain=True`` (``--csv-plain``) returns the frame unchanged,
    for R and pandas users who want the raw text.
    """
    if plain:
        return frame
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if is_numeric_dtype(out[column]):
            continue
        values = out[column].tolist()
        # Each distinct text is checked once; a column with nothing to guard is left as it is.
        guarded = {v: csv_text(v) for v in set(values) if isinstance(v, str) and looks_like_formula(v)}
        if guarded:
            out[column] = [guarded.get(v, v) if isinstance(v, str) else v for v in values]
    out.columns = [csv_text(str(c)) for c in out.columns]
    return out


def from_csv_text(value: str) -> str:
    """Undo ``csv_text`` on a value read back from a CSV file."""
    return value[1:] if value.startswith("'") and looks_like_formula(value[1:]) else value


def excel_text(text: str) -> str:
    """Text as an xlsx cell can hold it: XML-safe, and cut (saying so) to Excel's cell limit."""
    text = xml_safe(text)
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    return text[: EXCEL_CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE


def text_cell(sheet: Any, value: object, font: Any = None, alignment: Any = None) -> Any:
    """An openpyxl write-only cell whose text fits (``excel_text``) and is never a formula."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = excel_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if looks_like_formula(value):
        cell.data_type = "s"  # text, never a formula
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


# Markdown syntax characters: emphasis, code, tables, headings, links and images, HTML and entities.
_MD_SPECIAL = re.compile(r"([\\`*_|<>#!\[\]()&~])")


def markdown_text(text: object) -> str:
    """Text that stays text in Markdown: control characters gone, every syntax character escaped.

    ``![pixel](http://evil.example/p.png)`` cannot become a remote image, nor
    ``<script>`` live HTML: a backslash-escaped character is always literal.
    Line breaks are kept; callers that need one line collapse whitespace first.
    """
    return _MD_SPECIAL.sub(r"\\\1", plain_text(text))
