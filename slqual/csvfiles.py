"""What every CSV reader in slqual shares: the separator a spreadsheet chose, and no field too long.

Python's csv module refuses fields over 131,072 characters by default, and
one 30,000-word answer is longer than that; slqual must read back every file
it writes, so the limit is raised once, here, for every reader.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# The largest field any reader accepts: far above any turn of speech, still bounded.
FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
csv.field_size_limit(FIELD_LIMIT)


def csv_separator(path: Path | str) -> str:
    """',' or ';': Excel in many languages saves CSV with ';' between cells (judged by the header)."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    return ";" if first.count(";") > first.count(",") else ","


# One voice for every table a person may have opened in a spreadsheet (coder files,
# participants.csv, segments.csv, decisions files): the same defect reads the same in each,
# whichever engine read it. Each owner adds only what to do about its own file (``fix``).
def _cannot_read(path: Path, exc: OSError) -> str:
    return f"{path}: cannot be read ({exc.strerror or exc}); check the file"


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> str:
    return f"{path}: not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8' from your spreadsheet"


def _long_row(path: Path, row: int, sep: str) -> str:
    return (
        f"{path}, row {row}: more cells than the header has columns; "
        f"remove the extra '{sep}' or give the extra column a name in the first line"
    )


def _bad_quotes(path: Path) -> str:
    return f"{path}: not a readable CSV file; check the quotes (a quote opened and never closed?)"


def first_long_row(path: Path | str, sep: str) -> int | None:
    """The spreadsheet row number of the first row with more cells than the header, if any."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle, delimiter=sep)
            width = len(next(rows, []))
            return next((number for number, row in enumerate(rows, start=2) if len(row) > width), None)
    except csv.Error:
        return None


def read_text_table(path: Path | str, error: type[Exception]):
    """A CSV as a pandas DataFrame of text (no NaN), column names stripped; for files of any size.

    An empty file gives a frame with no columns (the owner's column check then names what is
    missing). Problems raise ``error`` with one line: the file, the row, what to do.
    """
    import pandas as pd

    path = Path(path)
    try:
        sep = csv_separator(path)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=sep)
    except OSError as exc:  # e.g. no permission to read a file on a shared drive
        raise error(_cannot_read(path, exc)) from exc
    except UnicodeDecodeError as exc:
        raise error(_not_utf8(path, exc)) from exc
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except pd.errors.ParserError as exc:
        row = first_long_row(path, sep)
        raise error(_long_row(path, row, sep) if row else _bad_quotes(path)) from exc
    if not isinstance(frame.index, pd.RangeIndex):  # pandas took the first column as row labels
        raise error(_long_row(path, first_long_row(path, sep) or 2, sep))
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_text_rows(path: Path | str, error: type[Exception]) -> tuple[list[str], list[list[str]]]:
    """The same file as (header, rows) with the csv module: no pandas, for small files and quick commands.

    Reads and words every problem as ``read_text_table`` does.
    """
    path = Path(path)
    try:
        sep = csv_separator(path)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            # strict: a quote left open at the end is an error here too, as it is for pandas
            reader = csv.reader(handle, delimiter=sep, strict=True)
            header = [name.strip() for name in next(reader, [])]
            rows = list(reader)
    except OSError as exc:
        raise error(_cannot_read(path, exc)) from exc
    except UnicodeDecodeError as exc:
        raise error(_not_utf8(path, exc)) from exc
    except csv.Error as exc:
        raise error(_bad_quotes(path)) from exc
    width = len(header)
    for number, row in enumerate(rows, start=2):
        if len(row) > width:
            raise error(_long_row(path, number, sep))
        if len(row) < width:  # a short row: pandas fills the missing cells with blanks
            row.extend([""] * (width - len(row)))
    return header, [row for row in rows if row]  # blank lines skipped, as pandas does


def require_columns(path: Path | str, columns, required, error: type[Exception], fix: str) -> None:
    """Raise ``error`` naming every required column the file lacks, and what to do."""
    missing = [c for c in required if c not in columns]
    if missing:
        raise error(f"{path}: missing column(s) {', '.join(missing)}; {fix}")


def first_blank(path: Path | str, values, column: str, error: type[Exception]) -> None:
    """Raise ``error`` at the first row whose ``column`` is empty (a list or a pandas column)."""
    values = values.tolist() if hasattr(values, "tolist") else list(values)
    if "" in values:  # a search at C speed; the row is looked for only when there is one
        number = values.index("") + 2
        raise error(f"{path}, row {number}: empty {column}; fill it in or delete the row")
