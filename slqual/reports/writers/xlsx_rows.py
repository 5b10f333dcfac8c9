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

from slqual.cells import EXCEL_CELL_LIMIT, excel_text, is_xml_safe

ROW = "\x00"  # stands for the row number in a prepared cell; never in a value (XML has no NUL)


def data_rows_xml(frame, first_row: int, styles: dict[str, int] | None = None) -> bytes:
    """The <row> elements of a long data sheet: numbers as numbers, all text as inline strings.

    A missing value (None, NaN, NA) or empty text gets no cell; booleans are
    stored as booleans; a number that is not finite is written as text ("inf"),
    as in CSV. ``styles`` gives a cell style index (xf) for named number columns.
    Each column's cells are prepared with ``ROW`` for the row number, once per
    distinct value; a row is then its cells joined and numbered in one pass.
    """
    from xlsxwriter.utility import xl_col_to_name

    styles = styles or {}
    numbers = range(first_row, first_row + len(frame))
    columns = [
        _cells(frame[name], xl_col_to_name(j), styles.get(str(name))) for j, name in enumerate(frame.columns)
    ]
    rows = (
        f'<row r="{r}">{"".join(cells).replace(ROW, str(r))}</row>'
        for r, *cells in zip(numbers, *columns, strict=True)
    )
    return "".join(rows).encode("utf-8")


def _text_cell(head: str, value: object, checked: bool = False) -> str:
    """An inline-string cell; ``checked``: the text is known to be XML-safe, so only a cut may apply."""
    text = str(value)
    return _inline(head, escape(text if checked and len(text) <= EXCEL_CELL_LIMIT else excel_text(text)))


def _inline(head: str, body: str) -> str:
    """The inline-string cell of escaped text ("" for no text: no cell); as XlsxWriter writes one,
    whitespace is marked to be kept only where the text starts or ends with some."""
    if not body:
        return ""
    if body[0].isspace() or body[-1].isspace():
        return f'{head} t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'
    return f'{head} t="inlineStr"><is><t>{body}</t></is></c>'


def _cells(series, letter: str, style: int | None) -> list[str]:
    """Per row, the column's cell with ``ROW`` for its row number ("" for no cell).

    Data columns repeat their values (codes, groups, 0 and 1), so each distinct
    value is escaped and formatted once, when the values are of one type (1 and
    True are equal keys) and not floats (so are 0.0 and -0.0).
    """
    import math

    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    head = f'<c r="{letter}{ROW}"'
    attribute = f' s="{style}"' if style is not None else ""
    values, missing = series.tolist(), series.isna().tolist()
    if any(missing):
        values = [None if gone else v for v, gone in zip(values, missing, strict=True)]
    distinct = [v for v in dict.fromkeys(values) if v is not None]
    kind, checked = "other", False
    if is_bool_dtype(series):

        def cell(value):
            return f'{head} t="b"{attribute}><v>{int(value)}</v></c>'

    elif is_numeric_dtype(series):

        def cell(value):
            if math.isfinite(value):
                return f"{head}{attribute}><v>{value!r}</v></c>"
            return _text_cell(head, value)

    else:
        # One search over the column's distinct texts instead of two per text.
        kind, checked = "text", is_xml_safe("\n".join(map(str, distinct)))

        def cell(value):
            return _text_cell(head, value, checked)

    mixed = series.dtype == object and len({type(v) for v in values if v is not None}) > 1
    if mixed or any(isinstance(v, float) for v in distinct[:1]):
        return ["" if v is None else cell(v) for v in values]
    texts = [str(v) for v in distinct] if kind == "text" and checked else []
    if texts and max(map(len, texts)) <= EXCEL_CELL_LIMIT:
        # Safe texts that need no cut: escaped in one pass, joined by ROW (never in a value).
        bodies = escape(ROW.join(texts)).split(ROW)
        cells = {v: _inline(head, body) for v, body in zip(distinct, bodies, strict=True)}
    else:
        cells = {v: cell(v) for v in distinct}
    cells[None] = ""
    return list(map(cells.__getitem__, values))


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
                data = _spliced(info.filename, data, *bodies[info.filename])
            target.writestr(info, data, compress_type=ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


def _spliced(part: str, data: bytes, body: bytes, ref: str) -> bytes:
    """A sheet part with ``body`` before its </sheetData> and ``ref`` as its dimension, copied once."""
    end = data.find(b"</sheetData>")
    if end < 0:  # XlsxWriter always writes the header row
        raise RuntimeError(f"{part}: no sheet data to add the rows to")
    head, tail = data[:end], data[end:]
    dimension = re.search(rb'<dimension ref="[^"]*"/>', head)
    if dimension is None:
        return b"".join([head, body, tail])
    start, stop = dimension.span()
    return b"".join([head[:start], f'<dimension ref="{ref}"/>'.encode(), head[stop:], body, tail])
