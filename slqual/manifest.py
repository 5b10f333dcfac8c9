"""The ingest manifest, ``.slqual/manifest.json``: what each document was ingested from.

One entry per document: the file it came from (relative to the project where
possible), the SHA-256 of its bytes, its format and segment count, when it
was last (re)segmented, and the highest segment number ever given in it.
Ingest uses it to tell new, changed and unchanged files apart, to notice
files that have gone, and to never give a segment number twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from slqual.errors import ProjectError
from slqual.fileio import INTERNAL_DIR, atomic_write_text

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    sha256: str
    size: int
    format: str
    segments: int
    unit: str
    ingested_at: str
    # The highest segment number ever given in the document: new segments get higher ones, so an
    # id once used never names other words. 0 in manifests written before it was kept.
    highest: int = 0


def manifest_path(root: Path) -> Path:
    return Path(root) / INTERNAL_DIR / MANIFEST_FILE


def read_manifest(root: Path) -> dict[str, ManifestEntry]:
    """The manifest's entries by document; empty when there is none yet."""
    path = manifest_path(root)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {doc: ManifestEntry(**entry) for doc, entry in data.get("documents", {}).items()}
    except json.JSONDecodeError as exc:
        where = f", line {exc.lineno}"
    except (OSError, ValueError, TypeError, AttributeError):
        where = ""
    raise ProjectError(
        f"{path}{where}: the ingest manifest is damaged (it is written by slqual, not by hand); "
        "delete it and run 'slqual ingest' again"
    )


def manifest_text(entries: dict[str, ManifestEntry]) -> str:
    # The fields' own dict, in their order: dataclasses.asdict, which copies deeply, is ten times slower.
    documents = {doc: dict(vars(entries[doc])) for doc in sorted(entries)}
    data = {"version": MANIFEST_VERSION, "documents": documents}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_manifest(root: Path, entries: dict[str, ManifestEntry]) -> bool:
    """Write the manifest atomically when its content changed; returns True when written."""
    path = manifest_path(root)
    text = manifest_text(entries)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    atomic_write_text(path, text)
    return True
