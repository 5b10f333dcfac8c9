"""segments.csv: the numbered segments that ingest writes and every later step reads.

This module is the file's one owner: a DataFrame reader for analysis
(``read_segments``), a fast row reader and an atomic writer for ingest
(``read_segment_rows``, ``write_segment_rows``), both validating what they read.
Rows are tuples in ``SEGMENT_COLUMNS`` order with ``seq`` as an int.
"""

from __future__ import annotations

import csv
import functools
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import ProjectError
from slqual.fileio import atomic_write_bytes

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
    from slqual.csvfiles import read_text_table, require_columns

    frame = read_text_table(path, ProjectError)
    require_columns(path, frame.columns, SEGMENT_COLUMNS, ProjectError, "run 'slqual ingest' again")
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
    return read_segments(_ingested(project))


def read_project_participant_ids(project: Project) -> list[tuple[str, str]]:
    """(segment_id, participant_id) of each participant segment in file order, without pandas.

    For quick commands (``slqual status``) that need only who said which segment.
    """
    rows = read_segment_rows(_ingested(project))
    return [(row[0], row[2]) for document in rows.values() for row in document if row[5] == "participant"]


def _ingested(project: Project) -> Path:
    if not project.segments_path.exists():
        raise ProjectError(
            f"{project.segments_path}: no segments yet; run 'slqual ingest transcripts/' first"
        )
    return project.segments_path


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
    try:
        plain = _plain_rows(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        plain = None  # the csv module below says what is wrong, and where
    if plain is not None:
        return plain
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


_HEADER_LINE = ",".join(SEGMENT_COLUMNS)


def _plain_rows(text: str) -> dict[str, list[tuple]] | None:
    """``read_segment_rows`` for the file as ingest writes it, read line by line without the csv module.

    Three times faster. Each line is eight plain fields and the text, plain or
    quoted; anything else (a quote elsewhere, a field spanning lines, a CR, a
    short row, a seq that is no number) gives None, and the csv module reads
    the file and reports the problem.
    """
    if "\r" in text:
        return None
    lines = text.split("\n")
    if lines[0] != _HEADER_LINE:
        return None
    if lines[-1] == "":
        lines.pop()
    intern = sys.intern
    grouped: dict[str, list[tuple]] = {}
    document, rows = None, []
    for number in range(1, len(lines)):
        line = lines[number]
        fields = line.split(",", 8)
        if len(fields) != 9:
            return None
        sid, doc, pid, seq, speaker, role, start, end, words = fields
        if line.find('"', 0, len(line) - len(words)) >= 0 or not seq.isdigit():
            return None
        if words[:1] == '"':
            words = words[1:-1]
            if len(fields[8]) < 2 or fields[8][-1] != '"':
                return None
            if '"' in words:
                if '"' in words.replace('""', ""):
                    return None
                words = words.replace('""', '"')
        elif '"' in words:
            return None
        if doc != document:
            document = intern(doc)
            rows = grouped.setdefault(document, [])
        rows.append((sid, document, intern(pid), int(seq), intern(speaker), intern(role), start, end, words))
    return grouped


def _rows_any_layout(path: Path) -> dict[str, list[tuple]]:
    frame = read_segments(path)
    grouped: dict[str, list[tuple]] = {}
    for row in frame.itertuples(index=False, name=None):
        grouped.setdefault(row[1], []).append((*row[:3], int(row[3]), *row[4:]))
    return grouped


def segments_text(rows: list[tuple]) -> str:
    """The CSV text of segments.csv for rows in ``SEGMENT_COLUMNS`` order.

    Exactly what ``csv.writer`` writes (a test compares them), about twice as
    fast: a row of text fields and an int ``seq`` is joined here, its text
    quoted where the csv module would quote it; any other row is left to the
    csv module.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SEGMENT_COLUMNS)
    if _quoted_characters() != frozenset(',"\n'):  # another Python's csv module: let it write
        writer.writerows(rows)
        return buffer.getvalue()
    lines = [buffer.getvalue()]
    append = lines.append
    for row in rows:
        sid, doc, pid, seq, speaker, role, start, end, text = row
        if (
            type(seq) is int
            and type(sid) is str
            and type(doc) is str
            and type(pid) is str
            and type(speaker) is str
            and type(role) is str
            and type(start) is str
            and type(end) is str
            and type(text) is str
        ):
            head = f"{sid},{doc},{pid},{seq},{speaker},{role},{start},{end},"
            if head.count(",") == 8 and '"' not in head and "\n" not in head:
                if '"' in text:
                    text = '"' + text.replace('"', '""') + '"'
                elif "," in text or "\n" in text:
                    text = '"' + text + '"'
                append(f"{head}{text}\n")
                continue
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        append(buffer.getvalue())
    return "".join(lines)


@functools.cache
def _quoted_characters() -> frozenset[str]:
    """The characters that make this Python's csv module quote a field: the delimiter, the quote, LF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = set()
    for char in map(chr, range(128)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([char, "x"])
        if buffer.getvalue().startswith('"'):
            quoted.add(char)
    return frozenset(quoted)


def write_segment_rows(path: Path | str, rows: list[tuple] | str) -> bool:
    """Write segments.csv atomically unless it already holds exactly this; True when written.

    ``rows`` may be the text ``segments_text`` made, so a caller can build it before writing anything.
    """
    path = Path(path)
    text = rows if isinstance(rows, str) else segments_text(rows)
    data = text.encode("utf-8")
    try:
        # Read only a file that may hold this text: one with fewer bytes cannot (reading it as text
        # only ever turns CR LF into LF).
        if path.is_file() and path.stat().st_size >= len(data) and path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write_bytes(path, data)
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
