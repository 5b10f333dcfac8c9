"""DOCX: Word tables ready for a manuscript, each with its caption and a header row.

Quotes are in italics followed by their attribution in roman, one paragraph
per quote; the header row repeats on every page a table runs over.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from slqual.cells import xml_safe
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

FIGURE_WIDTH_INCHES = 6.0
COUNTS_POINTS = 9


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _fill(cell, value: object) -> None:
    paragraph = cell.paragraphs[0]
    if isinstance(value, QuoteCell):
        if not value.quotes:
            paragraph.add_run(xml_safe(value.empty_text))
            return
        for i, quote in enumerate(value.quotes):
            if i:
                paragraph = cell.add_paragraph()
            paragraph.add_run(xml_safe(f"\u201c{quote.text}\u201d")).italic = True
            paragraph.add_run(xml_safe(f" {quote.attribution}"))
        return
    paragraph.add_run(xml_safe("" if value is None else str(value)))


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
            grid.cell(0, j).paragraphs[0].add_run(xml_safe(name)).bold = True
        if measure:
            grid.cell(1, j).paragraphs[0].add_run(xml_safe(measure)).bold = True


def _set_widths(grid, widths: list[float]) -> None:
    # Word takes a column's width from its cells, so every cell gets one.
    from docx.shared import Inches

    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Inches(width)
        for cell in column.cells:
            cell.width = Inches(width)


class DocxWriter(ReportWriter):
    format = ReportFormat.docx

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        from docx import Document
        from docx.shared import Inches

        document = Document()
        document.core_properties.title = xml_safe(report.title)
        document.add_heading(xml_safe(report.title), level=1)
        document.add_paragraph(xml_safe(report.subtitle))
        portrait_width = text_width(document)
        for table in self.tables(report):
            set_orientation(document, needs_landscape(table, portrait_width))
            self._table(document, table)
        set_orientation(document, False)
        for number, figure in enumerate(figures, start=1):
            png = figure.path(".png")
            if png is None:
                continue
            document.add_picture(str(png), width=Inches(FIGURE_WIDTH_INCHES))
            document.add_paragraph(f"Figure {number}. {figure.caption}", style=self._caption_style(document))
        buffer = io.BytesIO()
        document.save(buffer)
        path = out_dir / "report.docx"
        atomic_write_bytes(path, buffer.getvalue())
        return [path]

    @staticmethod
    def _caption_style(document) -> str | None:
        names = {s.name for s in document.styles}
        return "Caption" if "Caption" in names else None

    def _table(self, document, table: Table) -> None:
        frame = table.frame
        document.add_paragraph(xml_safe(table.caption), style=self._caption_style(document))
        levels = header_levels(table)
        heads = 2 if levels else 1
        grid = document.add_table(rows=heads, cols=len(frame.columns))
        if "Table Grid" in {s.name for s in document.styles}:
            grid.style = "Table Grid"
        for row in grid.rows:
            _repeat_header(row)
        if levels:
            _two_level_header(grid, levels)
        else:
            for cell, name in zip(grid.rows[0].cells, frame.columns, strict=True):
                cell.paragraphs[0].add_run(xml_safe(str(name))).bold = True
        for values in frame.itertuples(index=False):
            row = grid.add_row()
            for cell, value in zip(row.cells, values, strict=True):
                _fill(cell, value)
        _set_widths(grid, column_widths(table, text_width(document)))
        if table.kind is TableKind.counts:  # many narrow columns: smaller type keeps "10 (100%)" whole
            from docx.shared import Pt

            for row in grid.rows:
                for cell in row.cells:
                    for run in (r for p in cell.paragraphs for r in p.runs):
                        run.font.size = Pt(COUNTS_POINTS)
        if table.note:
            document.add_paragraph(table.note).runs[0].italic = True
        document.add_paragraph()
