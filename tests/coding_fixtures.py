"""A small coding project copied from tests/data/coding/ into tmp_path (shared by the coding tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

from slqual.project import Project, open_project

DATA = Path(__file__).resolve().parent / "data" / "coding"
PARTICIPANT_SEGMENTS = ["P01-0002", "P01-0004", "P01-0005", "P02-0002", "P02-0004", "P02-0005"]


def make_project(tmp_path: Path) -> Project:
    root = tmp_path / "study"
    shutil.copytree(DATA, root)
    return open_project(root)
