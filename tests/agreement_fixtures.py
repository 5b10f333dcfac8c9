"""Small projects and coder files for the agreement tests, built in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from slqual.project import Project, init_project
from slqual.segments import SEGMENT_COLUMNS, write_segments

CODEBOOK = """\
title: Agreement test codebook
version: 1
codes:
  - id: barriers
    name: Barriers
    definition: What gets in the way.
    children:
      - id: barriers.time
        name: Lack of time
        definition: No time for it.
      - id: barriers.culture
        name: Professional culture
        definition: Cultures clash.
  - id: skills
    name: Skills
    definition: Skills that help.
    children:
      - id: skills.listening
        name: Listening
        definition: Listening to others.
"""

# Two documents, interviewer question then participant answers.
SEGMENTS = [
    ("P01", "P01", 1, "Interviewer", "interviewer", "What gets in the way?"),
    ("P01", "P01", 2, "P01", "participant", "There is never enough time."),
    ("P01", "P01", 3, "P01", "participant", "=SUM(A1) and the culture of GPs."),
    ("P01", "P01", 4, "P01", "participant", "Listening matters most."),
    ("P02", "P02", 1, "Interviewer", "interviewer", "What skills help?"),
    ("P02", "P02", 2, "P02", "participant", "Listening, and time to listen."),
    ("P02", "P02", 3, "P02", "participant", "Nothing else really."),
    ("P02", "P02", 4, "P02", "participant", "Cultures differ a lot."),
]


def segment_frame() -> pd.DataFrame:
    rows = []
    for document, participant, seq, speaker, role, text in SEGMENTS:
        rows.append(
            {
                "segment_id": f"{document}-{seq:04d}",
                "document": document,
                "participant_id": participant,
                "seq": seq,
                "speaker": speaker,
                "speaker_role": role,
                "start": "",
                "end": "",
                "text": text,
            }
        )
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


def write_coder(path: Path, rows: list[tuple[str, str]], coder: str | None = None) -> Path:
    """A coder file with segment_id, code (and coder) columns."""
    frame = pd.DataFrame(rows, columns=["segment_id", "code"])
    if coder is not None:
        frame["coder"] = coder
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


REVIEWER1 = [
    ("P01-0002", "barriers.time"),
    ("P01-0003", "barriers.culture"),
    ("P01-0004", "skills.listening"),
    ("P02-0002", "skills.listening"),
    ("P02-0002", "barriers.time"),
    ("P02-0003", ""),
    ("P02-0004", "barriers.culture"),
]
REVIEWER2 = [
    ("P01-0002", "barriers.time"),
    ("P01-0003", "barriers.culture"),
    ("P01-0004", "skills.listening"),
    ("P02-0002", "skills.listening"),
    ("P02-0003", "barriers.time"),
    ("P02-0004", "barriers.culture"),
]


def make_project(tmp_path: Path, coders: dict[str, list[tuple[str, str]]] | None = None) -> Project:
    """A project with the test codebook, two participants, eight segments and the given coders."""
    codebook = tmp_path / "codebook-source.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    project = init_project(tmp_path / "study", codebook=str(codebook))
    (project.root / "participants.csv").write_text(
        "participant_id,group,role\nP01,clinical,GP\nP02,non-clinical,Manager\n", encoding="utf-8"
    )
    write_segments(project.segments_path, segment_frame())
    for coder, rows in (
        coders if coders is not None else {"reviewer1": REVIEWER1, "reviewer2": REVIEWER2}
    ).items():
        write_coder(project.coder_path(coder), rows, coder)
    return project
