"""What ingest tells the user: the result it returns, and its warnings.

The result dataclasses are what ``--format json`` prints. Warnings are
collected into one list, one line per kind of problem naming every file it
concerns; warnings about files that did not change since the last ingest are
not repeated (one summary line says how many there were).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.transcripts.encoding import ENCODING_NAMES

if TYPE_CHECKING:
    from slqual.manifest import ManifestEntry
    from slqual.orphans import OrphanedCodings
    from slqual.participants import ParticipantIndex
    from slqual.project import Project

LONG_TITLE_WORDS = 50  # a longer block before the first label earns a warning
# A guessed encoding as a warning names it: as error messages do, but a guess is one encoding.
_GUESSED_NAMES = {**ENCODING_NAMES, "cp1252": "Windows-1252", "mac_roman": "Mac Roman"}


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
    participants: tuple[str, ...] = ()  # everyone who speaks in it (several in a focus group)
    unmapped: tuple[str, ...] = ()  # speaker labels of a focus group that participants.csv does not name
    kept: int = 0  # segments that kept their id and words
    edited: int = 0  # segments that kept their id with edited words (marked for review)
    added: int = 0  # segments with new ids
    removed: int = 0  # ids no longer in the document
    # (participant_id, participant turns, words) for each participant of a focus group
    per_participant: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class GroupSummary:
    group: str
    documents: int
    participant_turns: int
    words: int
    participants: int = 0


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
    review: tuple[str, ...] = ()  # coded segments whose words were edited: marked for review
    locked: tuple[str, ...] = ()  # coders whose lock ingest held while it wrote

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def document_warnings(
    documents: tuple[DocumentSummary, ...],
    participants: ParticipantIndex,
    rows: list[tuple],
    project: Project,
    *,
    repeat: bool = False,
) -> list[str]:
    """Warnings about the documents read; those about unchanged files become one line unless ``repeat``."""
    warnings = []
    name = project.participants_path.name
    matched = {row[2] for row in rows}
    missing = [
        f"{pid} (file '{participants.files[pid]}')" if participants.files.get(pid) else pid
        for pid in participants.ids
        if pid not in matched
    ]
    fresh = [d for d in documents if repeat or d.status != "unchanged"]
    quiet = [d for d in documents if not repeat and d.status == "unchanged"]
    warnings.extend(_file_warnings(fresh, participants, name))
    if missing:
        warnings.append(f"{len(missing)} participant(s) in {name} have no transcript: {', '.join(missing)}")
    repeated = _file_warnings(quiet, participants, name)
    if repeated:
        files = [d.file for d in quiet if any(d.file in w for w in repeated)]
        shown_files = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
        warnings.append(
            f"{len(repeated)} warning(s) about unchanged file(s) ({shown_files}) were shown before and are "
            "not repeated; 'slqual ingest --all-warnings' shows them"
        )
    return warnings


def _file_warnings(documents: list[DocumentSummary], participants: ParticipantIndex, name: str) -> list[str]:
    warnings = []
    unmatched = [d.file for d in documents if not d.participant_id and not d.participants]
    if unmatched and participants.present:
        warnings.append(
            f"no row in {name} for {len(unmatched)} transcript(s): {', '.join(unmatched)}; "
            "their participant_id is empty (add rows whose participant_id is the file name, "
            "or a 'file' column)"
        )
    warnings.extend(
        f"{d.file}: speaker label(s) {', '.join(repr(s) for s in d.unmapped)} have no row in {name} "
        "(its rows for this file carry a 'speaker' column), so their participant_id is empty; add a row "
        "for each, or list the label under 'interviewer:' in slqual.yaml if it is the moderator"
        for d in documents
        if d.unmapped
    )
    unlabelled = [d.file for d in documents if not d.labelled]
    if unlabelled:
        warnings.append(
            f"no speaker labels found in {', '.join(unlabelled)}: each paragraph became a segment by speaker "
            "'unknown'; add labels such as 'Interviewer:' and 'P07:' at line starts and ingest again"
        )
    warnings.extend(f"{d.file}: {d.hint}" for d in documents if d.hint)
    single = [f"{d.file} ({d.speakers[0]})" for d in documents if d.labelled and len(d.speakers) == 1]
    if single:
        warnings.append(
            f"only one speaker label found in {'; '.join(single)}: all the text after it is given to that "
            "speaker; if someone else speaks there, add their label (such as 'P07:') where they start "
            "and ingest again"
        )
    no_interviewer = [
        f"{d.file} ({', '.join(d.speakers[:4])})"
        for d in documents
        if d.labelled
        and len(d.speakers) > 1
        and d.participant_turns == d.turns
        and not (d.per_participant and not d.unmapped)  # a focus group whose every speaker is mapped
    ]
    if no_interviewer:
        warnings.append(
            f"no interviewer found in {'; '.join(no_interviewer)}: every speaker counts as a participant; "
            "if one of them is the interviewer, add that label under 'interviewer:' in slqual.yaml"
        )
    guessed: dict[str, list[str]] = {}
    for d in documents:
        if d.encoding_guessed:
            guessed.setdefault(_GUESSED_NAMES.get(d.encoding or "", d.encoding or ""), []).append(d.file)
    for encoding, files in guessed.items():
        warnings.append(
            f"encoding guessed as {encoding} for {', '.join(files)} (not UTF-8); "
            "check that quotes and accented letters look right, or save the files as UTF-8"
        )
    warnings.extend(
        f"{d.file}: {d.title_words} words before the first speaker label were skipped as a title block; "
        "add a label where the speech starts if they are speech"
        for d in documents
        if d.title_words > LONG_TITLE_WORDS
    )
    return warnings


def group_summaries(
    documents: tuple[DocumentSummary, ...], group_of: dict[str, str]
) -> tuple[GroupSummary, ...]:
    """Totals per group of the participants who speak (a focus group counts each of its participants)."""
    totals: dict[str, list] = {}
    for doc in documents:
        for pid, turns, words in doc_participants(doc):
            group = group_of.get(pid, doc.group if pid == doc.participant_id else "")
            entry = totals.setdefault(group, [set(), 0, 0, set()])
            entry[0].add(doc.document)
            entry[1] += turns
            entry[2] += words
            if pid:
                entry[3].add(pid)
    return tuple(
        GroupSummary(g, len(totals[g][0]), totals[g][1], totals[g][2], len(totals[g][3]))
        for g in sorted(totals, key=lambda g: (g == "", g))
    )


def doc_participants(doc: DocumentSummary) -> list[tuple[str, int, int]]:
    """(participant_id, participant turns, words) per participant of a document, from its summary."""
    return list(doc.per_participant) or [(doc.participant_id, doc.participant_turns, doc.participant_words)]


def gone_warnings(
    project: Project, folder: Path, manifest: dict[str, ManifestEntry], read_docs: set[str]
) -> list[str]:
    """Documents ingested from ``folder`` before whose file is gone (their segments stay)."""
    if not folder.is_dir():
        return []
    prefix = shown(folder, project.root).rstrip("/") + "/"
    prefix = "" if prefix == "./" else prefix
    gone = [
        doc
        for doc, entry in manifest.items()
        if doc not in read_docs and entry.file.startswith(prefix) and not (project.root / entry.file).exists()
    ]
    if not gone:
        return []
    return [
        f"{len(gone)} document(s) in segments.csv no longer have their file ({', '.join(gone)}); "
        "their segments are kept"
    ]


def shown(path: Path, base: Path) -> str:
    """A path as the user knows it: relative to ``base`` (a folder, or a file's folder) where possible."""
    return shown_under(base)(path)


def shown_under(base: Path) -> Callable[[Path], str]:
    """``shown`` for many paths under one ``base``: the file system is asked about ``base`` once."""
    base_dir = base if base.is_dir() else base.parent

    def show(path: Path) -> str:
        try:
            relative = Path(os.path.relpath(path, base_dir))
        except ValueError:  # another drive on Windows
            return path.as_posix()
        if relative.parts and relative.parts[0] == "..":
            return path.as_posix()
        return relative.as_posix()

    return show
