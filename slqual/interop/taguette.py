"""Taguette's codebook CSV export (columns ``tag``, ``description``, ``number of highlights``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from slqual.errors import CodebookError
from slqual.interop.qdc import RawCodebook, raw_code, read_foreign_bytes


def read_taguette_csv(path: Path | str) -> RawCodebook:
    """A flat list of codes from Taguette's 'Export codebook > CSV' file."""
    path = Path(path)
    try:
        text = read_foreign_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: not UTF-8 text; save it as 'CSV UTF-8'") from exc
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise CodebookError(f"{path}: not a readable CSV file ({exc}); check the commas and quotes") from exc
    if not rows or "tag" not in (rows[0].keys()):
        raise CodebookError(
            f"{path}: expected a Taguette codebook CSV with a 'tag' column; "
            "export it from Taguette with 'Export codebook' as CSV, or use the .qdc export"
        )
    codes = []
    for number, row in enumerate(rows, start=2):
        name = " ".join((row.get("tag") or "").split())
        if not name:
            raise CodebookError(f"{path}, row {number}: empty tag; fill it in or delete the row")
        codes.append(raw_code(name, row.get("description") or ""))
    return RawCodebook(codes=tuple(codes), origin="Taguette")
