"""CSV: one UTF-8 file per table in csv/, quotes as '"text" (P03, GP)' lines in a cell."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slqual.fileio import atomic_write_csv
from slqual.reports.model import Figure, Report, ReportFormat, TableKind
from slqual.reports.writers.base import ALL_KINDS, ReportWriter


class CsvWriter(ReportWriter):
    format = ReportFormat.csv
    kinds = ALL_KINDS

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        folder = out_dir / "csv"
        paths = []
        for table in self.tables(report):
            frame = table.frame
            if table.kind is TableKind.quotes:
                frame = frame.map(table.cell_text)
            path = folder / f"{table.key}.csv"
            atomic_write_csv(path, frame)
            paths.append(path)
        return paths
