"""Ingest: a folder of transcripts into the project's numbered segments (``segments.csv``).

Every file is read once, by the reader for its format; utterances become
turns, turns become segments (``unit: turn | paragraph | sentence``). A new
document's segments get ids ``<document>-0001`` onwards; a re-read document is
aligned with its old segments (``slqual.align``) so that every id keeps naming
the same words: unchanged turns keep their ids wherever they moved, edited
turns keep theirs and their codes are marked for review, new turns get
numbers never used in the document, and codes on turns that are gone move to
``codings/orphaned/`` (only with ``force``). Nothing is written until every
file has been read and checked, and coder files are changed only while
holding each coder's lock.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.align import DEFAULT_SIMILARITY, align, id_number
from slqual.errors import CodingsError, TranscriptError
from slqual.fileio import utc_now_iso
from slqual.ingest_report import (
    DocumentSummary,
    Failure,
    GroupSummary,
    IngestResult,
    document_warnings,
    gone_warnings,
    group_summaries,
    shown,
    shown_under,
)
from slqual.manifest import ManifestEntry, read_manifest, write_manifest
from slqual.orphans import OrphanedCodings, coded_rows, move_orphans, refusal, summarise
from slqual.participants import ParticipantIndex, load_participants
from slqual.segments import read_segment_rows, segments_text, write_segment_rows
from slqual.transcripts.base import reader_for, supported_suffixes
from slqual.transcripts.files import discover, read_limited
from slqual.transcripts.labels import SpeakerRules, format_time, speaker_key
from slqual.transcripts.turns import build_turns, split_units, turn_units

if TYPE_CHECKING:
    from slqual.coding.lock import CoderLock
    from slqual.project import Project

__all__ = ["DocumentSummary", "Failure", "GroupSummary", "IngestResult", "discover", "ingest"]

# Called after each file: (files done, files in all, the file's name).
Progress = Callable[[int, int, str], None]
_CONVERT_HINT = {".doc": ".docx", ".rtf": ".docx", ".pdf": ".docx or .txt", ".pages": ".docx"}


@dataclass
class _Read:
    """One transcript read and segmented, not yet given ids or written."""

    path: Path
    summary: DocumentSummary
    units: list[tuple] = field(default_factory=list)  # rows without segment_id and seq
    rows: list[tuple] = field(default_factory=list)  # once aligned
    sha256: str = ""
    size: int = 0
    highest: int = 0
    highest_in_rows: bool = False  # the rows' own numbers count too (only looked at when needed)


@dataclass
class _Changes:
    """What re-reading changed across documents."""

    removed: set[str] = field(default_factory=set)
    edited: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # id -> old, new, similarity
    old_text: dict[str, str] = field(default_factory=dict)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a whole study is read.

    Ingest (and import qdpx) keep hundreds of thousands of rows, turns or XML
    elements alive at once, none of them in a reference cycle; the collector
    would walk them all again and again as more are made (a tenth to a third
    of the time). Whatever it would have found is collected afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@collector_paused()
def ingest(
    project: Project,
    folder: Path | str | None = None,
    *,
    force: bool = False,
    strict: bool = False,
    keep_going: bool = False,
    dry_run: bool = False,
    similarity: float = DEFAULT_SIMILARITY,
    follow_links: bool = False,
    all_warnings: bool = False,
    progress: Progress | None = None,
) -> IngestResult:
    """Read every transcript in ``folder`` (default: the project's transcripts/) into segments.csv.

    Unchanged files leave segments.csv byte-identical; new files add segments;
    changed files are aligned with their old segments (see the module notes;
    ``similarity`` is the threshold for an edited turn, 0 to 1). A coded turn
    that is gone raises ChangedTranscriptsError unless ``force``, which moves
    its coding rows to codings/orphaned/. Unreadable files raise
    TranscriptError unless ``keep_going``. ``dry_run`` writes nothing.
    """
    if not 0 < similarity <= 1:
        raise TranscriptError(f"similarity {similarity} must be above 0 and at most 1 (default 0.8)")
    folder = Path(folder) if folder is not None else project.transcripts_dir
    show = shown_under(folder)
    found = discover(folder, _project_paths(project), follow_links=follow_links, shown=show)
    files, skipped = found.files, found.skipped
    warnings: list[str] = list(found.notes)
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
        left_out = f"; left out: {'; '.join(found.notes)}" if found.notes else ""
        raise TranscriptError(
            f"{folder}: no transcripts found (slqual reads {', '.join(supported_suffixes())}); "
            f"put the transcript files in this folder{left_out}"
        )
    _check_unique_documents(files, folder)

    participants = load_participants(project, warnings)
    rules = SpeakerRules(project.settings.interviewer, project.settings.speakers)
    unit = project.settings.unit
    group_by = project.settings.group_by

    reads: list[_Read] = []
    failures: list[Failure] = []
    for number, path in enumerate(files, start=1):
        name = show(path)
        try:
            reads.append(_read_one(path, name, rules, unit, participants, group_by))
        except TranscriptError as exc:
            if not keep_going:
                raise
            failures.append(Failure(name, str(exc)))
        if progress is not None:
            progress(number, len(files), name)

    old = read_segment_rows(project.segments_path)
    manifest = read_manifest(project.root)  # read before anything is written: a damaged one stops us here
    changes = _Changes()
    for item in reads:
        entry = manifest.get(item.summary.document)
        _assign_ids(item, old.get(item.summary.document), entry.highest if entry else 0, similarity, changes)

    orphaned: tuple[OrphanedCodings, ...] = ()
    frames = coded_rows(project, changes.removed) if changes.removed else {}
    if frames:
        affected = summarise(frames, changes.removed)
        if not force:
            docs = sorted({sid.rsplit("-", 1)[0] for item in affected for sid in item.segment_ids})
            files_changed = [i.summary.file for i in reads if i.summary.document in docs]
            raise refusal(files_changed or docs, affected)
        orphaned = affected
    edited_coded = coded_rows(project, set(changes.edited)) if changes.edited else {}

    by_document = old  # replaced in place, so the old rows of re-read documents can be freed
    by_document.update((item.summary.document, item.rows) for item in reads)
    rows = [row for doc in sorted(by_document, key=_natural) for row in by_document[doc]]
    text = segments_text(rows)

    documents = tuple(item.summary for item in reads)
    warnings.extend(document_warnings(documents, participants, rows, project, repeat=all_warnings))
    warnings.extend(gone_warnings(project, folder, manifest, {d.document for d in documents}))
    edited_ids = set(changes.edited)
    edited_by = {
        coder: sorted(set(f.loc[f["segment_id"].isin(edited_ids), "segment_id"]))
        for coder, f in edited_coded.items()
    }
    review = tuple(sorted({sid for ids in edited_by.values() for sid in ids}))
    written = False
    if not dry_run:
        with _coder_locks(project, sorted(frames)):
            if frames:
                orphaned = move_orphans(project, frames, changes.removed, changes.old_text)
            written = write_segment_rows(project.segments_path, text)
            _update_manifest(project, manifest, reads, unit)
            _mark_for_review(project, edited_by, changes.edited)
        if written:
            project.audit(
                "ingest",
                folder=str(folder),
                new=[d.document for d in documents if d.status == "new"],
                changed={
                    d.document: {"kept": d.kept, "edited": d.edited, "added": d.added, "removed": d.removed}
                    for d in documents
                    if d.status == "changed"
                },
                orphaned={o.coder: list(o.segment_ids) for o in orphaned},
                review=edited_by,
                failures=[f.file for f in failures],
            )
    return IngestResult(
        folder=str(folder),
        segments_path=str(project.segments_path),
        unit=unit,
        documents=documents,
        groups=group_summaries(documents, participants.groups(group_by)),
        warnings=tuple(warnings),
        failures=tuple(failures),
        skipped=tuple(shown(p, folder) for p in skipped),
        orphaned=orphaned,
        total_segments=len(rows),
        written=written,
        dry_run=dry_run,
        review=review,
        locked=tuple(sorted(frames)) if not dry_run else (),
    )


def _assign_ids(
    item: _Read, previous: list[tuple] | None, highest: int, threshold: float, changes: _Changes
) -> None:
    """Give a document's units their ids and seq, and set its status against its old rows.

    new: not in segments.csv yet; unchanged: identical rows; updated: the same
    segments with other details changed (participant_id, role, times);
    changed: segments were added, removed or edited.
    """
    document = item.summary.document
    units = item.units
    if previous is None:  # numbered in order, as align.new_id numbers them
        item.rows = [
            (f"{document}-{seq:04d}", document, pid, seq, speaker, role, start, end, text)
            for seq, (pid, speaker, role, start, end, text) in enumerate(units, 1)
        ]
        item.highest = len(units)
        item.summary = replace(item.summary, status="new", added=len(units))
        return
    if _same_rows(previous, units):  # the usual re-run: every row as it was, so no alignment
        item.rows = previous
        item.highest, item.highest_in_rows = highest, True
        item.summary = replace(item.summary, status="unchanged", kept=len(units))
        return
    old = [(row[0], row[4], row[8]) for row in previous]
    result = align(document, old, [(u[1], u[5]) for u in units], highest=highest, threshold=threshold)
    ids, item.highest = result.ids, result.highest
    counts = {
        "kept": len(result.kept),
        "edited": len(result.edited),
        "added": len(result.added),
        "removed": len(result.removed),
    }
    if result.removed or result.edited:
        before = {row[0]: row[8] for row in previous}
        changes.removed.update(result.removed)
        changes.old_text.update((sid, before[sid]) for sid in [*result.removed, *result.edited])
    status = "changed" if result.edited or result.added or result.removed else "unchanged"
    item.rows = [
        (sid, document, pid, seq, speaker, role, start, end, text)
        for seq, (sid, (pid, speaker, role, start, end, text)) in enumerate(zip(ids, units, strict=True), 1)
    ]
    if status == "unchanged" and previous != item.rows:
        status = "updated"
    if result.edited:
        texts = {row[0]: row[8] for row in item.rows}
        for sid, ratio in result.edited.items():
            changes.edited[sid] = (changes.old_text[sid], texts[sid], ratio)
    item.summary = replace(item.summary, status=status, **counts)


_ROW_DETAILS = operator.itemgetter(2, 4, 5, 6, 7, 8)  # a segments.csv row as _read_one makes it
_ROW_SEQ = operator.itemgetter(3)


def _same_rows(previous: list[tuple], units: list[tuple]) -> bool:
    """True when a document's rows in segments.csv are exactly those its units would get."""
    return (
        len(previous) == len(units)
        and list(map(_ROW_DETAILS, previous)) == units
        and list(map(_ROW_SEQ, previous)) == list(range(1, len(units) + 1))
    )


@contextlib.contextmanager
def _coder_locks(project: Project, coders: list[str]) -> Iterator[list[CoderLock]]:
    """Hold the locks of the coders whose files ingest changes, or refuse naming the session holding one."""
    from slqual.coding.lock import acquire_lock

    held: list[CoderLock] = []
    coder = ""
    try:
        for coder in coders:
            held.append(acquire_lock(project, coder))
    except CodingsError as exc:
        for lock in held:
            lock.release()
        raise CodingsError(
            f"ingest would move coding rows of '{coder}' to codings/orphaned/, but {exc}; "
            "nothing was written: run ingest again when that session has ended"
        ) from None
    try:
        yield held
    finally:
        for lock in held:
            lock.release()


def _mark_for_review(
    project: Project, edited_by: dict[str, list[str]], edited: dict[str, tuple[str, str, float]]
) -> None:
    from slqual.review import mark

    for coder, ids in edited_by.items():
        mark(project, coder, {sid: edited[sid] for sid in ids})


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
    data = read_limited(path, reader.max_bytes, name, reader.format)
    transcript = reader.read(data, name, rules)
    if unit == "turn":  # one unit per turn: the turns need not be built first
        units = turn_units(transcript.utterances, rules, transcript.labelled)
        turn_count, speakers = len(units), ()  # the speakers are those of the units, found below
    else:
        turns = build_turns(transcript.utterances, rules, transcript.labelled)
        units = split_units(turns, unit)
        turn_count, speakers = len(turns), tuple(dict.fromkeys(t.speaker for t in turns))
    if not units:
        raise TranscriptError(f"{name}: holds no transcript text; add the text or remove the file")
    document = path.stem
    row = participants.row_for(document)
    speaker_map = participants.speaker_map(document)
    participant_id = row.get("participant_id", "")
    rows = []
    participant_turns: set[int] = set()
    words = 0
    roles: dict[str, tuple[str, str]] = {}  # speaker -> (role, participant_id)
    per_participant: dict[str, list] = {}
    unmapped: dict[str, None] = {}
    append = rows.append
    for speaker, text, start, end, turn in units:
        known = roles.get(speaker)
        if known is None:
            role = "interviewer" if rules.is_interviewer(speaker) else "participant"
            pid = participant_id
            if speaker_map is not None:
                mapped = speaker_map.get(speaker_key(speaker))
                pid = mapped["participant_id"] if mapped else ""
                if role == "participant" and not mapped:
                    unmapped[speaker] = None
            known = roles[speaker] = (role, pid)
        role, pid = known
        if role == "participant":
            totals = per_participant.get(pid)
            if totals is None:
                totals = per_participant[pid] = [pid, 0, 0]
            count = text.count(" ") + 1 if text else 0  # the words: units are whitespace-normalised
            words += count
            if turn not in participant_turns:
                participant_turns.add(turn)
                totals[1] += 1
            totals[2] += count
        append(
            (
                pid,
                speaker,
                role,
                "" if start is None else format_time(start),
                "" if end is None else format_time(end),
                text,
            )
        )
    if unit == "turn":
        speakers = tuple(roles)  # in order of first appearance, as the turns'
    speakers_present = tuple(p for p in per_participant if p)
    summary = DocumentSummary(
        document=document,
        file=name,
        format=reader.format,
        status="new",
        participant_id=participant_id,
        group=row.get(group_by, ""),
        segments=len(rows),
        turns=turn_count,
        participant_turns=len(participant_turns),
        participant_words=words,
        speakers=speakers,
        labelled=transcript.labelled,
        encoding=transcript.encoding,
        encoding_guessed=transcript.encoding_guessed,
        title_words=transcript.title_words,
        hint=transcript.hint,
        participants=speakers_present
        if speaker_map is not None
        else (participant_id,) * bool(participant_id),
        unmapped=tuple(unmapped),
        per_participant=tuple(tuple(v) for v in per_participant.values()) if speaker_map is not None else (),
    )
    return _Read(path, summary, rows, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _update_manifest(
    project: Project, manifest: dict[str, ManifestEntry], reads: list[_Read], unit: str
) -> None:
    entries = dict(manifest)
    now = utc_now_iso()
    show = shown_under(project.root)
    for item in reads:
        doc = item.summary.document
        before = entries.get(doc)
        if item.summary.status == "unchanged" and before is not None and before.sha256 == item.sha256:
            continue
        highest = max(item.highest, before.highest if before else 0)
        if item.highest_in_rows:
            highest = max(highest, max(map(id_number, [row[0] for row in item.rows]), default=0))
        entries[doc] = ManifestEntry(
            file=show(item.path),
            sha256=item.sha256,
            size=item.size,
            format=item.summary.format,
            segments=item.summary.segments,
            unit=unit,
            ingested_at=before.ingested_at if before and item.summary.status == "unchanged" else now,
            highest=highest,
        )
    write_manifest(project.root, entries)


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
