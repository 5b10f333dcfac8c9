"""Text made safe for the cells of spreadsheets and XML-based files.

Coding sheets, the disagreements file and reports all hand transcript text to
Excel, Word or a browser. Three things can go wrong there: a spreadsheet runs
text starting with = + - @ as a formula (OWASP "CSV injection"), XML cannot
hold some control characters, and Excel calls a file with a cell over 32,767
characters damaged. Each guard lives here once.
"""

from __future__ import annotations

import re
from typing import Any

# Text a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML (docx, xlsx, html) cannot hold: control characters (tab, newline and return
# are allowed), the non-characters U+FFFE and U+FFFF, and lone surrogates. A vertical tab is
# Word's line break (Shift+Enter) and a form feed its page break: both stay breaks, as new lines.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\x0b\x0c]")
EXCEL_CELL_LIMIT = 32_767  # characters
CUT_NOTE = (
    " \u2026 [cut here: an Excel cell holds at most 32,767 characters; the full text is in segments.csv]"
)


def xml_safe(text: str) -> str:
    """Text without the characters XML-based formats refuse (Word's breaks become new lines)."""
    return _NOT_XML.sub("", _BREAKS.sub("\n", text))


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value: object) -> str:
    """A CSV cell a spreadsheet would take for a formula, prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


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
