"""codings/<coder>.csv: one coder's assignments, one row per segment and code.

An empty ``code`` means "read, and no code applies"; a segment with no row has
not been coded by that coder. These files are the researchers' work: they are
only ever replaced atomically, and the previous version is kept.

A consensus coder's file, written by ``slqual reconcile``, carries three more
columns (``PROVENANCE_COLUMNS``): ``source`` (agreed, decided or policy),
``decided_by`` and ``reason``. They are read like any column a coder added by
hand: ``read_coding(..., extra_columns=True)`` keeps them, so sessions, sheet
imports and renames that rewrite the file keep them too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.csvfiles import csv_separator
from slqual.errors import CodingsError, SlqualError
from slqual.fileio import atomic_write_csv, keep_history
from slqual.project import check_coder_name

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from slqual.codebook import Codebook
    from slqual.project import Project

# check_coder_name and csv_separator live with the project and the CSV readers; named here too for callers.
__all__ = [
    "CODING_COLUMNS",
    "CodingProblem",
    "check_codings",
    "check_coder_name",
    "csv_separator",
    "empty_coding",
    "read_coding",
    "problems_error",
    "read_project_codings",
    "write_coding",
]

# quote: the exact words to quote from the segment (parts joined with "..."); empty lets the report choose.
CODING_COLUMNS = ["segment_id", "code", "coder", "coded_at", "memo", "exemplar", "quote"]
REQUIRED_COLUMNS = ["segment_id", "code"]
# How each row of a consensus came to be (written by reconcile; kept like any extra column).
PROVENANCE_COLUMNS = ["source", "decided_by", "reason"]


def empty_coding() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=str) for c in CODING_COLUMNS})


def read_coding(path: Path | str, coder: str | None = None, *, extra_columns: bool = False) -> pd.DataFrame:
    """Read one coder's CSV into the documented columns, all text.

    Missing optional columns are filled in (``coder`` from the file stem), so a
    file a coder typed by hand with only segment_id and code is accepted. With
    ``extra_columns``, columns a coder added by hand follow the documented ones
    (a blank unnamed column, left by a trailing separator, is not one), so that
    code rewriting the file with ``write_coding`` keeps them.
    """
    import numpy as np
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise CodingsError(f"{path}: coder file not found; check the name (see 'slqual status')")
    try:
        sep = csv_separator(path)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=sep)
    except OSError as exc:  # e.g. no permission to read a file on a shared drive
        raise CodingsError(f"{path}: cannot be read ({exc.strerror or exc}); check the file") from exc
    except UnicodeDecodeError as exc:
        raise CodingsError(f"{path}: not UTF-8 text; save it as 'CSV UTF-8'") from exc
    except pd.errors.EmptyDataError:
        return empty_coding().assign(coder=coder or path.stem)
    except pd.errors.ParserError as exc:
        row = _first_long_row(path, sep)
        if row:
            raise CodingsError(_long_row_message(path, row, sep)) from exc
        raise CodingsError(
            f"{path}: not a readable CSV file; check the quotes (a quote opened and never closed?)"
        ) from exc
    if not isinstance(frame.index, pd.RangeIndex):  # pandas took the first column as row labels
        raise CodingsError(_long_row_message(path, _first_long_row(path, sep) or 2, sep))
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise CodingsError(
            f"{path}: missing column(s) {', '.join(missing)}; a coder file needs segment_id and code"
        )
    name = coder or path.stem
    for column in CODING_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    for column in ("segment_id", "code"):
        # str.strip per value: several times faster than pandas' string accessor on 100,000s of rows;
        # strip returns the very same string when there is nothing to strip, so the comparison is
        # quick and the column is replaced only when some value changed.
        values = frame[column].tolist()
        stripped = [value.strip() for value in values]
        if stripped != values:
            frame[column] = stripped
    unnamed = frame["coder"].to_numpy(dtype=object) == ""
    if unnamed.any():
        frame.loc[unnamed, "coder"] = name
    blank = np.flatnonzero(frame["segment_id"].to_numpy(dtype=object) == "")
    if len(blank):
        raise CodingsError(f"{path}, row {blank[0] + 2}: empty segment_id; fill it in or delete the row")
    extra = [c for c in frame.columns if c not in CODING_COLUMNS] if extra_columns else []
    # A trailing separator leaves a blank column pandas calls "Unnamed: 6": not a coder's column.
    extra = [c for c in extra if not (c.startswith("Unnamed:") and not frame[c].str.strip().any())]
    return frame[CODING_COLUMNS + extra].reset_index(drop=True)


def _first_long_row(path: Path, sep: str) -> int | None:
    """The spreadsheet row number of the first row with more cells than the header, if any."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle, delimiter=sep)
            width = len(next(rows, []))
            return next((number for number, row in enumerate(rows, start=2) if len(row) > width), None)
    except csv.Error:
        return None


def _long_row_message(path: Path, row: int, sep: str) -> str:
    return (
        f"{path}, row {row}: more cells than the header has columns; "
        f"remove the extra '{sep}' or give the extra column a name in the first line"
    )


def write_coding(project: Project, coder: str, frame: pd.DataFrame) -> Path | None:
    """Replace a coder's file atomically, keeping the previous one in ``.slqual/history/``.

    Returns the path of the kept copy, or None when there was no earlier file.
    """
    check_coder_name(coder)
    path = project.coder_path(coder)
    kept = keep_history(project.root, path)
    # Columns a coder added by hand travel along after the documented ones.
    extra = [c for c in frame.columns if c not in CODING_COLUMNS]
    ordered = frame.reindex(columns=CODING_COLUMNS + extra, fill_value="")
    atomic_write_csv(path, ordered)
    return kept


def read_project_codings(project: Project, coders: list[str]) -> dict[str, pd.DataFrame]:
    """Each named coder's file of a project, or an error listing the coders that exist."""
    result = {}
    for coder in coders:
        path = project.coder_path(coder)
        if not path.is_file():
            existing = ", ".join(project.coders()) or "none yet"
            raise CodingsError(f"{path}: no coder '{coder}' in this project; coders: {existing}")
        result[coder] = read_coding(path, coder)
    return result


@dataclass(frozen=True)
class CodingProblem:
    """A row of a coder's file that names a code or segment the project does not have."""

    coder: str
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str  # "code" or "segment_id"
    value: str
    message: str  # what is wrong and what to do, without the file and row

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}: {self.message}"


def check_codings(
    codings: Mapping[str, pd.DataFrame],
    codebook: Codebook | None = None,
    segment_ids: Collection[str] | None = None,
    sources: Mapping[str, str] | None = None,
    factorized: Mapping[str, Mapping[str, tuple[np.ndarray, np.ndarray]]] | None = None,
) -> list[CodingProblem]:
    """Every row, in every coder's file, whose code is not in the codebook or whose segment is unknown.

    The one check every command uses; each decides whether a problem stops it
    (``problems_error``) or is listed (``slqual codebook check --codings``).
    ``codings`` are frames as ``read_coding`` returns them (file order, so that
    row numbers are the spreadsheet's); ``sources`` names each coder's file;
    ``factorized``: per coder and column, ``factorize_text`` of it when the caller has it already.
    """
    import difflib

    import numpy as np
    import pandas as pd

    problems: list[CodingProblem] = []
    known_codes = codebook.ids() if codebook is not None else []
    # One hash table of the known ids, looked up by every file (its engine is built on first use).
    known_segments = None if segment_ids is None else pd.Index(list(segment_ids)).unique()
    for coder, frame in codings.items():
        where = (sources or {}).get(coder, f"codings/{coder}.csv")
        # Vectorised, each distinct value looked up once: a file of a million rows is checked in a
        # blink; only bad rows are looked at.
        done = (factorized or {}).get(coder, {})
        bad_segment = np.zeros(len(frame), dtype=bool)
        if known_segments is not None:
            which, distinct = done.get("segment_id") or factorize_text(frame["segment_id"])
            bad_segment = (known_segments.get_indexer(distinct) < 0)[which]
        bad_code = np.zeros(len(frame), dtype=bool)
        if codebook is not None:
            which, distinct = done.get("code") or factorize_text(frame["code"])
            bad_code = ((distinct != "") & ~pd.Index(distinct).isin(known_codes))[which]
        for position in np.flatnonzero(bad_segment | bad_code):
            index = frame.index[position]
            row, segment, code = int(index) + 2, frame.at[index, "segment_id"], frame.at[index, "code"]
            if bad_segment[position]:
                problems.append(
                    CodingProblem(
                        coder,
                        where,
                        row,
                        "segment_id",
                        segment,
                        f"segment '{segment}' is not in segments.csv; check the id, or run 'slqual ingest' "
                        "again if the transcripts changed",
                    )
                )
            if bad_code[position]:
                close = difflib.get_close_matches(code, known_codes, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problems.append(
                    CodingProblem(
                        coder,
                        where,
                        row,
                        "code",
                        code,
                        f"code '{code}' is not in the codebook; {hint}fix the row, add the code to the "
                        "codebook, or rename it with 'slqual codebook rename'",
                    )
                )
    return problems


def factorize_text(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(which, distinct): the distinct values of a text column as an object array, and each row's
    position among them, so that a lookup per distinct value serves every row."""
    import numpy as np
    import pandas as pd

    which, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    return which, np.asarray(distinct, dtype=object)


def problems_error(problems: Sequence[CodingProblem], error: type[SlqualError] = CodingsError) -> SlqualError:
    """One error for a command that cannot go on: the first problem, and how many more there are."""
    first = problems[0]
    rest = len(problems) - 1
    more = ""
    if rest:
        shown = ", ".join(
            f"row {p.row}" + ("" if p.file == first.file else f" of {p.file}") for p in problems[1:6]
        )
        etc = ", ..." if rest > 5 else ""
        more = f" ({rest} more problem(s): {shown}{etc}; 'slqual codebook check --codings' lists them all)"
    return error(f"{first}{more}")
