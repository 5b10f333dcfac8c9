"""Markdown: one report.md with pipe tables, quotes in italics, figures linked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slqual.cells import markdown_text, plain_text
from slqual.fileio import atomic_write_text
from slqual.reports.model import Figure, QuoteCell, Report, ReportFormat, Table
from slqual.reports.writers.base import ReportWriter, relative


def escape_md(text: object) -> str:
    """Text safe inside a Markdown table cell: one line, every syntax character escaped.

    Links, images (``![x](http://...)``, a tracking pixel) and HTML in a transcript
    come out as literal text (``slqual.cells.markdown_text``).
    """
    return markdown_text(" ".join(plain_text(text).split()))


def md_cell(value: object) -> str:
    if isinstance(value, QuoteCell):
        if not value.quotes:
            return escape_md(value.empty_text)
        return "<br>".join(
            f"*\u201c{escape_md(q.text)}\u201d* {escape_md(q.attribution)}" for q in value.quotes
        )
    return escape_md("" if value is None else value)


def md_table(table: Table) -> str:
    frame = table.frame
    lines = [
        "| " + " | ".join(escape_md(c) for c in frame.columns) + " |",
        "| " + " | ".join("---" for _ in frame.columns) + " |",
    ]
    lines.extend("| " + " | ".join(md_cell(v) for v in row) + " |" for row in frame.itertuples(index=False))
    return "\n".join(lines)


class MarkdownWriter(ReportWriter):
    format = ReportFormat.md

    def render(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> str:
        parts = [f"# {escape_md(report.title)}", "", escape_md(report.subtitle), ""]
        if report.coverage is not None:
            parts += [escape_md(report.coverage.statement()), ""]
        for table in self.tables(report):
            parts += [f"## {escape_md(table.caption)}", "", md_table(table), ""]
            if table.note:
                parts += [f"_{escape_md(table.note)}_", ""]
        if figures:
            parts += ["## Figures", ""]
            for figure in figures:
                png = figure.path(".png")
                if png is not None:
                    parts += [f"![{escape_md(figure.title)}]({relative(png, out_dir)})", ""]
                parts += [f"_{escape_md(figure.caption)}_", ""]
        return "\n".join(parts).rstrip("\n") + "\n"

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        path = out_dir / "report.md"
        atomic_write_text(path, self.render(report, out_dir, figures))
        return [path]
