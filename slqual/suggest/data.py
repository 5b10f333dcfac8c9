"""Every read and write of project files that show, search and suggest make, in one place.

The project's file modules are being restructured; keeping all calls to them
here makes that an edit to one small module.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from slqual.codebook import Codebook
    from slqual.project import Project

SEGMENT_COLUMNS = ["segment_id", "document", "participant_id", "speaker", "question", "text"]


def load_codebook(project: Project) -> Codebook:
    from slqual.codebook import load_project_codebook

    return load_project_codebook(project)


def codebook_hash(codebook: Codebook) -> str:
    """A fingerprint of the code tree: ids and their parents, in order.

    A model is stale when a code is added, removed, renamed or moved; editing a
    definition or a name does not change what the model learned from.
    """
    tree = [[node.id, node.parent or ""] for node in codebook]
    return hashlib.sha256(json.dumps(tree).encode("utf-8")).hexdigest()


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def segments_hash(project: Project) -> str:
    """The sha256 of segments.csv (the key of the search index cache)."""
    from slqual.errors import ProjectError

    if not project.segments_path.is_file():
        raise ProjectError(
            f"{project.segments_path}: no segments yet; run 'slqual ingest transcripts/' first"
        )
    return file_hash(project.segments_path)


def participant_segments(project: Project) -> pd.DataFrame:
    """Participant segments in document order with the interviewer's ``question`` before each."""
    from slqual.segments import participant_segments as spoken
    from slqual.segments import read_project_segments, with_questions

    frame = spoken(with_questions(read_project_segments(project)))
    return frame[SEGMENT_COLUMNS].reset_index(drop=True)


def participant_texts(project: Project) -> pd.DataFrame:
    """Participant segments without the question column (cheaper: no per-document pass)."""
    from slqual.segments import participant_segments as spoken
    from slqual.segments import read_project_segments

    columns = [c for c in SEGMENT_COLUMNS if c != "question"]
    return spoken(read_project_segments(project))[columns].reset_index(drop=True)


def participants(project: Project) -> pd.DataFrame:
    """participants.csv, or an empty table with a participant_id column when there is none."""
    import pandas as pd

    from slqual.participants import read_project_participants

    if not project.participants_path.is_file():
        return pd.DataFrame({"participant_id": pd.Series(dtype=str)})
    return read_project_participants(project)


def coders(project: Project) -> list[str]:
    return project.coders()


def human_coders(project: Project) -> list[str]:
    from slqual.coding.pseudo import human_coders as people

    return people(project)


def read_coder(project: Project, coder: str) -> pd.DataFrame:
    """One coder's file (an error lists the coders there are when it does not exist)."""
    from slqual.codings import read_project_codings

    return read_project_codings(project, [coder])[coder]


def write_pseudo_coder(project: Project, coder: str, frame: pd.DataFrame) -> str | None:
    """Write a pseudo-coder's file under its lock; returns the kept previous copy's path."""
    from slqual.coding.lock import coder_lock
    from slqual.codings import write_coding

    with coder_lock(project, coder):
        kept = write_coding(project, coder, frame)
    return str(kept) if kept else None


def coding_columns() -> list[str]:
    from slqual.codings import CODING_COLUMNS

    return list(CODING_COLUMNS)


def check_coder_name(name: str) -> str:
    from slqual.codings import check_coder_name as check

    return check(name)
