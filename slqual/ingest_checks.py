"""What ingest checks and reports besides reading: participants, warnings, file names.

Participants are matched to documents by file stem or by participants.csv's
optional ``file`` column. Warnings are collected into one list, one line per
kind of problem naming every file it concerns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.transcripts.encoding import ENCODING_NAMES

if TYPE_CHECKING:
    from slqual.ingest import DocumentSummary
    from slqual.manifest import ManifestEntry
    from slqual.project import Project

LONG_TITLE_WORDS = 50  # a longer block before the first label earns a warning
# A guessed encoding as a warning names it: as error messages do, but a guess is one encoding.
_GUESSED_NAMES = {**ENCODING_NAMES, "cp1252": "Windows-1252", "mac_roman": "Mac Roman"}


@dataclass(frozen=True)
class ParticipantIndex:
    """participants.csv rows by document name: its ``file`` column (name or stem), else participant_id."""

    by_name: dict[str, dict[str, str]]
    ids: tuple[str, ...]
    present: bool
    files: dict[str, str] = field(default_factory=dict)  # participant_id -> its 'file' column, if any

    def row_for(self, document: str) -> dict[str, str]:
        return self.by_name.get(document) or self.by_name.get(document.casefold()) or {}


def load_participants(project: Project, warnings: list[str]) -> ParticipantIndex:
    if not project.participants_path.is_file():
        warnings.append(
            f"{project.participants_path.name} not found: participant ids are left empty; "
            "create it with a participant_id column and run ingest again"
        )
        return ParticipantIndex({}, (), False)
    frame = project.read_participants()
    group_by = project.settings.group_by
    if group_by not in frame.columns:
        warnings.append(
            f"{project.participants_path.name} has no '{group_by}' column (group_by in slqual.yaml), "
            f"so transcripts are not grouped; columns: {', '.join(frame.columns)}"
        )
    records = frame.to_dict("records")
    by_name: dict[str, dict[str, str]] = {}
    for record in records:
        keys = [record["participant_id"]]
        if record.get("file"):
            keys = [Path(record["file"]).stem, Path(record["file"]).name, *keys]
        for key in keys:
            by_name.setdefault(key, record)
    for key, record in list(by_name.items()):
        by_name.setdefault(key.casefold(), record)
    files = {r["participant_id"]: r["file"] for r in records if r.get("file")}
    return ParticipantIndex(by_name, tuple(r["participant_id"] for r in records), True, files)


def document_warnings(
    documents: tuple[DocumentSummary, ...],
    participants: ParticipantIndex,
    rows: list[tuple],
    project: Project,
) -> list[str]:
    warnings = []
    name = project.participants_path.name
    unmatched = [d.file for d in documents if not d.participant_id]
    if unmatched and participants.present:
        warnings.append(
            f"no row in {name} for {len(unmatched)} transcript(s): {', '.join(unmatched)}; "
            "their participant_id is empty (add rows whose participant_id is the file name, "
            "or a 'file' column)"
        )
    matched = {row[2] for row in rows}
    missing = [
        f"{pid} (file '{participants.files[pid]}')" if participants.files.get(pid) else pid
        for pid in participants.ids
        if pid not in matched
    ]
    if missing:
        warnings.append(f"{len(missing)} participant(s) in {name} have no transcript: {', '.join(missing)}")
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
        if d.labelled and len(d.speakers) > 1 and d.participant_turns == d.turns
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
    base_dir = base if base.is_dir() else base.parent
    try:
        relative = Path(os.path.relpath(path, base_dir))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if relative.parts and relative.parts[0] == "..":
        return path.as_posix()
    return relative.as_posix()
