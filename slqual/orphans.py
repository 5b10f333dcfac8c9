"""Coding rows on segments that a re-ingest removed: finding them, moving them aside, attaching them back.

When a corrected transcript no longer holds a coded turn (neither unchanged
nor similar enough to count as edited), ingest refuses unless asked
(``--force``); then the coding rows on those segments move to
``codings/orphaned/<coder>.<time>.csv`` with the old words and a note, so
nothing a coder did is lost. ``list_orphans`` numbers those rows and
``attach`` puts one back on a segment the user names, under the coder's lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
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
            "moved by 'slqual ingest --force': the transcript changed and these words are no longer in it; "
            "attach the row to the segment that now holds them with 'slqual orphans attach', or re-code"
        )
        target = folder / f"{coder}.{stamp}.csv"
        atomic_write_csv(target, orphans)
        write_coding(project, coder, frame[~hit])
        ids = tuple(dict.fromkeys(orphans["segment_id"]))
        moved.append(OrphanedCodings(coder, ids, len(orphans), str(target.relative_to(project.root))))
    return tuple(moved)


_ATTACHED_COLUMNS = ("attached_to", "attached_at")


@dataclass(frozen=True)
class OrphanRow:
    """One coding row in ``codings/orphaned/``; ``number`` is what ``slqual orphans attach`` takes.

    Numbers count every row of every orphaned file, oldest file first, so they
    do not change when a row is attached (it stays, marked) or when newer files come.
    """

    number: int
    coder: str
    file: str  # relative to the project
    row: int  # the row's line in that file (the header is line 1)
    segment_id: str
    code: str
    memo: str
    old_text: str
    orphaned_at: str
    attached_to: str = ""
    attached_at: str = ""


def _orphan_files(project: Project) -> list[tuple[str, str, Path]]:
    """(time stamp, coder, path) of every orphaned file, oldest first."""
    folder = project.codings_dir / ORPHANED_DIR
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.csv"):
        coder, _, stamp = path.stem.rpartition(".")
        if coder:
            found.append((stamp, coder, path))
    return sorted(found)


def _read_orphan_file(path: Path) -> pd.DataFrame:
    import pandas as pd

    from slqual.errors import CodingsError

    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CodingsError(
            f"{path}: cannot be read as an orphaned-rows file ({exc}); check the file"
        ) from exc


def list_orphans(project: Project, *, attached: bool = False) -> tuple[OrphanRow, ...]:
    """The orphaned coding rows, numbered; rows already re-attached only when ``attached``."""
    rows = []
    number = 0
    for _stamp, coder, path in _orphan_files(project):
        frame = _read_orphan_file(path)
        for index, record in enumerate(frame.to_dict("records")):
            number += 1
            item = OrphanRow(
                number=number,
                coder=coder,
                file=str(path.relative_to(project.root)),
                row=index + 2,
                segment_id=record.get("segment_id", ""),
                code=record.get("code", ""),
                memo=record.get("memo", ""),
                old_text=record.get("old_text", ""),
                orphaned_at=record.get("orphaned_at", ""),
                attached_to=record.get("attached_to", ""),
                attached_at=record.get("attached_at", ""),
            )
            if attached or not item.attached_to:
                rows.append(item)
    return tuple(rows)


def attach(project: Project, number: int, segment_id: str) -> OrphanRow:
    """Put orphaned row ``number`` back in its coder's file, on ``segment_id``.

    Takes the coder's lock (refusing while the coder has a session open), keeps
    the coder's previous file in history, marks the row as attached in the
    orphaned file, and writes both moves to the audit log. Nothing is written
    when any check fails.
    """
    from slqual.coding.lock import coder_lock
    from slqual.codings import read_coding, write_coding
    from slqual.errors import CodingsError
    from slqual.segments import read_project_segments

    everything = list_orphans(project, attached=True)
    item = next((r for r in everything if r.number == number), None)
    if item is None:
        raise CodingsError(
            f"no orphaned row {number}: rows are numbered 1 to {len(everything)} (see 'slqual orphans')"
        )
    if item.attached_to:
        raise CodingsError(
            f"orphaned row {number} ({item.file}, row {item.row}) was already attached to {item.attached_to} "
            f"on {item.attached_at}"
        )
    segments = read_project_segments(project)
    if segment_id not in set(segments["segment_id"]):
        raise CodingsError(
            f"{project.segments_path}: no segment '{segment_id}'; give an id from segments.csv, e.g. "
            f"{segments['segment_id'].iloc[0] if len(segments) else 'P01-0001'}"
        )
    with coder_lock(project, item.coder):
        path = project.root / item.file
        frame = _read_orphan_file(path)
        record = frame.iloc[item.row - 2]
        coder_path = project.coder_path(item.coder)
        coding = read_coding(coder_path, item.coder, extra_columns=True) if coder_path.exists() else None
        if (
            coding is not None
            and ((coding["segment_id"] == segment_id) & (coding["code"] == record.get("code", ""))).any()
        ):
            raise CodingsError(
                f"{coder_path}: {item.coder} already has {segment_id} with code '{item.code or '(none)'}'; "
                "nothing was attached"
            )
        import pandas as pd

        moved = record.drop(labels=[c for c in (*_ADDED_COLUMNS, *_ATTACHED_COLUMNS) if c in record.index])
        moved["segment_id"] = segment_id
        new = pd.DataFrame([moved.to_dict()]).astype(str)
        combined = new if coding is None else pd.concat([coding, new], ignore_index=True).fillna("")
        write_coding(project, item.coder, combined)
        when = utc_now_iso()
        for column in _ATTACHED_COLUMNS:
            if column not in frame.columns:
                frame[column] = ""
        frame.loc[item.row - 2, "attached_to"] = segment_id
        frame.loc[item.row - 2, "attached_at"] = when
        atomic_write_csv(path, frame)
    project.audit(
        "orphans attach",
        coder=item.coder,
        row=number,
        file=item.file,
        old_segment_id=item.segment_id,
        segment_id=segment_id,
        code=item.code,
    )
    return OrphanRow(**{**item.__dict__, "attached_to": segment_id, "attached_at": when})
