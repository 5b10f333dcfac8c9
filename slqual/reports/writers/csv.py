"""CSV: one file per table in csv/, quotes as '"text" (P03, GP)' lines in a cell.

Every file is UTF-8 with a byte-order mark, so Excel shows the characters
right, and text that a spreadsheet would run as a formula (= + - @ first, also
after leading spaces or a tab) starts with an apostrophe (``slqual.cells``).
``--csv-plain`` (``ReportOptions.csv_plain``) writes the raw text without the
mark or the guard, for R and pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from slqual.cells import csv_frame
from slqual.fileio import atomic_write_bytes
from slqual.reports.model import Figure, Report, ReportFormat, TableKind
from slqual.reports.writers.base import ALL_KINDS, ReportWriter

BOM = "\ufeff"


class CsvWriter(ReportWriter):
    format = ReportFormat.csv
    kinds = ALL_KINDS

    def write(self, report: Report, out_dir: Path, figures: Sequence[Figure]) -> list[Path]:
        folder = out_dir / "csv"
        plain = report.options.csv_plain
        paths = []
        for table in self.tables(report):
            frame = table.frame
            if table.kind is TableKind.quotes:
                frame = frame.map(table.cell_text)
            text = csv_frame(frame, plain=plain).to_csv(index=False, lineterminator="\n")
            path = folder / f"{table.key}.csv"
            atomic_write_bytes(path, (text if plain else BOM + text).encode("utf-8"))
            paths.append(path)
        return paths
