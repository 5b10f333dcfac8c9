"""LaTeX: report.tex, a complete document with booktabs longtables, every character escaped.

Compile with pdflatex or lualatex; copy a table's longtable into a manuscript
that loads booktabs and longtable.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slqual.cells import plain_text
from slqual.fileio import atomic_write_text
from slqual.reports.model import Figure, QuoteCell, Report, ReportFormat, Table, TableKind
from slqual.reports.writers.base import ReportWriter, relative
from slqual.reports.writers.docx_layout import needs_landscape

PORTRAIT_INCHES = 6.69  # the text width of A4 with 2 cm margins

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
    # A row starting with [ after \\ would be read as \\[length]: braces keep both brackets text.
    "[": "{[}",
    "]": "{]}",
}
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[margin=2cm]{geometry}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{array}
\usepackage{graphicx}
\usepackage{caption}
\usepackage{pdflscape}
\newcolumntype{P}[1]{>{\raggedright\arraybackslash}p{#1}}
\newcolumntype{R}[1]{>{\raggedleft\arraybackslash}p{#1}}
% Table headers: bold, never hyphenated.
\newcommand{\thead}[1]{{\bfseries\hyphenpenalty=10000\exhyphenpenalty=10000 #1\par}}
\setlength{\LTpre}{6pt}
\setlength{\LTpost}{4pt}
\begin{document}
"""


def escape_tex(text: object) -> str:
    """Text safe in LaTeX: special characters escaped, control characters gone, whitespace collapsed."""
    return "".join(_ESCAPES.get(ch, ch) for ch in " ".join(plain_text(text).split()))


def tex_cell(value: object) -> str:
    if isinstance(value, QuoteCell):
        if not value.quotes:
            return escape_tex(value.empty_text)
        return r" \newline ".join(
            rf"\textit{{``{escape_tex(q.text)}''}}~{escape_tex(q.attribution)}" for q in value.quotes
        )
    return escape_tex("" if value is None else value)


def _width(share: float, kind: str = "P") -> str:
    # A p column's width excludes the padding either side of it, so that is taken off:
    # shares summing to at most 1 then fit the text width without overfull boxes.
    share = int(share * 1000) / 1000  # rounded down, so the columns never add up to more than 1
    return f"{kind}{{\\dimexpr {share:.3f}\\linewidth-2\\tabcolsep\\relax}}"


def _numeric(table: Table, column: object) -> bool:
    """A column of numbers or counts ("3 (100%)", "<0.001"): right-aligned."""
    values = [v for v in table.frame[column].tolist() if v is not None and str(v) != ""]
    if not values:
        return False
    return all(isinstance(v, int | float) or str(v)[:1].isdigit() or str(v).startswith("<") for v in values)


def _number_share(table: Table, numbers: int) -> float:
    """The share of the line width each number column gets (less on a landscape page)."""
    if not numbers:
        return 0.0
    if needs_landscape(table, PORTRAIT_INCHES):
        return min(0.09, 0.7 / numbers)
    return min(0.12, 0.8 / numbers)


def column_spec(table: Table) -> str:
    """Ragged-right paragraph columns for text; right-aligned columns for numbers; widths adding up to 1."""
    columns = list(table.frame.columns)
    k = len(columns)
    if table.kind is TableKind.quotes:
        rest = 0.8 / max(k - 1, 1)
        return _width(0.2) + _width(rest) * (k - 1)
    numeric = [_numeric(table, c) for c in columns]
    texts = numeric.count(False)
    numbers = k - texts
    number = _number_share(table, numbers)
    text = (1.0 - number * numbers) / max(texts, 1)
    return "".join(_width(number, "R") if n else _width(text) for n in numeric)


def tex_header(table: Table) -> str:
    """The header rows: one row of bold names, or for 'Group (n=3): participants' columns two rows,
    the group spanning its measures above them (as in the Word report). Never hyphenated."""
    from slqual.reports.writers.docx_layout import header_levels, spans

    columns = list(table.frame.columns)
    levels = header_levels(table)
    if not levels:
        return " & ".join(f"\\thead{{{escape_tex(c)}}}" for c in columns) + r" \\"
    numeric = [_numeric(table, c) for c in columns]
    number = _number_share(table, sum(numeric))
    starts = dict(spans(levels))
    top, rules, j = [], [], 0
    while j < len(levels):
        name, below = levels[j]
        last = starts.get(j, j) if below else j
        if below:
            width = int((last - j + 1) * number * 1000) / 1000
            spec = (
                f">{{\\centering\\arraybackslash}}p{{\\dimexpr {width:.3f}\\linewidth-2\\tabcolsep\\relax}}"
            )
            top.append(f"\\multicolumn{{{last - j + 1}}}{{{spec}}}{{\\thead{{{escape_tex(name)}}}}}")
            rules.append(f"\\cmidrule(lr){{{j + 1}-{last + 1}}}")
        else:
            top.append("")
        j = last + 1
    # Measures and other number columns in small regular type: their columns are narrow.
    lower = [
        f"\\thead{{\\scriptsize\\mdseries {escape_tex(below or name)}}}"
        if below or numeric[j]
        else f"\\thead{{{escape_tex(name)}}}"
        for j, (name, below) in enumerate(levels)
    ]
    return " & ".join(top) + r" \\ " + " ".join(rules) + "\n" + " & ".join(lower) + r" \\"


def tex_table(table: Table) -> str:
    frame = table.frame
    header = tex_header(table)
    size = r"\footnotesize\setlength{\tabcolsep}{3pt}" if table.kind is TableKind.counts else r"\small"
    lines = [
        "{" + size,
        rf"\begin{{longtable}}{{@{{}}{column_spec(table)}@{{}}}}",
        rf"\caption*{{{escape_tex(table.caption)}}} \\",
        r"\toprule",
        header,
        r"\midrule",
        r"\endfirsthead",
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
        lines += [r"{\footnotesize " + escape_tex(table.note) + r"\par}", ""]
    if needs_landscape(table, PORTRAIT_INCHES):  # as in Word: a wide counts table gets a landscape page
        lines = [r"\begin{landscape}", *lines, r"\end{landscape}"]
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
        if report.coverage is not None:
            parts += [escape_tex(report.coverage.statement()), ""]
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
