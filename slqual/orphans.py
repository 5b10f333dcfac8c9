"""Codings on segments that a re-ingest would change: finding them, and moving them aside.

When a transcript changes after coding began, its segments may shift: a
segment id can disappear or come to hold different words. Ingest refuses such
a change unless asked (``--force``); then the coding rows on those segments
move to ``codings/orphaned/`` with a note, so nothing a coder did is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slqual.errors import TranscriptError
from slqual.fileio import atomic_write_csv, timestamp, utc_now_iso

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

ORPHANED_DIR = "orphaned"
_ADDED_COLUMNS = ("old_text", "orphaned_at", "note")  # what an orphaned file adds to the coder's columns


@dataclass(frozen=True)
class OrphanedCodings:
    """One coder's rows on segments that changed."""

    coder: str
    segment_ids: tuple[str, ...]
    rows: int
    # Where the rows went (codings/orphaned/<coder>.<time>.csv); empty until moved.
    moved_to: str = ""


class ChangedTranscriptsError(TranscriptError):
    """Changed transcripts whose segments have codings; nothing was written."""

    def __init__(self, message: str, documents: tuple[str, ...], affected: tuple[OrphanedCodings, ...]):
        super().__init__(message)
        self.documents = documents
        self.affected = affected


def coded_rows(project: Project, segment_ids: set[str]) -> dict[str, pd.DataFrame]:
    """The whole file of each coder with rows on the given segments (coders with none are left out).

    Columns a coder added by hand are read too, so that moving rows aside keeps them in both files.
    """
    from slqual.codings import read_coding

    found = {}
    for coder in project.coders():
        frame = read_coding(project.coder_file(coder), coder, extra_columns=True)
        hit = frame[frame["segment_id"].isin(segment_ids)]
        if len(hit):
            found[coder] = frame
    return found


def summarise(frames: dict[str, pd.DataFrame], segment_ids: set[str]) -> tuple[OrphanedCodings, ...]:
    result = []
    for coder, frame in frames.items():
        hit = frame[frame["segment_id"].isin(segment_ids)]
        ids = tuple(dict.fromkeys(hit["segment_id"]))
        result.append(OrphanedCodings(coder, ids, len(hit)))
    return tuple(result)


def refusal(documents: list[str], affected: tuple[OrphanedCodings, ...]) -> ChangedTranscriptsError:
    """The error ingest raises for changed transcripts that have codings."""
    parts = []
    for item in affected:
        shown = ", ".join(item.segment_ids[:8])
        more = f" and {len(item.segment_ids) - 8} more" if len(item.segment_ids) > 8 else ""
        parts.append(f"{item.coder}: {shown}{more}")
    rows = sum(item.rows for item in affected)
    message = (
        f"{', '.join(documents)} changed since {'it was' if len(documents) == 1 else 'they were'} ingested, "
        f"and coded segments would change ({'; '.join(parts)}); nothing was written. "
        f"Restore the old file, or rerun with --force to re-ingest and move those {rows} coding row(s) "
        "to codings/orphaned/"
    )
    return ChangedTranscriptsError(message, tuple(documents), affected)


def move_orphans(
    project: Project,
    frames: dict[str, pd.DataFrame],
    segment_ids: set[str],
    old_text: dict[str, str],
) -> tuple[OrphanedCodings, ...]:
    """Move coders' rows on ``segment_ids`` to ``codings/orphaned/``, keeping every other row.

    The orphaned file holds the rows as they were, plus the segment's old text
    and a note; it is written before the coder's file is changed, so an
    interruption loses nothing. The coder's previous file is kept in history.
    """
    from slqual.codings import check_coder_name, write_coding

    for coder in frames:  # a name write_coding would refuse must stop us before anything moves
        check_coder_name(coder)
    folder = project.codings_dir / ORPHANED_DIR
    stamp, when = timestamp(), utc_now_iso()
    moved = []
    for coder, frame in frames.items():
        hit = frame["segment_id"].isin(segment_ids)
        # A coder's own column named like one added here gives way to it.
        orphans = frame[hit].drop(columns=[c for c in _ADDED_COLUMNS if c in frame.columns])
        orphans["old_text"] = orphans["segment_id"].map(old_text).fillna("")
        orphans["orphaned_at"] = when
        orphans["note"] = (
            "moved by 'slqual ingest --force': the transcript changed and this segment id no longer "
            "holds the same words; re-code the new segment if the code still applies"
        )
        target = folder / f"{coder}.{stamp}.csv"
        atomic_write_csv(target, orphans)
        write_coding(project, coder, frame[~hit])
        ids = tuple(dict.fromkeys(orphans["segment_id"]))
        moved.append(OrphanedCodings(coder, ids, len(orphans), str(target.relative_to(project.root))))
    return tuple(moved)
