"""Keeping report files the user edited before a new report replaces them.

slqual records a hash of every report file it writes (``.slqual/reports.json``).
Before the next run writes into the same folder, a file whose content no
longer matches its record (edited by hand, or never written by slqual) is
copied to ``.slqual/history/`` (``slqual.fileio.keep_history``), as every
other replaced file is kept. Files left as slqual wrote them are replaced
without a copy, so history does not fill with identical reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.fileio import INTERNAL_DIR, atomic_write_text, keep_history

if TYPE_CHECKING:
    from slqual.project import Project

RECORD = "reports.json"
REPORT_FILES = ("report.*", "csv/*.csv", "figures/*.png", "figures/*.svg")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _record_path(project: Project) -> Path:
    return project.root / INTERNAL_DIR / RECORD


def _load(project: Project) -> dict[str, str]:
    try:
        data = json.loads(_record_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def keep_edited(project: Project, out_dir: Path) -> list[Path]:
    """Copy to history each report file in ``out_dir`` that differs from what slqual last wrote there."""
    if not out_dir.is_dir():
        return []
    record = _load(project)
    kept = []
    for pattern in REPORT_FILES:
        for path in sorted(out_dir.glob(pattern)):
            if not path.is_file() or path.name.startswith("."):
                continue
            if record.get(str(path.resolve())) == _digest(path):
                continue
            copy = keep_history(project.root, path)
            if copy is not None:
                kept.append(copy)
    return kept


def record_written(project: Project, out_dir: Path, paths: Iterable[Path]) -> None:
    """Remember the hash of each file just written."""
    record = _load(project)
    for path in paths:
        record[str(Path(path).resolve())] = _digest(Path(path))
    atomic_write_text(_record_path(project), json.dumps(record, indent=1, sort_keys=True) + "\n")
