"""The rows of the long data sheets, written as sheet XML (several times faster than cell by cell).

XlsxWriter writes each workbook's layout (header, widths, filters, print
setup, the first data row); the remaining rows of the long data sheets, which
can run to hundreds of thousands of cells, are generated here as XML and put
into the finished file. Text is always an inline string (never a formula) made
to fit a cell (``slqual.cells.excel_text``); numbers stay numbers.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from slqual.cells import excel_text


def data_rows_xml(frame, first_row: int, styles: dict[str, int] | None = None) -> bytes:
    """The <row> elements of a long data sheet: numbers as numbers, all text as inline strings.

    A missing value (None, NaN, NA) or empty text gets no cell; booleans are
    stored as booleans; a number that is not finite is written as text ("inf"),
    as in CSV. ``styles`` gives a cell style index (xf) for named number columns.
    """
    from xlsxwriter.utility import xl_col_to_name

    styles = styles or {}
    numbers = range(first_row, first_row + len(frame))
    columns = []
    for j, name in enumerate(frame.columns):
        letter = xl_col_to_name(j)
        tails = _cell_tails(frame[name], styles.get(str(name)))
        columns.append(
            [f'<c r="{letter}{r}"{tail}' if tail else "" for r, tail in zip(numbers, tails, strict=True)]
        )
    rows = (f'<row r="{r}">{"".join(cells)}</row>' for r, *cells in zip(numbers, *columns, strict=True))
    return "".join(rows).encode("utf-8")


def _text_tail(value: object) -> str:
    body = escape(excel_text(str(value)))
    return f' t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>' if body else ""


def _cell_tails(series, style: int | None) -> list[str]:
    """Per row, a cell's XML after its reference ("" for no cell).

    Data columns repeat their values (codes, groups, 0 and 1), so each distinct
    value is escaped and formatted once. Floats are formatted each time: 0.0
    and -0.0 are equal as keys but not as text.
    """
    import math

    from pandas.api.types import is_bool_dtype, is_float_dtype, is_numeric_dtype

    attribute = f' s="{style}"' if style is not None else ""
    if is_bool_dtype(series):

        def tail(value):
            return f' t="b"{attribute}><v>{int(value)}</v></c>'

    elif is_numeric_dtype(series):

        def tail(value):
            return f"{attribute}><v>{value!r}</v></c>" if math.isfinite(value) else _text_tail(value)

    else:
        tail = _text_tail
    values, missing = series.tolist(), series.isna().tolist()
    if is_float_dtype(series):
        return ["" if gone else tail(v) for v, gone in zip(values, missing, strict=True)]
    if any(missing):
        values = [None if gone else v for v, gone in zip(values, missing, strict=True)]
    tails = {v: "" if v is None else tail(v) for v in dict.fromkeys(values)}
    return list(map(tails.__getitem__, values))


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
