"""One writer per report format, all behind :class:`ReportWriter`."""

from __future__ import annotations

from slqual.reports.model import ReportFormat
from slqual.reports.writers.base import ReportWriter
from slqual.reports.writers.csv import CsvWriter
from slqual.reports.writers.docx import DocxWriter
from slqual.reports.writers.html import HtmlWriter
from slqual.reports.writers.latex import LatexWriter
from slqual.reports.writers.markdown import MarkdownWriter
from slqual.reports.writers.xlsx import XlsxWriter

WRITERS: dict[ReportFormat, type[ReportWriter]] = {
    ReportFormat.md: MarkdownWriter,
    ReportFormat.csv: CsvWriter,
    ReportFormat.xlsx: XlsxWriter,
    ReportFormat.docx: DocxWriter,
    ReportFormat.tex: LatexWriter,
    ReportFormat.html: HtmlWriter,
}


def get_writer(fmt: ReportFormat) -> ReportWriter:
    return WRITERS[ReportFormat(fmt)]()


__all__ = ["WRITERS", "ReportWriter", "get_writer"]
