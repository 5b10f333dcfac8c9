"""LaTeX: report.tex, a complete document with booktabs longtables, every character escaped.

Compile with pdflatex or lualatex; copy a table's longtable into a manuscript
that loads booktabs and longtable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slqual.fileio import atomic_write_text
from slqual.reports.model import Figure, QuoteCell, Report, ReportFormat, Table, TableKind
from slqual.reports.writers.base import ReportWriter, relative

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[margin=2cm]{geometry}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{array}
\usepackage{graphicx}
\newcolumntype{P}[1]{>{\raggedright\arraybackslash}p{#1}}
\begin{document}
"""


def escape_tex(text: object) -> str:
    """Text safe in LaTeX: special characters escaped, whitespace collapsed."""
    return "".join(_ESCAPES.get(ch, ch) for ch in " ".join(str(text).split()))


def tex_cell(value: object) -> str:
    if isinstance(value, QuoteCell):
        if not value.quotes:
            return escape_tex(value.empty_text)
        return r" \newline ".join(
            rf"\textit{{``{escape_tex(q.text)}''}}~{escape_tex(q.attribution)}" for q in value.quotes
        )
    return escape_tex("" if value is None else value)


def _width(share: float) -> str:
    # A p column's width excludes the padding either side of it, so that is taken off:
    # shares summing to at most 1 then fit the text width without overfull boxes.
    share = int(share * 1000) / 1000  # rounded down, so the columns never add up to more than 1
    return f"P{{\\dimexpr {share:.3f}\\linewidth-2\\tabcolsep\\relax}}"


def column_spec(table: Table) -> str:
    k = len(table.frame.columns)
    if table.kind is TableKind.quotes:
        rest = 0.8 / max(k - 1, 1)
        return _width(0.2) + _width(rest) * (k - 1)
    first = 2 if k > 2 else 1
    rest = (1.0 - 0.15 * first) / max(k - first, 1)
    return _width(0.15) * first + _width(rest) * (k - first)


def tex_table(table: Table) -> str:
    frame = table.frame
    header = " & ".join(rf"\textbf{{{escape_tex(c)}}}" for c in frame.columns) + r" \\"
    lines = [
        r"{\small",
        rf"\begin{{longtable}}{{{column_spec(table)}}}",
        rf"\caption*{{{escape_tex(table.caption)}}} \\",
        r"\toprule",
        header,
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endfoot",
    ]
    lines.extend(" & ".join(tex_cell(v) for v in row) + r" \\" for row in frame.itertuples(index=False))
    lines += [r"\end{longtable}", "}"]
    if table.note:
        lines += [r"{\footnotesize " + escape_tex(table.note) + "}", ""]
    return "\n".join(lines)


class LatexWriter(ReportWriter):
    format = ReportFormat.tex

    def render(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> str:
        parts = [
            PREAMBLE,
            rf"\section*{{{escape_tex(report.title)}}}",
            escape_tex(report.subtitle),
            "",
        ]
        for table in self.tables(report):
            parts += [tex_table(table), ""]
        for number, figure in enumerate(figures, start=1):
            png = figure.path(".png")
            if png is None:
                continue
            parts += [
                r"\begin{figure}[htbp]",
                r"\centering",
                rf"\includegraphics[width=\linewidth]{{{relative(png, out_dir)}}}",
                rf"\caption*{{Figure {number}. {escape_tex(figure.caption)}}}",
                r"\end{figure}",
                "",
            ]
        parts.append(r"\end{document}")
        return "\n".join(parts) + "\n"

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        path = out_dir / "report.tex"
        atomic_write_text(path, self.render(report, out_dir, figures))
        return [path]
