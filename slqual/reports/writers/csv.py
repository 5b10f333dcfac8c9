"""CSV: one file per table in csv/, quotes as '"text" (P03, GP)' lines in a cell.

Every file is UTF-8 with a byte-order mark, so Excel shows the characters
right, and text that a spreadsheet would run as a formula (= + - @ first, also
after leading spaces or a tab) starts with an apostrophe (``slqual.cells``).
``--csv-plain`` (``ReportOptions.csv_plain``) writes the raw text without the
mark or the guard, for R and pandas.

The text is what pandas' ``to_csv(index=False, lineterminator="\\n")`` writes;
a table of text and integer columns (quotes_long.csv has 40,000 rows of whole
segments) is put together here, each distinct value guarded and quoted once,
which is several times faster than pandas' row-by-row writer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from slqual.cells import csv_frame, csv_text, looks_like_formula
from slqual.fileio import atomic_write_bytes
from slqual.reports.model import Figure, Report, ReportFormat, TableKind
from slqual.reports.writers.base import ALL_KINDS, ReportWriter

BOM = "\ufeff"


class CsvWriter(ReportWriter):
    format = ReportFormat.csv
    kinds = ALL_KINDS

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        folder = out_dir / "csv"
        plain = report.options.csv_plain
        paths = []
        for table in self.tables(report):
            frame = table.frame
            if table.kind is TableKind.quotes:
                frame = frame.map(table.cell_text)
            text = frame_csv(frame, guard=not plain)
            path = folder / f"{table.key}.csv"
            atomic_write_bytes(path, (text if plain else BOM + text).encode("utf-8"))
            paths.append(path)
        return paths


def frame_csv(frame, guard: bool) -> str:
    """``frame`` as CSV text, exactly as pandas writes it; with ``guard``, through ``csv_frame`` first."""
    columns = _columns(frame, guard)
    if columns is None:
        return (csv_frame(frame) if guard else frame).to_csv(index=False, lineterminator="\n")
    quote = _quoter()  # not None: _columns made the columns with it
    header = ",".join(quote(csv_text(name) if guard else name) for name in frame.columns)
    return header + "\n" + "".join([",".join(row) + "\n" for row in zip(*columns, strict=True)])


def _columns(frame, guard: bool) -> list[list[str]] | None:
    """Every column's CSV fields, for a frame of text and integer columns only (else None).

    One column (an empty field alone on a line is quoted), no rows, labels
    that are not text, missing values, floats and others: pandas writes those
    (and every table, should this Python's csv writer quote more than ``_quoter`` knows).
    """
    import numpy as np
    from pandas.api.types import is_string_dtype

    quote = _quoter()
    if quote is None or frame.shape[1] < 2 or not len(frame):
        return None
    if not all(isinstance(c, str) for c in frame.columns):
        return None
    columns = []
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        values = series.tolist()
        if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":
            columns.append(list(map(str, values)))
            continue
        if not is_string_dtype(series.dtype):
            return None
        distinct = set(values)
        if not all(isinstance(v, str) for v in distinct):
            return None
        fields = {v: quote("'" + v if guard and looks_like_formula(v) else v) for v in distinct}
        columns.append([fields[v] for v in values])
    return columns


@cache
def _quoter() -> Callable[[str], str] | None:
    """A function quoting one field as Python's csv writer does (pandas writes with it).

    The characters that make it quote are asked of the csv module itself
    (Python 3.12 added the carriage return); a quote inside is doubled.
    """
    import csv
    import io

    def line(fields: list[str]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(fields)
        return out.getvalue()

    special = "".join(c for c in ',"\n\r\t ' if line([f"a{c}b", "x"]) != f"a{c}b,x\n")
    if line([" a ", ""]) != " a ,\n":  # a writer that quotes more than that: pandas writes everything
        return None

    def quote(field: str) -> str:  # a search per special character: memchr-fast over long text
        return '"' + field.replace('"', '""') + '"' if any(map(field.__contains__, special)) else field

    return quote
