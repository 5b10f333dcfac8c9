"""segments.csv: the numbered segments that ingest writes and every later step reads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import ProjectError
from slqual.fileio import atomic_write_csv

if TYPE_CHECKING:
    import pandas as pd

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
    not_number = ~frame["seq"].str.fullmatch(r"\d+")
    if not_number.any():
        row = int(not_number.to_numpy().argmax())
        raise ProjectError(
            f"{path}, row {row + 2}: seq '{frame['seq'].iloc[row]}' is not a number; "
            "fix that row (or delete segments.csv) and run 'slqual ingest' again"
        )
    frame["seq"] = frame["seq"].astype(int)
    return frame[SEGMENT_COLUMNS]


def write_segments(path: Path | str, frame: pd.DataFrame) -> None:
    """Write segments.csv atomically, in the documented column order."""
    atomic_write_csv(path, frame[SEGMENT_COLUMNS])


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
    # Shift first so that an interviewer segment's own text is not its question.
    frame["question"] = (
        asked.groupby(frame["document"], sort=False).transform(lambda s: s.shift(1).ffill()).fillna("")
    )
    return frame
