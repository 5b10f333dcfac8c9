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

from slqual.csvfiles import csv_separator, first_blank, require_columns
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
    from slqual.csvfiles import read_text_table

    path = _existing(path)
    frame = read_text_table(path, CodingsError)
    if not len(frame.columns):  # an empty file: a coder who has not started
        return empty_coding().assign(coder=coder or path.stem)
    require_columns(path, frame.columns, REQUIRED_COLUMNS, CodingsError, _NEEDS)
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
    first_blank(path, frame["segment_id"], "segment_id", CodingsError)
    extra = [c for c in frame.columns if c not in CODING_COLUMNS] if extra_columns else []
    # A trailing separator leaves a blank column pandas calls "Unnamed: 6": not a coder's column.
    extra = [c for c in extra if not (c.startswith("Unnamed:") and not frame[c].str.strip().any())]
    return frame[CODING_COLUMNS + extra].reset_index(drop=True)


def read_coding_columns(path: Path | str, coder: str | None = None) -> dict[str, list[str]]:
    """The documented columns of a coder file as lists, read and checked as ``read_coding`` does.

    Without pandas: for quick commands (``slqual status``) on files of ordinary size.
    """
    from slqual.csvfiles import read_text_rows

    path = _existing(path)
    header, rows = read_text_rows(path, CodingsError)
    if not header:  # an empty file: a coder who has not started
        return {name: [] for name in CODING_COLUMNS}
    require_columns(path, header, REQUIRED_COLUMNS, CodingsError, _NEEDS)
    position = {name: i for i, name in enumerate(header)}
    columns = {
        name: [row[position[name]] for row in rows] if name in position else [""] * len(rows)
        for name in CODING_COLUMNS
    }
    columns["segment_id"] = [value.strip() for value in columns["segment_id"]]
    columns["code"] = [value.strip() for value in columns["code"]]
    name = coder or path.stem
    columns["coder"] = [value or name for value in columns["coder"]]
    first_blank(path, columns["segment_id"], "segment_id", CodingsError)
    for extra in PROVENANCE_COLUMNS:  # so that a consensus file is told from a reviewer's
        if extra in position:
            columns[extra] = [row[position[extra]] for row in rows]
    return columns


_NEEDS = "a coder file needs segment_id and code"


def _existing(path: Path | str) -> Path:
    path = Path(path)
    if not path.is_file():
        raise CodingsError(f"{path}: coder file not found; check the name (see 'slqual status')")
    return path


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
