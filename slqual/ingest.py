"""Ingest: a folder of transcripts into the project's numbered segments (``segments.csv``).

Every file is read once, by the reader for its format; utterances become
turns, turns become segments (``unit: turn | paragraph | sentence``), and
segments get ids ``<document>-<seq:04d>``. Nothing is written until every
file has been read and checked: an unreadable file, or a changed transcript
whose segments have codings, stops ingest with the project untouched.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.errors import ProjectError, TranscriptError
from slqual.fileio import atomic_write_text, utc_now_iso
from slqual.ingest_checks import ParticipantIndex, document_warnings, gone_warnings, load_participants, shown
from slqual.manifest import ManifestEntry, read_manifest, write_manifest
from slqual.orphans import OrphanedCodings, coded_rows, move_orphans, refusal, summarise
from slqual.segments import SEGMENT_COLUMNS
from slqual.transcripts.base import reader_for, supported_suffixes
from slqual.transcripts.labels import SpeakerRules, format_time
from slqual.transcripts.turns import build_turns, split_units

if TYPE_CHECKING:
    from slqual.project import Project

# Called after each file: (files done, files in all, the file's name).
Progress = Callable[[int, int, str], None]
_CONVERT_HINT = {".doc": ".docx", ".rtf": ".docx", ".pdf": ".docx or .txt", ".pages": ".docx"}


@dataclass(frozen=True)
class DocumentSummary:
    """What ingest did with one transcript."""

    document: str
    file: str
    format: str
    status: str  # new | changed (its segments changed) | updated (same segments, new details) | unchanged
    participant_id: str
    group: str
    segments: int
    turns: int
    participant_turns: int
    participant_words: int
    speakers: tuple[str, ...]
    labelled: bool
    encoding: str | None = None
    encoding_guessed: bool = False
    title_words: int = 0
    hint: str = ""  # e.g. that speakers seem to be marked by font colour


@dataclass(frozen=True)
class GroupSummary:
    group: str
    documents: int
    participant_turns: int
    words: int


@dataclass(frozen=True)
class Failure:
    file: str
    message: str


@dataclass(frozen=True)
class IngestResult:
    """The outcome of one ingest run; ``to_dict`` is what ``--format json`` prints."""

    folder: str
    segments_path: str
    unit: str
    documents: tuple[DocumentSummary, ...]
    groups: tuple[GroupSummary, ...]
    warnings: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    skipped: tuple[str, ...] = ()
    orphaned: tuple[OrphanedCodings, ...] = ()
    total_segments: int = 0
    written: bool = False
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Read:
    """One transcript read and segmented, not yet written."""

    path: Path
    summary: DocumentSummary
    rows: list[tuple] = field(default_factory=list)
    sha256: str = ""
    size: int = 0


def ingest(
    project: Project,
    folder: Path | str | None = None,
    *,
    force: bool = False,
    strict: bool = False,
    keep_going: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> IngestResult:
    """Read every transcript in ``folder`` (default: the project's transcripts/) into segments.csv.

    Unchanged files leave segments.csv byte-identical; new files add segments.
    A changed file whose segments have codings raises ChangedTranscriptsError
    unless ``force``, which moves those coding rows to codings/orphaned/.
    Unreadable files raise TranscriptError unless ``keep_going``, which
    ingests the rest and lists the failures. ``dry_run`` writes nothing.
    """
    folder = Path(folder) if folder is not None else project.transcripts_dir
    files, skipped = discover(folder, _project_paths(project))
    warnings: list[str] = []
    if skipped:
        names = ", ".join(shown(p, folder) for p in skipped)
        hints = sorted({f"{s} as {h}" for p in skipped if (h := _CONVERT_HINT.get(s := p.suffix.lower()))})
        hint = f"; save {', '.join(hints)} to ingest them" if hints else ""
        message = (
            f"skipped {len(skipped)} file(s) that are not transcripts: {names} "
            f"(slqual reads {', '.join(supported_suffixes())}){hint}"
        )
        if strict:
            raise TranscriptError(f"{folder}: {message}; remove them or run without --strict")
        if not files:  # only other files: say which, and how to make them readable
            raise TranscriptError(f"{folder}: no transcripts found; it holds only other files: {names}{hint}")
        warnings.append(message)
    if not files:
        raise TranscriptError(
            f"{folder}: no transcripts found (slqual reads {', '.join(supported_suffixes())}); "
            "put the transcript files in this folder"
        )
    _check_unique_documents(files, folder)

    participants = load_participants(project, warnings)
    rules = SpeakerRules(project.settings.interviewer, project.settings.speakers)
    unit = project.settings.unit
    group_by = project.settings.group_by

    reads: list[_Read] = []
    failures: list[Failure] = []
    for number, path in enumerate(files, start=1):
        name = shown(path, folder)
        try:
            reads.append(_read_one(path, name, rules, unit, participants, group_by))
        except TranscriptError as exc:
            if not keep_going:
                raise
            failures.append(Failure(name, str(exc)))
        if progress is not None:
            progress(number, len(files), name)

    old = _existing_rows(project)
    manifest = read_manifest(project.root)  # read before anything is written: a damaged one stops us here
    changed_ids, old_text = _compare(reads, old)

    orphaned: tuple[OrphanedCodings, ...] = ()
    frames = coded_rows(project, changed_ids) if changed_ids else {}
    if frames:
        affected = summarise(frames, changed_ids)
        if not force:
            docs = sorted({sid.rsplit("-", 1)[0] for item in affected for sid in item.segment_ids})
            files_changed = [i.summary.file for i in reads if i.summary.document in docs]
            raise refusal(files_changed or docs, affected)
        orphaned = affected

    by_document = old  # replaced in place, so the old rows of re-read documents can be freed
    by_document.update((item.summary.document, item.rows) for item in reads)
    rows = [row for doc in sorted(by_document, key=_natural) for row in by_document[doc]]
    text = _csv_text(rows)

    documents = tuple(item.summary for item in reads)
    warnings.extend(document_warnings(documents, participants, rows, project))
    warnings.extend(gone_warnings(project, folder, manifest, {d.document for d in documents}))
    written = False
    if not dry_run:
        if frames:
            orphaned = move_orphans(project, frames, changed_ids, old_text)
        written = _write_segments(project.segments_path, text)
        _update_manifest(project, manifest, reads, unit)
        if written:
            project.audit(
                "ingest",
                folder=str(folder),
                new=[d.document for d in documents if d.status == "new"],
                changed=[d.document for d in documents if d.status == "changed"],
                orphaned={o.coder: list(o.segment_ids) for o in orphaned},
                failures=[f.file for f in failures],
            )
    return IngestResult(
        folder=str(folder),
        segments_path=str(project.segments_path),
        unit=unit,
        documents=documents,
        groups=_groups(documents),
        warnings=tuple(warnings),
        failures=tuple(failures),
        skipped=tuple(shown(p, folder) for p in skipped),
        orphaned=orphaned,
        total_segments=len(rows),
        written=written,
        dry_run=dry_run,
    )


def _compare(reads: list[_Read], old: dict[str, list[tuple]]) -> tuple[set[str], dict[str, str]]:
    """Set each document's status against segments.csv; return the changed ids and their old text.

    new: not in segments.csv yet; unchanged: identical rows; updated: the same
    segments with other details changed (participant_id, role, times);
    changed: a segment id is gone or holds different words or another speaker.
    """
    changed_ids: set[str] = set()
    old_text: dict[str, str] = {}
    for item in reads:
        previous = old.get(item.summary.document)
        if previous is None:
            status = "new"
        elif previous == item.rows:
            status = "unchanged"
        else:
            status = "updated" if len(previous) == len(item.rows) else "changed"
            new_words = {row[0]: (row[4], row[8]) for row in item.rows}
            for row in previous:
                if new_words.get(row[0]) != (row[4], row[8]):
                    status = "changed"
                    changed_ids.add(row[0])
                    old_text[row[0]] = row[8]
        item.summary = replace(item.summary, status=status)
    return changed_ids, old_text


def discover(folder: Path, exclude: frozenset[Path] = frozenset()) -> tuple[list[Path], list[Path]]:
    """Transcript files under ``folder`` (sorted, subfolders included) and the other files skipped.

    Paths in ``exclude`` (the project's own files and folders) are left out silently.
    """
    if folder.is_file():
        return ([folder], []) if reader_for(folder) else ([], [folder])
    if not folder.is_dir():
        raise ProjectError(f"{folder}: folder not found; give the folder that holds the transcripts")
    files, skipped = [], []
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(here, d).resolve() not in exclude)
        for name in sorted(names):
            path = Path(here) / name
            if exclude and path.resolve() in exclude:
                continue
            hidden = name.startswith((".", "~$")) or name.endswith("~")
            if hidden or reader_for(path) is None:
                skipped.append(path)
            else:
                files.append(path)
    return files, skipped


def _project_paths(project: Project) -> frozenset[Path]:
    """The project's own files and folders, never transcripts (for 'slqual ingest .')."""
    paths = [
        project.settings_path,
        project.codebook_path,
        project.participants_path,
        project.segments_path,
        project.codings_dir,
        project.reports_dir,
        project.internal_dir,
    ]
    return frozenset(p.resolve() for p in paths)


def _read_one(
    path: Path, name: str, rules: SpeakerRules, unit: str, participants: ParticipantIndex, group_by: str
) -> _Read:
    reader = reader_for(path)
    assert reader is not None
    try:
        size = path.stat().st_size
        if size > reader.max_bytes:
            raise TranscriptError(
                f"{name}: {size / 1048576:,.0f} MB is far larger than an interview transcript "
                f"(slqual reads {reader.format} files up to {reader.max_bytes // 1048576} MB); "
                "check that it is the right file, or split it into one file per interview"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise TranscriptError(f"{name}: cannot be read ({exc.strerror or exc}); check the file") from exc
    transcript = reader.read(data, name, rules)
    turns = build_turns(transcript.utterances, rules, transcript.labelled)
    units = split_units(turns, unit)
    if not units:
        raise TranscriptError(f"{name}: holds no transcript text; add the text or remove the file")
    document = path.stem
    row = participants.row_for(document)
    participant_id = row.get("participant_id", "")
    rows = []
    participant_turns: set[int] = set()
    words = 0
    roles: dict[str, str] = {}
    for seq, item in enumerate(units, start=1):
        role = roles.get(item.speaker)
        if role is None:
            role = roles[item.speaker] = (
                "interviewer" if rules.is_interviewer(item.speaker) else "participant"
            )
        if role == "participant":
            participant_turns.add(item.turn)
            words += len(item.text.split())
        rows.append(
            (
                f"{document}-{seq:04d}",
                document,
                participant_id,
                seq,
                item.speaker,
                role,
                format_time(item.start),
                format_time(item.end),
                item.text,
            )
        )
    summary = DocumentSummary(
        document=document,
        file=name,
        format=reader.format,
        status="new",
        participant_id=participant_id,
        group=row.get(group_by, ""),
        segments=len(rows),
        turns=len(turns),
        participant_turns=len(participant_turns),
        participant_words=words,
        speakers=tuple(dict.fromkeys(t.speaker for t in turns)),
        labelled=transcript.labelled,
        encoding=transcript.encoding,
        encoding_guessed=transcript.encoding_guessed,
        title_words=transcript.title_words,
        hint=transcript.hint,
    )
    return _Read(path, summary, rows, hashlib.sha256(data).hexdigest(), len(data))


def _existing_rows(project: Project) -> dict[str, list[tuple]]:
    """segments.csv's rows grouped by document, as the same tuples ingest builds."""
    path = project.segments_path
    if not path.is_file():
        return {}
    grouped: dict[str, list[tuple]] = {}
    fix = "fix that line (or delete segments.csv) and run 'slqual ingest' again"
    reader = None
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != SEGMENT_COLUMNS:
                return _existing_rows_any_layout(path)
            intern = sys.intern  # a few distinct documents, participants, speakers and roles
            for fields in reader:
                if len(fields) != len(SEGMENT_COLUMNS):
                    raise ProjectError(
                        f"{path}, line {reader.line_num}: has {len(fields)} columns, not the "
                        f"{len(SEGMENT_COLUMNS)} of segments.csv; {fix}"
                    )
                sid, doc, pid, seq, speaker, role, start, end, text = fields
                if not seq.isdigit():
                    raise ProjectError(f"{path}, line {reader.line_num}: seq '{seq}' is not a number; {fix}")
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
        raise ProjectError(f"{path}{line}: is not a readable CSV file (quotes do not match); {fix}") from exc
    return grouped


def _existing_rows_any_layout(path: Path) -> dict[str, list[tuple]]:
    """A segments.csv someone reordered in a spreadsheet: read it by column name."""
    from slqual.segments import read_segments

    frame = read_segments(path)
    grouped: dict[str, list[tuple]] = {}
    for row in frame.itertuples(index=False, name=None):
        grouped.setdefault(row[1], []).append((*row[:3], int(row[3]), *row[4:]))
    return grouped


def _csv_text(rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SEGMENT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_segments(path: Path, text: str) -> bool:
    """Write segments.csv atomically unless it already holds exactly this text."""
    if path.is_file():
        try:
            if path.read_text(encoding="utf-8") == text:
                return False
        except (OSError, UnicodeDecodeError):
            pass
    atomic_write_text(path, text)
    return True


def _update_manifest(
    project: Project, manifest: dict[str, ManifestEntry], reads: list[_Read], unit: str
) -> None:
    entries = dict(manifest)
    now = utc_now_iso()
    for item in reads:
        doc = item.summary.document
        before = entries.get(doc)
        if item.summary.status == "unchanged" and before is not None and before.sha256 == item.sha256:
            continue
        entries[doc] = ManifestEntry(
            file=shown(item.path, project.root),
            sha256=item.sha256,
            size=item.size,
            format=item.summary.format,
            segments=item.summary.segments,
            unit=unit,
            ingested_at=before.ingested_at if before and item.summary.status == "unchanged" else now,
        )
    write_manifest(project.root, entries)


def _groups(documents: tuple[DocumentSummary, ...]) -> tuple[GroupSummary, ...]:
    totals: dict[str, list[int]] = {}
    for doc in documents:
        entry = totals.setdefault(doc.group, [0, 0, 0])
        entry[0] += 1
        entry[1] += doc.participant_turns
        entry[2] += doc.participant_words
    return tuple(GroupSummary(g, *totals[g]) for g in sorted(totals, key=lambda g: (g == "", g)))


def _check_unique_documents(files: list[Path], folder: Path) -> None:
    seen: dict[str, Path] = {}
    for path in files:
        if path.stem in seen:
            raise TranscriptError(
                f"{shown(seen[path.stem], folder)} and {shown(path, folder)} would both be document "
                f"'{path.stem}'; rename one of them (document names come from file names)"
            )
        seen[path.stem] = path


def _natural(name: str) -> tuple:
    return tuple(int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", name)))
