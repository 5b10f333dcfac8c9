"""DOCX: Word tables ready for a manuscript, each with its caption and a header row.

Quotes are in italics followed by their attribution in roman, one paragraph
per quote; the header row repeats on every page a table runs over.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slqual.cells import plain_text
from slqual.fileio import atomic_write_bytes
from slqual.reports.model import Figure, QuoteCell, Report, ReportFormat, Table, TableKind
from slqual.reports.writers.base import ReportWriter
from slqual.reports.writers.docx_layout import (
    column_widths,
    header_levels,
    needs_landscape,
    set_orientation,
    spans,
    text_width,
)
from slqual.reports.writers.docx_parts import (
    caption,
    journal_styles,
    page_numbers,
    page_setup,
    row_flags,
    three_rules,
)

FIGURE_WIDTH_INCHES = 6.0
FIGURE_MAX_HEIGHT_INCHES = 8.4  # portrait text height less a caption
LANDSCAPE_FIGURES = {"thematic_map"}  # wide figures get a landscape page
COUNTS_POINTS = 9
QUOTE_SPACE_POINTS = 6


def _size_properties(size):
    """Run properties holding a type size only, copied into each run of a table: the same XML as
    ``run.font.size = size``, without python-docx's schema-ordered insertion run by run."""
    from docx.oxml import OxmlElement

    properties = OxmlElement("w:rPr")
    properties.sz_val = size
    return properties


def _run(paragraph, text: str, properties):
    """``paragraph.add_run(text)`` with a copy of ``properties``. python-docx reads the text character
    by character for tabs and breaks; text without them goes into one <w:t> as it would."""
    if "\t" in text or "\n" in text or "\r" in text:
        run = paragraph.add_run(text)
    else:
        run = paragraph.add_run()
        if text:
            run._r.add_t(text)
    run._r.insert(0, deepcopy(properties))
    return run


@dataclass(frozen=True)
class CellLooks:
    """Prepared properties a table's body cells copy: the same XML python-docx's setters write
    (type size, italic quotes, space after a quote, numbers to the right), made once per table."""

    size: Any  # w:rPr with the type size
    italic: Any  # w:rPr with italic and the type size
    spaced: Any  # w:pPr with the space after a quote
    right: Any  # w:pPr aligned right


def cell_looks(size) -> CellLooks:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    italic = deepcopy(properties := _size_properties(size))
    italic._set_bool_val("i", True)
    spaced, right = OxmlElement("w:pPr"), OxmlElement("w:pPr")
    spaced.spacing_after = Pt(QUOTE_SPACE_POINTS)
    right.jc_val = WD_ALIGN_PARAGRAPH.RIGHT
    return CellLooks(properties, italic, spaced, right)


def _space_after(paragraph) -> None:
    from docx.shared import Pt

    paragraph.paragraph_format.space_after = Pt(QUOTE_SPACE_POINTS)


def _right(paragraph) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _paragraph_look(paragraph, properties, setter: Callable[[Any], None]) -> None:
    """A copy of ``properties`` as the paragraph's first child, as ``setter`` would put it there;
    a paragraph that has properties already (none has in a new cell) goes through ``setter``."""
    if paragraph._p.pPr is None:
        paragraph._p.insert(0, deepcopy(properties))
    else:
        setter(paragraph)


def _fill(cell, value: object, looks: CellLooks) -> None:
    """The cell's text in runs whose properties are copies of the table's prepared ``looks``."""
    paragraph = cell.paragraphs[0]
    if isinstance(value, QuoteCell):
        if not value.quotes:
            _run(paragraph, plain_text(value.empty_text), looks.size)
            return
        for i, quote in enumerate(value.quotes):
            if i:
                paragraph = cell.add_paragraph()
            if i < len(value.quotes) - 1:  # a little space between two quotes in one cell
                _paragraph_look(paragraph, looks.spaced, _space_after)
            _run(paragraph, plain_text(f"\u201c{quote.text}\u201d"), looks.italic)
            _run(paragraph, plain_text(f" {quote.attribution}"), looks.size)
        return
    _run(paragraph, plain_text("" if value is None else str(value)), looks.size)
    if looks_numeric(value):
        _paragraph_look(paragraph, looks.right, _right)


def _two_level_header(grid, levels: list[tuple[str, str]]) -> None:
    """The group over its measures; a column without a measure spans both header rows."""
    top, below = grid.rows[0].cells, grid.rows[1].cells
    for j, (_, measure) in enumerate(levels):
        if not measure:
            top[j].merge(below[j])
    for first, last in spans(levels):
        if last > first:
            top[first].merge(top[last])
    for j, (name, measure) in enumerate(levels):
        if not measure or j in {first for first, _ in spans(levels)}:
            grid.cell(0, j).paragraphs[0].add_run(plain_text(name)).bold = True
        if measure:
            grid.cell(1, j).paragraphs[0].add_run(plain_text(measure)).bold = True


def _set_widths(grid, widths: list[float]) -> None:
    # Word takes a column's width from its cells, so every cell gets one.
    from docx.shared import Inches

    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Inches(width)
        for cell in column.cells:
            cell.width = Inches(width)


def looks_numeric(value: object) -> bool:
    """A number, or a count like '9 (90%)' or a p value like '<0.001': right-aligned."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    text = str(value)
    return bool(text) and (text[0].isdigit() or text.startswith("<")) and not any(c.isalpha() for c in text)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header."""
    head = path.read_bytes()[16:24]
    return int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")


class DocxWriter(ReportWriter):
    format = ReportFormat.docx

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        from docx import Document
        from docx.shared import Inches

        document = Document()
        journal_styles(document)
        page_setup(document.sections[0], report.options.paper.value)
        page_numbers(document.sections[0])
        document.core_properties.title = " ".join(plain_text(report.title).split())
        document.add_heading(plain_text(report.title), level=1)
        document.add_paragraph(plain_text(report.subtitle))
        if report.coverage is not None:
            document.add_paragraph(plain_text(report.coverage.statement()))
        portrait_width = text_width(document)
        first = True
        for table in self.tables(report):
            set_orientation(document, needs_landscape(table, portrait_width))
            self._table(document, table, restart=first)
            first = False
        for number, figure in enumerate(figures, start=1):
            png = figure.path(".png")
            if png is None:
                continue
            set_orientation(document, figure.key in LANDSCAPE_FIGURES)
            width_px, height_px = png_size(png)
            section = document.sections[-1]
            room_w = text_width(document)
            room_h = (section.page_height - section.top_margin - section.bottom_margin) / 914400 - 0.6
            width = min(room_w, room_h * width_px / max(height_px, 1))
            document.add_picture(str(png), width=Inches(width))
            document.paragraphs[-1].paragraph_format.keep_with_next = True
            caption(document, "Figure", number, figure.caption, restart=number == 1)
        set_orientation(document, False)
        buffer = io.BytesIO()
        document.save(buffer)
        path = out_dir / "report.docx"
        atomic_write_bytes(path, buffer.getvalue())
        return [path]

    def _table(self, document, table: Table, restart: bool) -> None:
        from docx.shared import Pt

        frame = table.frame
        if table.number:
            caption(document, "Table", table.number, table.caption_text, restart=restart)
        else:
            document.add_paragraph(plain_text(table.caption), style="Caption")
        levels = header_levels(table)
        heads = 2 if levels else 1
        grid = document.add_table(rows=heads, cols=len(frame.columns))
        for row in grid.rows:
            row_flags(row, header=True)
        if levels:
            _two_level_header(grid, levels)
        else:
            for cell, name in zip(grid.rows[0].cells, frame.columns, strict=True):
                cell.paragraphs[0].add_run(plain_text(str(name))).bold = True
        # Widths before the body rows: a row added later takes its cells' widths from the columns.
        _set_widths(grid, column_widths(table, text_width(document)))
        size = Pt(COUNTS_POINTS if table.kind is TableKind.counts else 10)
        for i, row in enumerate(grid.rows):  # many narrow columns: smaller type keeps "10 (100%)" whole
            small = levels is not None and i == 1  # "Participants" under its group, in a narrow column
            for cell in row.cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.font.size = Pt(COUNTS_POINTS - 1) if small else size
        looks = cell_looks(size)
        empty_row = None  # a body row as python-docx adds it, copied for the next rows
        for values in frame.itertuples(index=False):
            if empty_row is None:
                row = grid.add_row()
                row_flags(row, header=False)
                empty_row = deepcopy(row._tr)
            else:
                grid._tbl.append(deepcopy(empty_row))
                row = grid.rows[-1]
            for cell, value in zip(row.cells, values, strict=True):
                _fill(cell, value, looks)
        three_rules(grid, heads)
        if table.note:
            # The last row keeps with the note, so a page never opens with a table's note alone.
            for cell in grid.rows[-1].cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
            note = document.add_paragraph()
            note.add_run(plain_text(table.note)).italic = True
            note.runs[0].font.size = Pt(9)
        document.add_paragraph()
