"""XLSX: one workbook, a sheet per table, frozen headers, wrapped text, no formulas.

Text that a spreadsheet would run as a formula (starting with = + - @) is
stored as a text cell, never as a formula, so opening a report built from a
transcript cannot execute anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slqual.fileio import atomic_write_bytes
from slqual.reports.model import Figure, Report, ReportFormat, Table, TableKind
from slqual.reports.writers.base import ALL_KINDS, ReportWriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE_WIDTH = 60
MAX_SHEET_NAME = 31


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


class XlsxWriter(ReportWriter):
    format = ReportFormat.xlsx
    kinds = ALL_KINDS

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        import io
        from zipfile import ZIP_DEFLATED, ZipFile

        from openpyxl import Workbook
        from openpyxl.writer.excel import ExcelWriter

        workbook = Workbook(write_only=True)
        tables = self.tables(report)
        for table, name in zip(tables, sheet_names(tables), strict=True):
            self._sheet(workbook.create_sheet(name), table)
        buffer = io.BytesIO()
        # openpyxl's save, with fast compression: long sheets compress well at level 1 too.
        with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
            ExcelWriter(workbook, archive).save()
        path = out_dir / "report.xlsx"
        atomic_write_bytes(path, buffer.getvalue())
        return [path]

    def _sheet(self, sheet, table: Table) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
        from pandas.api.types import is_numeric_dtype

        frame = table.frame
        wrap = Alignment(wrap_text=True, vertical="top")
        bold = Font(bold=True)
        reading = table.kind is not TableKind.data
        widths = self._widths(table)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        header_row = 2 if reading and table.caption else 1
        sheet.freeze_panes = f"{'B' if reading else 'A'}{header_row + 1}"

        def cell(value, font=None, wrapped=False):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            out = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                out.data_type = "s"  # text, never a formula
            if font is not None:
                out.font = font
            if wrapped:
                out.alignment = wrap
            return out

        if header_row == 2:
            sheet.append([cell(table.caption, bold)])
        sheet.append([cell(str(c), bold, True) for c in frame.columns])
        if reading:
            for row in frame.itertuples(index=False):
                sheet.append([cell(table.cell_text(v), wrapped=True) for v in row])
            return
        # Long data tables: plain values (fast); characters XML cannot hold are removed, and
        # text cells are made explicitly only where a formula could start.
        text = [c for c in frame.columns if not is_numeric_dtype(frame[c])]
        clean = frame.copy()
        for column in text:
            values = clean[column].astype(str)
            if values.str.contains(ILLEGAL_CHARACTERS_RE).any():
                values = values.str.replace(ILLEGAL_CHARACTERS_RE, "", regex=True)
            clean[column] = values
        rows = clean.astype(object).where(clean.notna(), None).to_numpy().tolist()
        for column in text:
            j = clean.columns.get_loc(column)
            for i in clean[column].str.startswith(FORMULA_START).to_numpy().nonzero()[0]:
                rows[i][j] = cell(rows[i][j])
        for row in rows:
            sheet.append(row)

    @staticmethod
    def _widths(table: Table) -> list[float]:
        frame = table.frame
        if table.kind is TableKind.quotes:
            return [30.0] + [float(QUOTE_WIDTH)] * (len(frame.columns) - 1)
        widths = []
        for column in frame.columns:
            if column == "text":
                widths.append(80.0)
                continue
            sample = frame[column].head(200).map(lambda v: len(str(v)))
            longest = max([len(str(column)), *sample.tolist()]) if len(frame) else len(str(column))
            widths.append(float(min(max(longest + 2, 8), 40)))
        return widths
