"""XLSX: one workbook, a sheet per table, frozen headers, wrapped text, no formulas.

Text that a spreadsheet would run as a formula (starting with = + - @) is
stored as a text cell, never as a formula, so opening a report built from a
transcript cannot execute anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slqual.cells import excel_text, text_cell
from slqual.fileio import atomic_write_bytes
from slqual.reports.model import Figure, Report, ReportFormat, Table, TableKind
from slqual.reports.writers.base import ALL_KINDS, ReportWriter

QUOTE_WIDTH = 60
MAX_SHEET_NAME = 31


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
        bodies = []  # (sheet, rows XML) of the long data sheets, filled in after openpyxl's save
        for table, name in zip(tables, sheet_names(tables), strict=True):
            sheet = workbook.create_sheet(name)
            self._sheet(sheet, table)
            if table.kind is TableKind.data:
                bodies.append((sheet, data_rows_xml(table.frame, first_row=2)))
        buffer = io.BytesIO()
        # openpyxl's save, with fast compression: long sheets compress well at level 1 too.
        with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
            ExcelWriter(workbook, archive).save()
        data = _fill_sheets(buffer.getvalue(), {sheet.path.lstrip("/"): rows for sheet, rows in bodies})
        path = out_dir / "report.xlsx"
        atomic_write_bytes(path, data)
        return [path]

    def _sheet(self, sheet, table: Table) -> None:
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        frame = table.frame
        wrap = Alignment(wrap_text=True, vertical="top")
        bold = Font(bold=True)
        reading = table.kind is not TableKind.data
        for i, width in enumerate(self._widths(table), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        header_row = 2 if reading and table.caption else 1
        sheet.freeze_panes = f"{'B' if reading else 'A'}{header_row + 1}"
        if header_row == 2:
            sheet.append([text_cell(sheet, table.caption, bold)])
        sheet.append([text_cell(sheet, str(c), bold, wrap) for c in frame.columns])
        if not reading:
            # Long data tables: only the header here; the rows are written by data_rows_xml,
            # which is several times faster than openpyxl's cell objects for 100,000s of cells.
            return
        for row in frame.itertuples(index=False):
            # Counts stay numbers (no "number stored as text" warnings); everything else is text.
            sheet.append(
                [text_cell(sheet, v if _is_count(v) else table.cell_text(v), alignment=wrap) for v in row]
            )

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
            longest = max([len(str(column)), *sample.tolist()])
            widths.append(float(min(max(longest + 2, 8), 40)))
        return widths


def data_rows_xml(frame, first_row: int) -> bytes:
    """The <row> elements of a long data sheet: numbers as numbers, all text as inline strings.

    An inline string is always text, never a formula, so text starting with
    = + - @ cannot run; text is made to fit a cell (``excel_text``). A missing
    value (None, NaN, NA) or empty text gets no cell; booleans are stored as
    booleans; a number that is not finite is written as text ("inf"), as in CSV.
    """
    import math
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    def text(ref: str, value: object) -> str:
        body = escape(excel_text(str(value)))
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>' if body else ""

    def number(ref: str, value: float) -> str:
        return f'<c r="{ref}" t="n"><v>{value!r}</v></c>' if math.isfinite(value) else text(ref, value)

    def boolean(ref: str, value: bool) -> str:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'

    numbers = range(first_row, first_row + len(frame))
    columns = []
    for j, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        series = frame[name]
        kind = boolean if is_bool_dtype(series) else number if is_numeric_dtype(series) else text
        missing = series.isna().tolist()
        columns.append(
            [
                "" if gone else kind(f"{letter}{r}", v)
                for r, v, gone in zip(numbers, series.tolist(), missing, strict=True)
            ]
        )
    rows = (f'<row r="{r}">{"".join(cells)}</row>' for r, *cells in zip(numbers, *columns, strict=True))
    return "".join(rows).encode("utf-8")


def _fill_sheets(workbook: bytes, bodies: dict[str, bytes]) -> bytes:
    """The workbook with ``bodies`` appended to the sheet data of the named worksheet parts."""
    import io
    from zipfile import ZIP_DEFLATED, ZipFile

    if not bodies:
        return workbook
    out = io.BytesIO()
    with (
        ZipFile(io.BytesIO(workbook)) as source,
        ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            body = bodies.get(info.filename)
            if body:
                if b"</sheetData>" not in data:  # openpyxl always writes the header row
                    raise RuntimeError(f"{info.filename}: no sheet data to add the rows to")
                data = data.replace(b"</sheetData>", body + b"</sheetData>", 1)
            target.writestr(info, data, compress_type=ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()
