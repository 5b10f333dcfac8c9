"""The one interface every report format implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from slqual.reports.model import Figure, Report, ReportFormat, Table, TableKind

# Tables for reading (quotes, counts) go to every format; the long data tables
# (one row per coded quote, participant x code) only to csv and xlsx.
READING_KINDS = frozenset({TableKind.quotes, TableKind.counts})
ALL_KINDS = frozenset(TableKind)
# Characters that XML (docx, xlsx, html) cannot hold: control characters (tab, newline and
# return are allowed), the non-characters U+FFFE and U+FFFF, and lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Text a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """Text without the characters XML-based formats refuse."""
    return _NOT_XML.sub("", text)


def csv_text(value: object) -> str:
    """A CSV cell a spreadsheet would take for a formula, prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


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
