"""The disagreements table: one row per segment and code where the coders differ.

Its empty ``decision`` and ``reason`` columns are for the team's discussion;
``slqual reconcile`` reads them back. Segments a coder never coded are not
disagreements (the coder has not rated them); only coders who rated the
segment are compared.

Writing over a file the team has started filling (``agree --force``) carries
every cell they typed (decision, reason, decided_by, columns of their own) into
the rows that are still disagreements, and sets the rest aside, with their row
number and why, in ``<file>.stale.csv`` beside a CSV or on the sheet
"no longer apply" of a workbook: nothing typed is lost. The workbook is laid out
for the meeting: a keep/drop drop-down, wrapped text with row heights that show
it, coders' 1/0 as numbers, a frozen header and a filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from slqual.agreement.build import Ratings
from slqual.errors import AgreementError

if TYPE_CHECKING:
    import pandas as pd

CONTEXT = ["segment_id", "document", "participant_id", "group", "question", "text", "code", "code_name"]
TYPED = ("decision", "reason")  # the columns slqual leaves empty for the team
IDS = ("segment_id", "code")  # left as they are in CSV; every other cell is guarded against formulas
WIDTHS = {
    "question": 40,
    "text": 70,
    "code": 26,
    "code_name": 28,
    "decision": 12,
    "reason": 50,
    "decided_by": 20,
}
WRAPPED = ("question", "text", "code", "code_name", "reason")
STALE_SUFFIX = ".stale.csv"
LINE_POINTS = 15.0  # the height of one line of 11-point text
MAX_ROW_POINTS = 409.0  # the tallest row a spreadsheet allows


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


@dataclass(frozen=True)
class CarryOver:
    """What ``agree --force`` kept of a file the team had started filling."""

    table: pd.DataFrame  # the new disagreements, with the typed cells that still apply
    stale: pd.DataFrame | None  # rows that no longer apply: set aside now or by an earlier run
    carried: int  # filled-in rows carried into the new table
    set_aside: tuple[tuple[int, str, str], ...]  # (row in the old file, segment_id, code), set aside now


def stale_path(path: Path | str) -> Path:
    """Where the rows that no longer apply are kept beside a CSV: ``d.csv`` -> ``d.stale.csv``."""
    path = Path(path)
    return path.with_name(path.stem + STALE_SUFFIX)


def stale_place(path: Path | str) -> str:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from slqual.decisions import STALE_SHEET

        return f"the sheet '{STALE_SHEET}' of {path}"
    return str(stale_path(path))


def carry_over(table: pd.DataFrame, path: Path | str, coders: list[str] | tuple[str, ...]) -> CarryOver:
    """Carry what the team typed in the existing file at ``path`` into ``table``.

    A row is filled in when any cell the team types (decision, reason, or a column
    slqual does not write) is not blank. It is carried when its segment_id and code
    are still a disagreement, else set aside with its row number and why.
    """
    import pandas as pd

    from slqual.decisions import read_decisions_table, stale_sheet_rows

    path = Path(path)
    old = read_decisions_table(path)
    if not set(IDS) <= set(old.columns):
        raise AgreementError(
            f"{path}: has no segment_id and code columns, so it is not a disagreements file and its "
            "rows could not be carried over; choose another name, or move the file away first"
        )
    columns = list(old.columns)
    # The coder columns slqual wrote last time sit between code_name and decision: not typed by the team.
    earlier_coders: set[str] = set()
    if {"code_name", "decision"} <= set(columns):
        earlier_coders = set(columns[columns.index("code_name") + 1 : columns.index("decision")])
    added = [
        c
        for c in columns
        if c not in table.columns
        and c not in earlier_coders
        and not (c.startswith("Unnamed:") and not old[c].str.strip().any())
    ]
    typed = [c for c in TYPED if c in old.columns] + added
    new = table.assign(**dict.fromkeys(added, ""))
    where = {key: i for i, key in enumerate(zip(new["segment_id"], new["code"], strict=True))}
    why = f"no longer a disagreement between {', '.join(coders)}"
    carried: set[int] = set()
    stale_rows, set_aside = [], []
    for number, row in enumerate(old.to_dict("records"), start=2):
        if not any(str(row[c]).strip() for c in typed):
            continue
        key = (str(row["segment_id"]).strip(), str(row["code"]).strip())
        at = where.get(key)
        if at is not None and at not in carried:
            carried.add(at)
            for column in typed:
                new.iat[at, new.columns.get_loc(column)] = row[column]
            continue
        reason = why if at is None else "the same segment and code is filled in on an earlier row"
        stale_rows.append({**row, "row": str(number), "why_set_aside": reason})
        set_aside.append((number, *key))
    earlier = stale_sheet_rows(path)
    if earlier is None and stale_path(path).is_file() and path.suffix.lower() == ".csv":
        earlier = read_decisions_table(stale_path(path))
    frames = [f for f in (earlier, pd.DataFrame(stale_rows)) if f is not None and len(f)]
    stale = pd.concat(frames, ignore_index=True).fillna("") if frames else None
    return CarryOver(table=new, stale=stale, carried=len(carried), set_aside=tuple(set_aside))


def carry_notes(carry: CarryOver, path: Path | str) -> tuple[str, ...]:
    """What the terminal says about a carry-over."""
    notes = []
    if carry.carried:
        notes.append(
            f"{path}: carried {carry.carried} filled-in row(s) (decisions, reasons and other typed cells) "
            "into the new file"
        )
    if carry.set_aside:
        shown = ", ".join(f"row {row}: {segment} {code}" for row, segment, code in carry.set_aside[:10])
        more = f", and {len(carry.set_aside) - 10} more" if len(carry.set_aside) > 10 else ""
        notes.append(
            f"{path}: {len(carry.set_aside)} row(s) the team filled in no longer apply ({shown}{more}); "
            f"they are kept in {stale_place(path)}"
        )
    return tuple(notes)


def write_disagreements(
    frame: pd.DataFrame,
    path: Path | str,
    stale: pd.DataFrame | None = None,
    coders: list[str] | tuple[str, ...] = (),
) -> Path:
    """Write the table as .csv or .xlsx, atomically; text is never turned into a formula.

    In xlsx text cells are stored as text; in CSV, cells (other than segment_id and
    code) that start with = + - @ get a leading apostrophe, as spreadsheets expect.
    ``stale`` rows go to ``<file>.stale.csv`` (written first) or a second sheet.
    """
    from slqual.fileio import atomic_write_bytes, atomic_write_csv

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise AgreementError(f"{path}: the disagreements file must end in .csv or .xlsx")
    if not path.parent.is_dir():
        raise AgreementError(f"{path.parent}: folder not found; create it or choose another place")
    if suffix == ".csv":
        if stale is not None and len(stale):
            atomic_write_csv(stale_path(path), _csv_guarded(stale))
        atomic_write_csv(path, _csv_guarded(frame))
    else:
        atomic_write_bytes(path, _xlsx_bytes(frame, stale, coders))
    return path


def _csv_guarded(frame: pd.DataFrame) -> pd.DataFrame:
    from slqual.cells import csv_text

    return frame.assign(**{c: frame[c].map(csv_text) for c in frame.columns if c not in IDS})


def write_disagreements_file(
    table: pd.DataFrame,
    path: Path | str,
    coders: list[str] | tuple[str, ...],
    project_root: Path | None = None,
) -> tuple[Path, pd.DataFrame, tuple[str, ...]]:
    """Write the disagreements file, carrying over what the team typed in an existing one.

    In a project the files replaced are kept in ``.slqual/history/`` first. Returns the
    path, the table as written and the notes to show.
    """
    from slqual.fileio import keep_history

    path = Path(path)
    notes: tuple[str, ...] = ()
    stale = None
    if path.exists():
        carry = carry_over(table, path, coders)
        table, stale, notes = carry.table, carry.stale, carry_notes(carry, path)
    if project_root is not None:
        keep_history(project_root, path)
        if stale is not None and path.suffix.lower() == ".csv":
            keep_history(project_root, stale_path(path))
    return write_disagreements(table, path, stale, coders), table, notes


def _xlsx_bytes(
    frame: pd.DataFrame, stale: pd.DataFrame | None, coders: list[str] | tuple[str, ...]
) -> bytes:
    """The workbook: the disagreements sheet, and the rows that no longer apply when there are any."""
    import io

    from openpyxl import Workbook

    from slqual.decisions import STALE_SHEET

    book = Workbook(write_only=True)
    _sheet(book, "disagreements", frame, coders, drop_down=True)
    if stale is not None and len(stale):
        _sheet(book, STALE_SHEET, stale, coders, drop_down=False)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(
    book: Any, title: str, frame: pd.DataFrame, coders: list[str] | tuple[str, ...], drop_down: bool
) -> None:
    """One sheet for reading on screen: text wrapped with row heights that show it
    (spreadsheets do not resize rows on opening), coders' 1/0 as numbers, header
    frozen and filtered, and (``drop_down``) a keep/drop list in the decision column.
    Text cells are never formulas (``slqual.cells.text_cell``).
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.properties import PageSetupProperties

    from slqual.cells import text_cell

    sheet = book.create_sheet(title)
    columns = [str(c) for c in frame.columns]
    typed = set(columns) - set(CONTEXT) - set(coders)  # decision, reason and the team's own columns
    widths = [_width(name, name in coders, name in typed) for name in columns]
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    wrapped = [name in WRAPPED or (name in typed and name != "decision") for name in columns]
    sheet.freeze_panes = "A2"
    # Printed for the meeting: landscape, all columns on the page's width, the header on every page.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    last = get_column_letter(len(columns))
    sheet.auto_filter = AutoFilter(ref=f"A1:{last}{len(frame) + 1}")
    if drop_down and "decision" in columns and len(frame):
        letter = get_column_letter(columns.index("decision") + 1)
        rule = DataValidation(
            type="list",
            formula1='"keep,drop"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="keep or drop",
            error="Write keep (the code belongs to the segment) or drop, or leave it empty while undecided.",
        )
        rule.add(f"{letter}2:{letter}{len(frame) + 1}")
        sheet.data_validations.append(rule)

    header = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    top = Alignment(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top")
    sheet.append(
        [_header_cell(text_cell(sheet, name, font=header, alignment=wrap), fill) for name in columns]
    )
    sheet.row_dimensions[1].height = _height(columns, widths, wrapped)
    for number, values in enumerate(frame.itertuples(index=False), start=2):
        texts = ["" if v is None else str(v) for v in values]
        sheet.row_dimensions[number].height = _height(texts, widths, wrapped)
        cells = []
        for name, text, is_wrapped in zip(columns, texts, wrapped, strict=True):
            if name in coders and text.strip() in ("0", "1"):
                cells.append(text_cell(sheet, int(text), alignment=centre))
            else:
                cells.append(text_cell(sheet, text, alignment=wrap if is_wrapped else top))
        sheet.append(cells)


def _header_cell(cell: Any, fill: Any) -> Any:
    cell.fill = fill
    return cell


def _width(name: str, coder: bool, typed: bool) -> float:
    if name in WIDTHS:
        return WIDTHS[name]
    if coder:
        return max(6, min(16, len(name) + 2))
    if typed:
        return max(20, min(40, len(name) + 2))
    return max(10, min(24, len(name) + 2))


def _height(texts: list[str], widths: list[float], wrapped: list[bool]) -> float:
    """Points for the row to show its wrapped text: lines of the fullest cell at its column's width."""
    import textwrap

    lines = 1
    for text, width, is_wrapped in zip(texts, widths, wrapped, strict=True):
        if not is_wrapped or not text:
            continue
        # A column of width w holds w digits; prose runs about 1.1 characters to a digit's width in
        # Calibri (Excel) and more in LibreOffice's fonts: this errs towards a little room to spare.
        per_line = max(1, int(width * 1.1))
        count = sum(
            max(1, len(textwrap.wrap(part, per_line, break_long_words=True))) for part in text.split("\n")
        )
        lines = max(lines, count)
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 2)
