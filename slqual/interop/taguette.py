"""Taguette's codebook CSV export (columns ``tag``, ``description``, ``number of highlights``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from slqual.errors import CodebookError
from slqual.interop.qdc import MAX_QDC_BYTES, RawCode, RawCodebook, parse_description


def read_taguette_csv(path: Path | str) -> RawCodebook:
    """A flat list of codes from Taguette's 'Export codebook > CSV' file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_QDC_BYTES:
            raise CodebookError(f"{path}: too large for a codebook ({path.stat().st_size:,} bytes)")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CodebookError(f"{path}: file not found; check the path") from exc
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: not UTF-8 text; save it as 'CSV UTF-8'") from exc
    except OSError as exc:
        raise CodebookError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
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
        parts = parse_description(row.get("description") or "")
        codes.append(
            RawCode(
                name=name,
                definition=parts.definition,
                include=parts.include,
                exclude=parts.exclude,
                examples=parts.examples,
                memo=parts.memo,
            )
        )
    return RawCodebook(codes=tuple(codes), origin="Taguette")
