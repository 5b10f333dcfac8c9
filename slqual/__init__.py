"""slqual: thematic analysis of interview studies from the terminal.

The package is a library first: every command of the ``slqual`` CLI is a thin
wrapper over functions a notebook user can call directly. ``import slqual``
gives one function per command (see :mod:`slqual.api`), loaded on first use
so that the command line starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it; loaded when first used.
_PUBLIC = {
    "open_project": "slqual.api",
    "init_project": "slqual.api",
    "ingest_transcripts": "slqual.api",
    "IngestOptions": "slqual.api",
    "read_segments": "slqual.api",
    "read_codings": "slqual.api",
    "measure_agreement": "slqual.api",
    "AgreeOptions": "slqual.agreement.run",
    "reconcile_codings": "slqual.api",
    "ReconcileOptions": "slqual.api",
    "make_report": "slqual.api",
    "ReportOptions": "slqual.reports.model",
    "coding_status": "slqual.api",
    "SlqualError": "slqual.errors",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'slqual' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
