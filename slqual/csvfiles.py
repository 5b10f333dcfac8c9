"""What every CSV reader in slqual shares: the separator a spreadsheet chose, and no field too long.

Python's csv module refuses fields over 131,072 characters by default, and
one 30,000-word answer is longer than that; slqual must read back every file
it writes, so the limit is raised once, here, for every reader.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# The largest field any reader accepts: far above any turn of speech, still bounded.
FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
csv.field_size_limit(FIELD_LIMIT)


def csv_separator(path: Path | str) -> str:
    """',' or ';': Excel in many languages saves CSV with ';' between cells (judged by the header)."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    return ";" if first.count(";") > first.count(",") else ","
