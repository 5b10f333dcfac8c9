"""segments.csv: the numbered segments that ingest writes and every later step reads.

This module is the file's one owner: a DataFrame reader for analysis
(``read_segments``), a fast row reader and an atomic writer for ingest
(``read_segment_rows``, ``write_segment_rows``), both validating what they read.
Rows are tuples in ``SEGMENT_COLUMNS`` order with ``seq`` as an int.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import ProjectError
from slqual.fileio import atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

SEGMENT_COLUMNS = [
    "segment_id",
    "document",
    "participant_id",
    "seq",
    "speaker",
    "speaker_role",
    "start",
    "end",
    "text",
]
ROLES = ("interviewer", "participant", "other")


def read_segments(path: Path | str) -> pd.DataFrame:
    """Read segments.csv with every column as text except ``seq`` (int)."""
    import pandas as pd

    path = Path(path)
    try:
        # utf-8-sig: a spreadsheet that saved the file may have put a byte order mark in front
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ProjectError(f"{path}: cannot be read ({exc}); run 'slqual ingest' again") from exc
    missing = [c for c in SEGMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise ProjectError(f"{path}: missing column(s) {', '.join(missing)}; run 'slqual ingest' again")
    not_number = ~frame["seq"].str.isdecimal()  # digits only, as fullmatch(r"\d+"), without a regex
    if not_number.any():
        row = int(not_number.to_numpy().argmax())
        raise ProjectError(
            f"{path}, row {row + 2}: seq '{frame['seq'].iloc[row]}' is not a number; "
            "fix that row (or delete segments.csv) and run 'slqual ingest' again"
        )
    frame["seq"] = frame["seq"].astype(int)
    return frame[SEGMENT_COLUMNS]


def read_project_segments(project: Project) -> pd.DataFrame:
    """A project's segments.csv, or an error saying to ingest first when there is none yet."""
    if not project.segments_path.exists():
        raise ProjectError(
            f"{project.segments_path}: no segments yet; run 'slqual ingest transcripts/' first"
        )
    return read_segments(project.segments_path)


def write_segments(path: Path | str, frame: pd.DataFrame) -> bool:
    """Write segments.csv atomically from a DataFrame, in the documented column order."""
    rows = frame[SEGMENT_COLUMNS].itertuples(index=False, name=None)
    return write_segment_rows(path, [(*r[:3], int(r[3]), *r[4:]) for r in rows])


_FIX = "fix that line (or delete segments.csv) and run 'slqual ingest' again"


def read_segment_rows(path: Path | str) -> dict[str, list[tuple]]:
    """segments.csv's rows grouped by document, in file order; empty when there is no file yet.

    Fast (the csv module, interned repeated values); a file someone reordered
    in a spreadsheet is read by column name instead.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    grouped: dict[str, list[tuple]] = {}
    reader = None
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != SEGMENT_COLUMNS:
                return _rows_any_layout(path)
            intern = sys.intern  # a few distinct documents, participants, speakers and roles
            width = len(SEGMENT_COLUMNS)
            for fields in reader:
                if len(fields) != width:
                    raise ProjectError(
                        f"{path}, line {reader.line_num}: has {len(fields)} columns, not the "
                        f"{width} of segments.csv; {_FIX}"
                    )
                sid, doc, pid, seq, speaker, role, start, end, text = fields
                if not seq.isdigit():
                    raise ProjectError(f"{path}, line {reader.line_num}: seq '{seq}' is not a number; {_FIX}")
                row = (
                    sid,
                    intern(doc),
                    intern(pid),
                    int(seq),
                    intern(speaker),
                    intern(role),
                    start,
                    end,
                    text,
                )
                grouped.setdefault(row[1], []).append(row)
    except UnicodeDecodeError as exc:
        raise ProjectError(
            f"{path}: is not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8', "
            "or delete it and run 'slqual ingest' again"
        ) from exc
    except csv.Error as exc:
        line = f", line {reader.line_num}" if reader is not None else ""
        raise ProjectError(f"{path}{line}: is not a readable CSV file (quotes do not match); {_FIX}") from exc
    return grouped


def _rows_any_layout(path: Path) -> dict[str, list[tuple]]:
    frame = read_segments(path)
    grouped: dict[str, list[tuple]] = {}
    for row in frame.itertuples(index=False, name=None):
        grouped.setdefault(row[1], []).append((*row[:3], int(row[3]), *row[4:]))
    return grouped


def segments_text(rows: list[tuple]) -> str:
    """The CSV text of segments.csv for rows in ``SEGMENT_COLUMNS`` order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SEGMENT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def write_segment_rows(path: Path | str, rows: list[tuple] | str) -> bool:
    """Write segments.csv atomically unless it already holds exactly this; True when written.

    ``rows`` may be the text ``segments_text`` made, so a caller can build it before writing anything.
    """
    path = Path(path)
    text = rows if isinstance(rows, str) else segments_text(rows)
    if path.is_file():
        try:
            if path.read_text(encoding="utf-8") == text:
                return False
        except (OSError, UnicodeDecodeError):
            pass
    atomic_write_text(path, text)
    return True


def participant_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """The segments offered for coding: participant turns only."""
    return segments[segments["speaker_role"] == "participant"].reset_index(drop=True)


def with_questions(segments: pd.DataFrame) -> pd.DataFrame:
    """Add a ``question`` column: the latest interviewer turn before each segment in its document.

    The question a participant answered is the context a coder or a reader of
    a quote needs; it is empty before the first interviewer turn.
    """
    frame = segments.copy()
    asked = frame["text"].where(frame["speaker_role"] == "interviewer")
    # Shift first so that an interviewer segment's own text is not its question; the built-in
    # grouped shift and fill are many times faster than a Python function per document.
    documents = frame["document"]
    before = asked.groupby(documents, sort=False).shift(1)
    frame["question"] = before.groupby(documents, sort=False).ffill().fillna("")
    return frame
