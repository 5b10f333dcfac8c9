"""The disagreements table: one row per segment and code where the coders differ.

Its empty ``decision`` and ``reason`` columns are for the team's discussion;
``slqual reconcile`` reads them back. Segments a coder never coded are not
disagreements (the coder has not rated them); only coders who rated the
segment are compared.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from slqual.agreement.build import Ratings
from slqual.errors import AgreementError

if TYPE_CHECKING:
    import pandas as pd

CONTEXT = ["segment_id", "document", "participant_id", "group", "question", "text", "code", "code_name"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def disagreements_table(ratings: Ratings, context: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows where coders who rated a segment differ on a code; coder columns hold 1, 0 or empty.

    ``context`` (indexed by segment_id) supplies document, participant_id,
    group, question and text; outside a project these are empty.
    """
    import pandas as pd

    r = ratings.ratings
    applied = np.nansum(r, axis=1)
    raters = (~np.isnan(r)).sum(axis=1)
    differ = (raters >= 2) & (applied > 0) & (applied < raters)
    units, codes = np.nonzero(differ)
    frame = pd.DataFrame(
        {
            "segment_id": np.asarray(ratings.units, dtype=object)[units],
            "code": np.asarray(ratings.codes, dtype=object)[codes],
            "code_name": np.asarray(ratings.names, dtype=object)[codes],
        }
    )
    for column in ("document", "participant_id", "group", "question", "text"):
        if context is not None and column in context.columns:
            frame[column] = context[column].reindex(frame["segment_id"]).fillna("").to_numpy()
        else:
            frame[column] = ""
    for c, coder in enumerate(ratings.coders):
        values = r[units, c, codes]
        frame[coder] = np.where(np.isnan(values), "", np.where(values == 1, "1", "0"))
    frame["decision"] = ""
    frame["reason"] = ""
    return frame[[*CONTEXT, *ratings.coders, "decision", "reason"]].reset_index(drop=True)


def _as_text(value: object) -> str:
    """A cell a spreadsheet would read as a formula is prefixed with an apostrophe (CSV only)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_disagreements(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write the table as .csv or .xlsx, atomically; text is never turned into a formula.

    In xlsx every cell is stored as a string; in CSV, free-text cells that
    start with = + - @ get a leading apostrophe, as spreadsheets expect.
    """
    from slqual.fileio import atomic_write_bytes, atomic_write_csv

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise AgreementError(f"{path}: the disagreements file must end in .csv or .xlsx")
    if not path.parent.is_dir():
        raise AgreementError(f"{path.parent}: folder not found; create it or choose another place")
    if suffix == ".csv":
        safe = frame.copy()
        for column in ("document", "participant_id", "group", "question", "text", "code_name"):
            safe[column] = safe[column].map(_as_text)
        atomic_write_csv(path, safe)
        return path
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "disagreements"
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = "" if value is None else str(value)
            cell.data_type = "s"  # text, never a formula
    widths = {"question": 50, "text": 70, "code_name": 30}
    for column_number, name in enumerate(frame.columns, start=1):
        letter = sheet.cell(row=1, column=column_number).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, max(10, min(24, len(str(name)) + 2)))
        if name in ("question", "text"):
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return path
