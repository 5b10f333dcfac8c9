"""Page and column layout of the Word tables: widths, two-level headers, landscape pages.

A quote table gets a narrow code column and shares the rest among the groups.
The prevalence table's columns read "Clinical managers (n=10): participants";
in Word they become a two-row header (the group over its measures), and when
its number columns cannot fit a portrait page the table gets a landscape page.
"""

from __future__ import annotations

from slqual.reports.model import Table, TableKind

QUOTE_LABEL_INCHES = 1.4
NUMBER_INCHES = 1.0  # a "10 (100%)" or bold "Participants" column at 9 points
LABEL_SHARE = 0.4  # of the label width, for the Theme column; the Code column has the rest
MIN_LABELS_INCHES = 2.6
LANDSCAPE_MARGIN_INCHES = 1.0


def label_columns(table: Table) -> int:
    """How many columns at the left name the row (Code; or Theme and Code)."""
    k = len(table.frame.columns)
    return 1 if table.kind is TableKind.quotes or k <= 2 else 2


def needs_landscape(table: Table, portrait_width: float) -> bool:
    """True for a counts table whose number columns do not fit the portrait text width."""
    if table.kind is not TableKind.counts:
        return False
    numbers = len(table.frame.columns) - label_columns(table)
    return MIN_LABELS_INCHES + NUMBER_INCHES * numbers > portrait_width


def column_widths(table: Table, text_width: float) -> list[float]:
    """Column widths in inches that add up to ``text_width``."""
    k = len(table.frame.columns)
    labels = label_columns(table)
    if k <= labels:
        return [text_width / k] * k
    if table.kind is TableKind.quotes or labels == 1:
        rest = (text_width - QUOTE_LABEL_INCHES) / (k - 1)
        return [QUOTE_LABEL_INCHES] + [rest] * (k - 1)
    numbers = k - labels
    number = min(NUMBER_INCHES, (text_width - MIN_LABELS_INCHES) / numbers)
    label_width = text_width - number * numbers
    return [label_width * LABEL_SHARE, label_width * (1 - LABEL_SHARE)] + [number] * numbers


def header_levels(table: Table) -> list[tuple[str, str]] | None:
    """(top, below) header text per column for a two-row header, or None for one row.

    Columns named "Group (n=10): participants" give ("Group (n=10)", "Participants");
    other columns span both rows and give (name, "").
    """
    if table.kind is not TableKind.counts:
        return None
    levels = []
    for name in map(str, table.frame.columns):
        top, sep, below = name.rpartition(": ")
        levels.append((top, below[:1].upper() + below[1:]) if sep else (name, ""))
    return levels if any(below for _, below in levels) else None


def spans(levels: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """Runs (first, last) of neighbouring columns that share a top header and have a lower one."""
    runs: list[tuple[int, int]] = []
    for j, (top, below) in enumerate(levels):
        if below and runs and j == runs[-1][1] + 1 and levels[runs[-1][0]][0] == top:
            runs[-1] = (runs[-1][0], j)
        elif below:
            runs.append((j, j))
    return runs


def set_orientation(document, landscape: bool) -> None:
    """Start a new section in the wanted orientation, unless the current one has it."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.sections[-1]
    if (section.page_width > section.page_height) == landscape:
        return
    first = document.sections[0]
    width, height = section.page_width, section.page_height
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = height, width
    if landscape:  # 1-inch side margins: a 9-inch text width on a landscape Letter page
        from docx.shared import Inches

        section.left_margin = section.right_margin = Inches(LANDSCAPE_MARGIN_INCHES)
    else:
        section.left_margin = section.right_margin = first.left_margin


def text_width(document) -> float:
    """The text width of the current section, in inches."""
    section = document.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 914400
