"""XLSX: one workbook, a sheet per table, written with XlsxWriter in constant-memory mode.

Every text is written as a string (``write_string``), never as a formula, so
opening a report built from a transcript cannot run anything; text is made to
fit a cell (``slqual.cells.excel_text``). Reading tables get their caption
above a frozen header, wrapped text and row heights computed from the text
length and column width (LibreOffice and Excel do not resize rows on open).
The prevalence table holds counts and shares as numbers with number formats.
Data sheets get a frozen header and an autofilter. Every sheet prints
landscape, fitted to the page width, with its header row repeated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from slqual.cells import excel_text
from slqual.fileio import atomic_write_bytes
from slqual.reports.model import Figure, QuoteCell, Report, ReportFormat, Table, TableKind
from slqual.reports.writers.base import ALL_KINDS, ReportWriter

QUOTE_WIDTH = 60
LABEL_WIDTH = 30
MAX_SHEET_NAME = 31
LINE_POINTS = 15.0  # one line of 11-point Calibri
# Characters of running text per unit of column width (units are "0" widths): measured on Calibri
# and its metric twin Carlito as LibreOffice draws them, with a margin for capitals and wide letters.
CHARS_PER_WIDTH = 1.15
MAX_ROW_POINTS = 409.0  # Excel's largest row height
PAPER = {"a4": 9, "letter": 1}  # XlsxWriter's paper codes


def _is_count(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """Unique sheet names of at most 31 characters, without the characters Excel refuses."""
    names: list[str] = []
    for table in tables:
        base = "".join("_" if ch in "[]:*?/\\" else ch for ch in table.key)[:MAX_SHEET_NAME]
        name, k = base, 2
        while name.lower() in (n.lower() for n in names):
            suffix = f"_{k}"
            name, k = base[: MAX_SHEET_NAME - len(suffix)] + suffix, k + 1
        names.append(name)
    return names


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide.

    Wrapped at word boundaries as Excel and LibreOffice wrap (a line ends before a word that does not
    fit), so a row is as tall as its longest cell really is.
    """
    import textwrap

    per_line = max(1, int(width * CHARS_PER_WIDTH) - 1)
    return sum(max(1, len(textwrap.wrap(line, per_line))) for line in text.split("\n"))


def row_height(texts: Sequence[str], widths: Sequence[float]) -> float:
    """Points for a row whose wrapped cells hold ``texts``: the tallest cell, plus a little padding."""
    lines = max((text_lines(t, w) for t, w in zip(texts, widths, strict=False)), default=1)
    return min(MAX_ROW_POINTS, LINE_POINTS * lines + 3)


def prevalence_numbers(report: Report, table: Table):
    """The prevalence table with numbers: per group participants (n), share (0-1) and segments."""
    import pandas as pd

    counts = report.prevalence
    columns: dict[str, list] = {name: table.frame[name].tolist() for name in table.frame.columns[:2]}
    for g in report.groups:
        columns[f"{g.header}: participants"] = counts[f"{g.value}_participants"].astype(int).tolist()
        columns[f"{g.header}: share"] = counts[f"{g.value}_share"].astype(float).tolist()
        columns[f"{g.header}: segments"] = counts[f"{g.value}_segments"].astype(int).tolist()
    total = int(counts["all_N"].iloc[0]) if len(counts) else 0
    columns[f"All (n={total}): participants"] = counts["all_participants"].astype(int).tolist()
    columns[f"All (n={total}): share"] = counts["all_share"].astype(float).tolist()
    columns[f"All (n={total}): segments"] = counts["all_segments"].astype(int).tolist()
    extra = [c for c in table.frame.columns if "Fisher" in str(c)]
    if extra and "fisher_p" in counts.columns:
        columns[extra[0]] = counts["fisher_p"].astype(float).tolist()
    return pd.DataFrame(columns)


class XlsxWriter(ReportWriter):
    format = ReportFormat.xlsx
    kinds = ALL_KINDS

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        import io

        import xlsxwriter

        buffer = io.BytesIO()
        options = {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        }
        workbook = xlsxwriter.Workbook(buffer, options)
        workbook.set_properties({"title": excel_text(report.title)})
        styles = {
            "caption": workbook.add_format({"bold": True}),
            "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "count": workbook.add_format({"num_format": "0", "valign": "top"}),
            "share": workbook.add_format({"num_format": "0%", "valign": "top"}),
            "p": workbook.add_format({"num_format": "0.000", "valign": "top"}),
            "note": workbook.add_format({"italic": True}),
            "number": workbook.add_format({"num_format": "General"}),
            "data_share": workbook.add_format({"num_format": "0.0%"}),
        }
        tables = self.tables(report)
        paper = PAPER[report.options.paper.value]
        rest = []  # (sheet number, table): long data sheets whose rows after the first go in as XML
        for number, (table, name) in enumerate(zip(tables, sheet_names(tables), strict=True), start=1):
            sheet = workbook.add_worksheet(name)
            sheet.set_landscape()
            sheet.set_paper(paper)
            sheet.fit_to_pages(1, 0)
            if table.kind is TableKind.data:
                self._data_sheet(sheet, table, styles)
                if len(table.frame) > 1:
                    rest.append((number, table))
            else:
                frame = prevalence_numbers(report, table) if table.key == "prevalence" else table.frame
                self._reading_sheet(sheet, table, frame, styles)
        workbook.close()
        data = buffer.getvalue()
        if rest:
            from xlsxwriter.utility import xl_rowcol_to_cell

            from slqual.reports.writers.xlsx_rows import data_rows_xml, fill_sheets

            share = styles["data_share"].xf_index
            bodies = {}
            for number, table in rest:
                frame = table.frame
                shares = {str(c): share for c in frame.columns if str(c).endswith("_share")}
                rows = data_rows_xml(frame.iloc[1:], first_row=3, styles=shares)
                ref = f"A1:{xl_rowcol_to_cell(len(frame), max(len(frame.columns) - 1, 0))}"
                bodies[f"xl/worksheets/sheet{number}.xml"] = (rows, ref)
            data = fill_sheets(data, bodies)
        path = out_dir / "report.xlsx"
        atomic_write_bytes(path, data)
        return [path]

    @staticmethod
    def _reading_sheet(sheet, table: Table, frame, styles) -> None:
        widths = XlsxWriter._widths(table, frame)
        for j, width in enumerate(widths):
            sheet.set_column(j, j, width)
        header_row = 1 if table.caption else 0
        if table.caption:
            sheet.write_string(0, 0, excel_text(table.caption), styles["caption"])
        heads = [excel_text(str(c)) for c in frame.columns]
        sheet.set_row(header_row, row_height(heads, widths))
        for j, head in enumerate(heads):
            sheet.write_string(header_row, j, head, styles["header"])
        sheet.freeze_panes(header_row + 1, 1)
        sheet.repeat_rows(header_row)
        for i, row in enumerate(frame.itertuples(index=False), start=header_row + 1):
            texts = ["" if _is_count(v) else excel_text(table.cell_text(v)) for v in row]
            sheet.set_row(i, row_height(texts, widths))
            for j, (value, text) in enumerate(zip(row, texts, strict=True)):
                column = str(frame.columns[j])
                if _is_count(value):
                    style = (
                        styles["share"]
                        if column.endswith(": share")
                        else styles["p"]
                        if "Fisher" in column
                        else styles["count"]
                    )
                    sheet.write_number(i, j, value, style)
                elif text:
                    sheet.write_string(i, j, text, styles["wrap"])
        if table.note:
            sheet.write_string(header_row + len(frame) + 2, 0, excel_text(table.note), styles["note"])

    @staticmethod
    def _data_sheet(sheet, table: Table, styles) -> None:
        """Header and first row: numbers (shares as percentages), text as strings, booleans."""
        from pandas.api.types import is_bool_dtype, is_numeric_dtype

        frame = table.frame
        widths = XlsxWriter._widths(table, frame)
        for j, width in enumerate(widths):
            sheet.set_column(j, j, width)
        for j, column in enumerate(frame.columns):
            sheet.write_string(0, j, excel_text(str(column)), styles["header"])
        sheet.freeze_panes(1, 0)
        sheet.repeat_rows(0)
        if len(frame.columns):
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
        # Constant-memory mode writes row by row: each column is prepared first, then rows go out in order.
        columns = []
        first = frame.iloc[:1]  # the rest go in as XML (xlsx_rows)
        for column in first.columns:
            series = first[column]
            missing = series.isna().tolist()
            if is_bool_dtype(series):
                kind, style = "bool", None
            elif is_numeric_dtype(series):
                kind, style = "number", styles["data_share"] if str(column).endswith("_share") else None
            else:
                kind, style = "text", None
            columns.append((kind, style, series.tolist(), missing))
        write_number, write_string, write_boolean = (
            sheet.write_number,
            sheet.write_string,
            sheet.write_boolean,
        )
        for i in range(min(len(frame), 1)):  # the first row; the rest go in as XML (xlsx_rows)
            r = i + 1
            for j, (kind, style, values, missing) in enumerate(columns):
                if missing[i]:
                    continue
                v = values[i]
                if kind == "text":
                    text = excel_text(v if isinstance(v, str) else str(v))
                    if text:
                        write_string(r, j, text)
                elif kind == "number":
                    if math.isfinite(v):
                        write_number(r, j, v, style)
                    else:
                        write_string(r, j, str(v))
                else:
                    write_boolean(r, j, bool(v))

    @staticmethod
    def _widths(table: Table, frame) -> list[float]:
        if table.kind is TableKind.quotes:
            return [float(LABEL_WIDTH)] + [float(QUOTE_WIDTH)] * (len(frame.columns) - 1)
        widths = []
        for column in frame.columns:
            if column == "text":
                widths.append(80.0)
                continue
            sample = [
                len(v.plain() if isinstance(v, QuoteCell) else str(v))
                for v in frame[column].head(200).tolist()
            ]
            longest = max([min(len(str(column)), 24), *sample])
            widths.append(float(min(max(longest + 2, 8), 40)))
        return widths
