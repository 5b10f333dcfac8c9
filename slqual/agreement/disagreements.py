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
FREE_TEXT = ("document", "participant_id", "group", "question", "text", "code_name")
WIDTHS = {"question": 50, "text": 70, "code_name": 30}
WRAPPED = ("question", "text")


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
        from slqual.cells import csv_text

        atomic_write_csv(path, frame.assign(**{c: frame[c].map(csv_text) for c in FREE_TEXT}))
    else:
        atomic_write_bytes(path, _xlsx_bytes(frame))
    return path


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """One sheet of text cells (the report's xlsx cells: XML-safe, never a formula)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from slqual.cells import text_cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("disagreements")
    for number, name in enumerate(frame.columns, start=1):
        width = WIDTHS.get(name, max(10, min(24, len(str(name)) + 2)))
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([text_cell(sheet, str(name), font=bold) for name in frame.columns])
    wrapped = [wrap if name in WRAPPED else None for name in frame.columns]
    for row in frame.itertuples(index=False):
        sheet.append(
            [
                text_cell(sheet, "" if value is None else str(value), alignment=style)
                for value, style in zip(row, wrapped, strict=True)
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
