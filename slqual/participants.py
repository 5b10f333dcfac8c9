"""participants.csv: one row per participant, every column an attribute.

Reading and validating the file, and matching its rows to documents and
speakers for ingest: by file stem, by the optional ``file`` column, or by
``file`` + ``speaker`` for the several participants of a focus group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import ProjectError

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project


def read_participants(path: Path | str) -> pd.DataFrame:
    """Read participants.csv as text columns; ids must be present and unique."""
    import pandas as pd

    columns, records = read_participant_records(path)
    return pd.DataFrame(records, columns=columns, dtype=str)


def read_participant_records(path: Path | str) -> tuple[list[str], list[dict[str, str]]]:
    """participants.csv as its column names and one dict per row, cells stripped, checked.

    The csv module, not pandas: the file is small and ingest should not wait for pandas to load.
    """
    from slqual.csvfiles import first_blank, read_text_rows

    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path}: participants file not found; create it with a participant_id column")
    header, rows = read_text_rows(path, ProjectError)
    columns = _column_names(header)
    if "participant_id" not in columns:
        raise ProjectError(f"{path}: no 'participant_id' column; add one as the first column")
    records = [dict(zip(columns, (cell.strip() for cell in row), strict=True)) for row in rows]
    ids = [record["participant_id"] for record in records]
    first_blank(path, ids, "participant_id", ProjectError)
    seen: set[str] = set()
    for pid in ids:
        if pid in seen:
            numbers = [str(number) for number, other in enumerate(ids, start=2) if other == pid]
            raise ProjectError(
                f"{path}, rows {', '.join(numbers)}: participant_id '{pid}' appears more than once; "
                "each participant needs one row"
            )
        seen.add(pid)
    return columns, records


def _column_names(header: list[str]) -> list[str]:
    # As pandas names them: a blank heading 'Unnamed: N', a repeated one 'name.1', 'name.2'.
    names: list[str] = []
    for number, name in enumerate(header):
        name = name or f"Unnamed: {number}"
        base, count = name, 1
        while name in names:
            name, count = f"{base}.{count}", count + 1
        names.append(name)
    return names


@dataclass(frozen=True)
class ParticipantIndex:
    """Who speaks in which document, from participants.csv.

    A document is matched by a row's ``file`` column (name or stem) or by its
    participant_id; in a file named by rows that also carry a ``speaker``
    (a focus group), each speaker label maps to its own participant.
    """

    by_name: dict[str, dict[str, str]]
    ids: tuple[str, ...]
    present: bool
    files: dict[str, str] = field(default_factory=dict)  # participant_id -> its 'file' column, if any
    # document stem (case folded) -> speaker key -> the participant's row
    speakers: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def row_for(self, document: str) -> dict[str, str]:
        """The participant of a one-participant document, or {} when none (or a mapped focus group)."""
        if document.casefold() in self.speakers:
            return {}
        return self.by_name.get(document) or self.by_name.get(document.casefold()) or {}

    def groups(self, column: str) -> dict[str, str]:
        """participant_id -> the participant's value of ``column`` (empty when absent)."""
        rows = [*self.by_name.values(), *(r for m in self.speakers.values() for r in m.values())]
        return {r["participant_id"]: r.get(column, "") or "" for r in rows}

    def speaker_map(self, document: str) -> dict[str, dict[str, str]] | None:
        """Speaker key -> participant row for a document mapped by speaker, else None."""
        return self.speakers.get(document.casefold())


def read_project_participants(project: Project) -> pd.DataFrame:
    """A project's participants file (see ``read_participants``)."""
    return read_participants(project.participants_path)


def load_participants(project: Project, warnings: list[str]) -> ParticipantIndex:
    """The project's participants as an index for ingest; problems that do not stop it go to ``warnings``."""
    if not project.participants_path.is_file():
        warnings.append(
            f"{project.participants_path.name} not found: participant ids are left empty; "
            "create it with a participant_id column and run ingest again"
        )
        return ParticipantIndex({}, (), False)
    columns, records = read_participant_records(project.participants_path)
    group_by = project.settings.group_by
    if group_by not in columns:
        warnings.append(
            f"{project.participants_path.name} has no '{group_by}' column (group_by in slqual.yaml), "
            f"so transcripts are not grouped; columns: {', '.join(columns)}"
        )
    return participant_index(records, project.participants_path)


def participant_index(
    records: list[dict[str, str]], path: Path | str = "participants.csv"
) -> ParticipantIndex:
    """Build the index from participants.csv's rows (see ``ParticipantIndex``)."""
    from slqual.transcripts.labels import speaker_key

    by_name: dict[str, dict[str, str]] = {}
    speakers: dict[str, dict[str, dict[str, str]]] = {}
    for number, record in enumerate(records, start=2):
        keys = [record["participant_id"]]
        file = record.get("file") or ""
        if file and record.get("speaker"):
            document = Path(file).stem.casefold()
            key = speaker_key(record["speaker"])
            other = speakers.setdefault(document, {}).get(key)
            if other is not None:
                raise ProjectError(
                    f"{path}, row {number}: speaker '{record['speaker']}' in '{file}' is already "
                    f"participant {other['participant_id']}; give each speaker of a file one row"
                )
            speakers[document][key] = record
            continue
        if file:
            keys = [Path(file).stem, Path(file).name, *keys]
        for key in keys:
            by_name.setdefault(key, record)
    for key, record in list(by_name.items()):
        by_name.setdefault(key.casefold(), record)
    files = {r["participant_id"]: r["file"] for r in records if r.get("file")}
    return ParticipantIndex(by_name, tuple(r["participant_id"] for r in records), True, files, speakers)
