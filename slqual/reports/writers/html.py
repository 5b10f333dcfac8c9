"""HTML: one self-contained file (styles inline, figures as base64 PNG), no external references.

It opens offline, can be sent as one attachment, and prints cleanly (tables
keep their header on each page; the contents list is hidden in print).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape as html_escape
from pathlib import Path

from slqual.cells import plain_text, xml_safe
from slqual.fileio import atomic_write_text
from slqual.reports.model import Figure, QuoteCell, Report, ReportFormat, Table
from slqual.reports.writers.base import ReportWriter

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 70em; margin: 2em auto; padding: 0 1em;
       color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: .2em; }
p.subtitle { color: #555; margin-top: 0; }
nav { background: #f5f5f0; border: 1px solid #ddd; padding: .5em 1.5em; }
nav ol { margin: .3em 0; }
div.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; margin: .5em 0 1em; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
table.quotes { min-width: 34em; }
table.counts { min-width: 40em; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
th, td { border-top: 1px solid #bbb; border-bottom: 1px solid #bbb; padding: .4em .6em; vertical-align: top;
         text-align: left; }
thead th { border-top: 2px solid #333; border-bottom: 1.5px solid #333; background: #fafafa; }
tbody tr:last-child td { border-bottom: 2px solid #333; }
td.empty { color: #888; }
p.quote { margin: 0 0 .5em; }
p.quote:last-child { margin-bottom: 0; }
p.note { font-size: .88em; color: #444; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: .9em; color: #444; }
@media (max-width: 40em) {
  body { margin: 1em auto; padding: 0 .6em; font-size: 15px; }
  h1 { font-size: 1.35em; }
  h2 { font-size: 1.05em; }
  nav { padding: .4em .8em; }
  th, td { padding: .3em .4em; }
}
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
  div.scroll { overflow: visible; }
  table { page-break-inside: auto; min-width: 0; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  figure { page-break-inside: avoid; break-inside: avoid; }
}
"""


def escape(text: object) -> str:
    """Text as inert HTML: control characters gone, < > & and quotes escaped."""
    return html_escape(plain_text(text))


def html_cell(value: object) -> str:
    if isinstance(value, QuoteCell):
        if not value.quotes:
            return f'<td class="empty">{escape(value.empty_text)}</td>'
        quotes = "".join(
            f'<p class="quote"><em>\u201c{escape(q.text)}\u201d</em> {escape(q.attribution)}</p>'
            for q in value.quotes
        )
        return f"<td>{quotes}</td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="number">{escape(str(value))}</td>'
    return f"<td>{escape('' if value is None else str(value))}</td>"


def html_table(table: Table, anchor: str) -> str:
    frame = table.frame
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "\n".join(
        "<tr>" + "".join(html_cell(v) for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (
        f'<section id="{anchor}">\n<h2>{escape(table.caption)}</h2>\n<div class="scroll">'
        f'<table class="{table.kind.value}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n'
        f"</table></div>\n{note}\n</section>"
    )


def html_figure(figure: Figure, number: int, anchor: str) -> str:
    png = figure.path(".png")
    if png is None:
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    caption = f"Figure {number}. {figure.caption}"
    return (
        f'<section id="{anchor}">\n<h2>{escape(figure.title)}</h2>\n<figure>'
        f'<img alt="{escape(figure.title)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>\n</section>"
    )


class HtmlWriter(ReportWriter):
    format = ReportFormat.html

    def render(self, report: Report, figures: Sequence[Figure]) -> str:
        tables = self.tables(report)
        entries = [(f"table-{i}", t.caption) for i, t in enumerate(tables, start=1)]
        entries += [(f"figure-{i}", f"Figure {i}. {f.title}") for i, f in enumerate(figures, start=1)]
        toc = "".join(f'<li><a href="#{a}">{escape(text)}</a></li>' for a, text in entries)
        sections = [html_table(t, f"table-{i}") for i, t in enumerate(tables, start=1)]
        sections += [html_figure(f, i, f"figure-{i}") for i, f in enumerate(figures, start=1)]
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f'<h1>{escape(report.title)}</h1>\n<p class="subtitle">{escape(report.subtitle)}</p>\n'
            + (f'<p class="subtitle">{escape(report.coverage.statement())}</p>\n' if report.coverage else "")
            + f"<nav><strong>Contents</strong><ol>{toc}</ol></nav>\n"
            + "\n".join(s for s in sections if s)
            + "\n</body>\n</html>\n"
        )

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        path = out_dir / "report.html"
        atomic_write_text(path, xml_safe(self.render(report, figures)))
        return [path]
