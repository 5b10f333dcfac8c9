"""The disagreements file once the team has filled it in: their decisions, read back.

``slqual agree --disagreements`` writes the file (``slqual.agreement.disagreements``);
the team types ``decision`` (keep/drop), ``reason`` and, if they like,
``decided_by`` or columns of their own. This module is its one reader:
``slqual reconcile`` takes the decisions from it, and ``agree --force`` carries
what the team typed into the file it writes anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import CodingsError

if TYPE_CHECKING:
    import pandas as pd

KEEP_WORDS = {"keep", "include", "yes", "y", "1", "apply", "applied", "true", "agree"}
DROP_WORDS = {"drop", "exclude", "no", "n", "0", "remove", "false", "reject"}
# Rows of a .xlsx disagreements file that no longer apply are kept on a second sheet of this name.
STALE_SHEET = "no longer apply"


@dataclass(frozen=True)
class Decision:
    """One filled-in row: keep the code or not, why, who decided, and the spreadsheet row."""

    keep: bool
    reason: str
    decided_by: str
    row: int
    quote: str = ""  # the words the team chose to quote (an optional 'quote' column)


def read_decisions_table(path: Path | str, sheet: str | int = 0) -> pd.DataFrame:
    """The file as typed: every cell as text, column names stripped, nothing checked.

    A CSV may have ';' between cells (Excel in many languages saves so); free-text
    cells that slqual wrote with a leading apostrophe (so that a spreadsheet does not
    run them as formulas) are read back without it.
    """
    import zipfile

    import pandas as pd

    from slqual.cells import from_csv_text
    from slqual.csvfiles import read_text_table

    path = Path(path)
    if not path.is_file():
        raise CodingsError(
            f"{path}: decisions file not found; make it with 'slqual agree ... --disagreements FILE'"
        )
    excel = path.suffix.lower() in (".xlsx", ".xlsm")
    if not excel:
        frame = read_text_table(path, CodingsError)
    else:
        try:
            frame = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
        # A damaged .xlsx raises BadZipFile, KeyError (a part missing), SyntaxError (its XML cut
        # short) or a ValueError.
        except (OSError, ValueError, KeyError, SyntaxError, zipfile.BadZipFile) as exc:
            raise CodingsError(f"{path}: cannot be read as a CSV or Excel file ({exc})") from exc
        frame.columns = [str(c).strip() for c in frame.columns]
    if not excel:
        for column in frame.columns:
            if column not in ("segment_id", "code"):
                frame[column] = frame[column].map(from_csv_text)
    return frame


def stale_sheet_rows(path: Path | str) -> pd.DataFrame | None:
    """The rows an earlier ``agree --force`` set aside in a .xlsx file, or None when there are none."""
    import zipfile

    from openpyxl import load_workbook

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        book = load_workbook(path, read_only=True)
        names = book.sheetnames
        book.close()  # a read-only workbook keeps its file open until closed
    except (OSError, ValueError, KeyError, SyntaxError, zipfile.BadZipFile) as exc:
        raise CodingsError(f"{path}: cannot be read as an Excel file ({exc})") from exc
    if STALE_SHEET not in names:
        return None
    return read_decisions_table(path, sheet=STALE_SHEET)


def read_decisions(path: Path | str) -> dict[tuple[str, str], Decision]:
    """Read the filled disagreements file: (segment_id, code) -> Decision.

    Blank decisions are left out (undecided). Every unreadable decision is
    reported at once with its row number. ``decided_by`` is the file's
    ``decided_by`` cell, or ``team (<file name>)`` when the team left it out.
    """
    import pandas as pd

    path = Path(path)
    frame = read_decisions_table(path)
    missing = [c for c in ("segment_id", "code", "decision") if c not in frame.columns]
    if missing:
        raise CodingsError(
            f"{path}: missing column(s) {', '.join(missing)}; "
            "use the file that 'slqual agree --disagreements' wrote"
        )
    blank = pd.Series("", index=frame.index)
    reasons = frame["reason"] if "reason" in frame.columns else blank
    deciders = frame["decided_by"] if "decided_by" in frame.columns else blank
    quotes = frame["quote"] if "quote" in frame.columns else blank
    team = f"team ({path.name})"
    decisions: dict[tuple[str, str], Decision] = {}
    problems = []
    columns = (frame["segment_id"], frame["code"], frame["decision"], reasons, deciders, quotes)
    for row, (segment, code, decision, reason, by, quote) in enumerate(zip(*columns, strict=True), start=2):
        word = decision.strip().lower()
        if not word:
            continue
        if word not in KEEP_WORDS | DROP_WORDS:
            problems.append(f"row {row}: decision '{decision}' (use keep or drop)")
            continue
        decisions[(segment.strip(), code.strip())] = Decision(
            keep=word in KEEP_WORDS,
            reason=reason.strip(),
            decided_by=by.strip() or team,
            row=row,
            quote=quote.strip(),
        )
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise CodingsError(f"{path}: {shown}")
    return decisions
