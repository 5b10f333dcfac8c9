"""The rows of the long data sheets, written as sheet XML (several times faster than cell by cell).

XlsxWriter writes each workbook's layout (header, widths, filters, print
setup, the first data row); the remaining rows of the long data sheets, which
can run to hundreds of thousands of cells, are generated here as XML and put
into the finished file. Text is always an inline string (never a formula) made
to fit a cell (``slqual.cells.excel_text``); numbers stay numbers.
"""

from __future__ import annotations

import re


def data_rows_xml(frame, first_row: int, styles: dict[str, int] | None = None) -> bytes:
    """The <row> elements of a long data sheet: numbers as numbers, all text as inline strings.

    A missing value (None, NaN, NA) or empty text gets no cell; booleans are
    stored as booleans; a number that is not finite is written as text ("inf"),
    as in CSV. ``styles`` gives a cell style index (xf) for named number columns.
    """
    import math
    from xml.sax.saxutils import escape

    from pandas.api.types import is_bool_dtype, is_numeric_dtype
    from xlsxwriter.utility import xl_col_to_name

    from slqual.cells import excel_text

    styles = styles or {}

    def text(ref: str, value: object, style: str = "") -> str:
        body = escape(excel_text(str(value)))
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>' if body else ""

    numbers = range(first_row, first_row + len(frame))
    columns = []
    for j, name in enumerate(frame.columns):
        letter = xl_col_to_name(j)
        series = frame[name]
        style = f' s="{styles[str(name)]}"' if str(name) in styles else ""
        if is_bool_dtype(series):

            def cell(ref, value, style=style):
                return f'<c r="{ref}" t="b"{style}><v>{int(value)}</v></c>'

        elif is_numeric_dtype(series):

            def cell(ref, value, style=style):
                return (
                    f'<c r="{ref}"{style}><v>{value!r}</v></c>' if math.isfinite(value) else text(ref, value)
                )

        else:
            cell = text
        missing = series.isna().tolist()
        columns.append(
            [
                "" if gone else cell(f"{letter}{r}", v)
                for r, v, gone in zip(numbers, series.tolist(), missing, strict=True)
            ]
        )
    rows = (f'<row r="{r}">{"".join(cells)}</row>' for r, *cells in zip(numbers, *columns, strict=True))
    return "".join(rows).encode("utf-8")


def fill_sheets(workbook: bytes, bodies: dict[str, tuple[bytes, str]]) -> bytes:
    """The workbook with rows appended to the sheet data of the named worksheet parts.

    ``bodies`` maps a part name (``xl/worksheets/sheet3.xml``) to the rows' XML and
    the sheet's full cell range, which replaces its <dimension>.
    """
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
            if info.filename in bodies:
                body, ref = bodies[info.filename]
                if b"</sheetData>" not in data:  # XlsxWriter always writes the header row
                    raise RuntimeError(f"{info.filename}: no sheet data to add the rows to")
                data = data.replace(b"</sheetData>", body + b"</sheetData>", 1)
                data = re.sub(
                    rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data, count=1
                )
            target.writestr(info, data, compress_type=ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()
