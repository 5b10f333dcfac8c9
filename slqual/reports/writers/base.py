"""The one interface every report format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from slqual.reports.model import Figure, Report, ReportFormat, Table, TableKind

# Tables for reading (quotes, counts) go to every format; the long data tables
# (one row per coded quote, participant x code) only to csv and xlsx.
READING_KINDS = frozenset({TableKind.quotes, TableKind.counts})
ALL_KINDS = frozenset(TableKind)


class ReportWriter(ABC):
    """Writes a built report in one format and returns the files it wrote."""

    format: ClassVar[ReportFormat]
    kinds: ClassVar[frozenset[TableKind]] = READING_KINDS

    def tables(self, report: Report) -> list[Table]:
        return [t for t in report.tables if t.kind in self.kinds]

    @abstractmethod
    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        """Write the report into ``out_dir``; ``figures`` are already on disk there."""


def relative(path: Path, out_dir: Path) -> str:
    """A figure's path as written in a document beside it, with forward slashes."""
    return path.relative_to(out_dir).as_posix()
