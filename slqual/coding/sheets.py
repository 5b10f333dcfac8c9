"""Coding in a spreadsheet: export a coder's sheet, read a filled one back.

The sheet has one row per participant segment (segment_id, document,
participant, group, question, text, codes, memo, exemplar, quote, speaker, review).
``review`` holds a note for segments whose words were edited since they were
coded; ``ok`` there (or new codes) confirms them on import. With
``redact``, names and places in redact.csv are replaced in question, text and
quote (a quote sent back unchanged keeps the coder's unredacted quote). In ``codes``,
"none" means "read, and no code applies" and an empty cell means "not coded".
An xlsx sheet also has a Codebook sheet (id, name, definition), a Help sheet
and a hidden ``slqual`` sheet naming the project; a csv sheet names the
project in its last column, ``slqual_project``. Text that a spreadsheet would
take for a formula (starting with = + - @) is always written as text.

Validation and import are in ``slqual.coding.sheet_import``.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.cells import csv_text, excel_text, from_csv_text, looks_like_formula, xml_safe
from slqual.codings import check_coder_name, csv_separator, read_coding
from slqual.errors import CodingsError
from slqual.fileio import atomic_write_bytes, atomic_write_text, utc_now_iso

if TYPE_CHECKING:
    import pandas as pd

    from slqual.codebook import Codebook
    from slqual.project import Project

SHEET_COLUMNS = [
    "segment_id",
    "document",
    "participant",
    "group",
    "question",
    "text",
    "codes",
    "memo",
    "exemplar",
    "quote",
    "speaker",  # after the columns coders already know, which keep their place
    "review",  # for segments whose words were edited since coded: type ok to keep the codes
]
PROJECT_COLUMN = "slqual_project"
CODING_SHEET, CODEBOOK_SHEET, HELP_SHEET, META_SHEET = "Coding", "Codebook", "Help", "slqual"
NONE_MARK = "none"
FORMATS = ("xlsx", "csv")
WIDTHS = {
    "segment_id": 12,
    "document": 10,
    "participant": 11,
    "speaker": 11,
    "review": 40,
    "group": 13,
    "question": 40,
    "text": 70,
    "codes": 32,
    "memo": 30,
    "exemplar": 9,
    "quote": 40,
}
WRAPPED = ("question", "text", "codes", "memo", "quote")
MAX_UNPACKED = 100_000_000  # bytes of XML inside an xlsx; a 10,000-segment sheet is about 15 MB
MAX_CSV_BYTES = 100_000_000
UNREADABLE_XLSX = (
    "cannot be opened as an Excel workbook (it is damaged, empty, or another kind of file); "
    "open it in your spreadsheet program and save it again as .xlsx"
)
HELP_LINES = (
    "How to fill this sheet",
    "Read each segment (the text column) with the question before it, and type in 'codes' the code ids "
    "that apply, separated by ; or , (see the Codebook sheet; the drop-down lists the ids). Exact code "
    "names are accepted too.",
    "Type 'none' when you have read the segment and no code applies. Leave 'codes' empty for segments "
    "you have not coded yet.",
    "'memo' is free text; put 1 in 'exemplar' to mark a good quote for reports.",
    "'quote' (optional): copy the exact words to quote from the text; join parts with '...'. "
    "Leave it empty to let the report choose the words.",
    "A quote applies to every code of the row. To give a code its own quote, start a line with the "
    "code and a colon, e.g. 'barriers.time: no time for it', one line per code (Alt+Enter starts a "
    "new line in an Excel cell).",
    "Do not change segment_id, add rows, or edit the hidden 'slqual' sheet. Send the file back as it is; "
    "it is imported with: slqual sheet import FILE --coder NAME",
)


@dataclass(frozen=True)
class SheetExport:
    """What ``export_sheet`` wrote."""

    path: str
    coder: str
    format: str
    segments: int
    coded: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def project_identity(project: Project) -> str:
    """A name for the project that travels with its sheets: '<folder>:<id>'.

    The id is made once and kept in ``.slqual/project-id``, so copies of the
    folder (a backup, a colleague's copy) count as the same project.
    """
    path = project.internal_dir / "project-id"
    if path.is_file():
        ident = path.read_text(encoding="utf-8").strip()
    else:
        ident = uuid.uuid4().hex[:12]
        atomic_write_text(path, ident + "\n")
    return f"{project.root.name}:{ident}"


def sheet_frame(project: Project, coder: str, redact: bool = False) -> pd.DataFrame:
    """The rows of a coder's sheet: every participant segment, with the coder's codings filled in."""
    from slqual.coding.frame import coding_frame
    from slqual.coding.sheet_quotes import quote_cell_text
    from slqual.coding.store import rows_to_answer

    frame = coding_frame(project).rename(columns={"participant_id": "participant"})
    answers, cells = {}, {}
    path = project.coder_path(coder)
    if path.is_file():
        coding = read_coding(path, coder)
        for sid, rows in coding.groupby("segment_id", sort=False):
            records = rows.to_dict("records")
            answers[sid] = answer = rows_to_answer(str(sid), records)
            # Each code's own quote (a coder file may give codes different quotes): see sheet_quotes.
            cells[sid] = quote_cell_text(list(answer.codes), {r["code"]: r["quote"] for r in records})
    codes, memos, exemplars, quotes = [], [], [], []
    for sid in frame["segment_id"]:
        answer = answers.get(sid)
        codes.append("" if answer is None else ("; ".join(answer.codes) or NONE_MARK))
        memos.append(answer.memo if answer else "")
        exemplars.append("1" if answer and answer.exemplar else "")
        quotes.append(cells.get(sid, ""))
    frame["codes"], frame["memo"], frame["exemplar"], frame["quote"] = codes, memos, exemplars, quotes
    from slqual.review import read_marks, sheet_review_cell

    marks = read_marks(project, coder)
    frame["review"] = [sheet_review_cell(marks.get(sid)) for sid in frame["segment_id"]]
    if redact:
        from slqual.redact import load_redactor, redact_columns

        frame = redact_columns(frame, ("question", "text", "quote"), load_redactor(project))
    return frame[SHEET_COLUMNS]


def default_sheet_path(coder: str, fmt: str) -> Path:
    return Path(f"{coder}-coding.{fmt}")


def sheet_target(coder: str, fmt: str | None, output: Path | str | None) -> tuple[Path, str]:
    """The file to write and its format: ``fmt``, else the output's suffix, else xlsx.

    An output that is a folder gets the default name inside it.
    """
    if fmt is not None and fmt not in FORMATS:
        raise CodingsError(f"sheet format '{fmt}' is not one of {', '.join(FORMATS)}")
    if output is None:
        return default_sheet_path(coder, fmt or "xlsx"), fmt or "xlsx"
    path = Path(output)
    if path.is_dir():
        return path / default_sheet_path(coder, fmt or "xlsx"), fmt or "xlsx"
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise CodingsError(
            f"{path}: a coding sheet is saved as .xlsx or .csv; "
            f"name the file e.g. {path.with_suffix('.xlsx')}"
        )
    if fmt is not None and fmt != suffix:
        raise CodingsError(f"{path}: the name ends in .{suffix} but --format is {fmt}; make them agree")
    return path, suffix


def export_sheet(
    project: Project,
    coder: str,
    fmt: str | None = None,
    output: Path | str | None = None,
    force: bool = False,
    redact: bool = False,
) -> SheetExport:
    """Write a coder's sheet as xlsx or csv (by default as the output's name says).

    An existing file is never replaced unless ``force``; with ``redact``,
    names and places in redact.csv are replaced in the texts.
    """
    from slqual.codebook import load_project_codebook

    check_coder_name(coder)
    path, fmt = sheet_target(coder, fmt, output)
    if path.exists() and not force:
        raise CodingsError(
            f"{path}: already exists and may hold someone's filled-in codes; "
            "import it first, choose another name with -o, or use --force to replace it"
        )
    frame = sheet_frame(project, coder, redact)
    codebook = load_project_codebook(project)
    meta = {
        "project": project_identity(project),
        "coder": coder,
        "exported_at": utc_now_iso(),
        "codebook": codebook.title,
        "codebook_version": codebook.version,
    }
    data = _xlsx_bytes(frame, codebook, meta) if fmt == "xlsx" else _csv_bytes(frame, meta)
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise CodingsError(
            f"{path}: could not be written ({exc.strerror or exc}); choose another place with -o"
        ) from exc
    project.audit("sheet export", coder=coder, file=str(path), redacted=redact)
    coded = int((frame["codes"] != "").sum())
    return SheetExport(path=str(path), coder=coder, format=fmt, segments=len(frame), coded=coded)


def _csv_bytes(frame: pd.DataFrame, meta: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*SHEET_COLUMNS, PROJECT_COLUMN])
    for row in frame.itertuples(index=False):
        writer.writerow([csv_text(v) for v in row] + [meta["project"]])
    # A byte-order mark lets Excel open the file as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(frame: pd.DataFrame, codebook: Codebook, meta: dict[str, str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = CODING_SHEET
    shown = frame.astype(str)
    for column in ("question", "text", "quote"):  # text fit for a cell
        shown[column] = shown[column].map(excel_text)
    _write_rows(sheet, [SHEET_COLUMNS, *shown.values.tolist()])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(SHEET_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[column]
        sheet.cell(1, index).font = bold
        if column in WRAPPED:
            for cell in sheet[letter][1:]:
                cell.alignment = wrap
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    last = len(frame) + 1
    codes_col = get_column_letter(SHEET_COLUMNS.index("codes") + 1)
    exemplar_col = get_column_letter(SHEET_COLUMNS.index("exemplar") + 1)
    # The drop-downs help without blocking: a cell may hold several ids, or 'none'.
    ids = DataValidation(
        type="list",
        formula1=f"={CODEBOOK_SHEET}!$A$2:$A${len(codebook) + 2}",
        allow_blank=True,
        showErrorMessage=False,
        promptTitle="Codes",
        prompt="Code ids separated by ; or 'none'",
    )
    ids.add(f"{codes_col}2:{codes_col}{last}")
    flag = DataValidation(type="list", formula1='"1"', allow_blank=True, showErrorMessage=False)
    flag.add(f"{exemplar_col}2:{exemplar_col}{last}")
    sheet.add_data_validation(ids)
    sheet.add_data_validation(flag)

    codes = book.create_sheet(CODEBOOK_SHEET)
    rows = [["id", "name", "definition"]]
    rows += [[n.id, ("  " * n.depth) + n.name, n.definition] for n in codebook]
    rows.append([NONE_MARK, "No code applies (I read the segment)", ""])
    _write_rows(codes, rows)
    for letter, width in (("A", 34), ("B", 50), ("C", 80)):
        codes.column_dimensions[letter].width = width
    for cell in codes["C"]:
        cell.alignment = wrap
    for cell in codes[1]:
        cell.font = bold
    codes.freeze_panes = "A2"

    helper = book.create_sheet(HELP_SHEET)
    _write_rows(helper, [[line] for line in HELP_LINES])
    helper.column_dimensions["A"].width = 120
    helper["A1"].font = bold
    for cell in helper["A"]:
        cell.alignment = wrap

    hidden = book.create_sheet(META_SHEET)
    _write_rows(hidden, [["key", "value"], *[[k, v] for k, v in meta.items()]])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_rows(sheet: Any, rows: list[list[str]]) -> None:
    """Write text cells; text that looks like a formula stays text."""
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c, xml_safe(value) if isinstance(value, str) else value)
            if looks_like_formula(value):
                cell.data_type = "s"
                cell.quotePrefix = True


def read_sheet(path: Path) -> tuple[list[tuple[int, dict[str, str]]], dict[str, str], bool]:
    """The data rows of a filled sheet as (row number, {column: text}), its metadata, and whether csv."""
    path = Path(path)
    if path.is_dir():
        raise CodingsError(f"{path}: is a folder; give the filled sheet's file, e.g. reviewer2-coding.xlsx")
    if not path.is_file():
        raise CodingsError(f"{path}: file not found; check the name")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows, meta = _read_xlsx(path)
        return rows, meta, False
    if suffix in (".csv", ".txt"):
        return _read_csv(path), {}, True
    raise CodingsError(f"{path}: not a sheet slqual can read; save it as .xlsx or .csv")


def _header(values: list[Any]) -> list[str]:
    return [str(v).strip().lower() if v is not None else "" for v in values]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        return Formula(str(value).strip())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Formula(str):
    """Text read from a spreadsheet cell that holds a formula (it is reported, never imported)."""


def _check_unpacked_size(path: Path) -> None:
    """Refuse an xlsx whose parts unpack to more than MAX_UNPACKED bytes (a zip bomb, or not a sheet)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CodingsError(f"{path}: {UNREADABLE_XLSX}") from exc
    if size > MAX_UNPACKED:
        raise CodingsError(
            f"{path}: too large to be a coding sheet ({size / 1e6:,.0f} MB once unpacked, "
            f"the limit is {MAX_UNPACKED / 1e6:,.0f} MB); import the sheet 'slqual sheet export' made"
        )


def _read_xlsx(path: Path) -> tuple[list[tuple[int, dict[str, str]]], dict[str, str]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(path)
    try:
        # Not data_only: a formula must be seen as a formula, not as its (possibly missing) result.
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise CodingsError(f"{path}: {UNREADABLE_XLSX}") from exc
    try:
        sheet = book[CODING_SHEET] if CODING_SHEET in book.sheetnames else book.worksheets[0]
        raw = [
            [
                Formula(getattr(c.value, "text", c.value))
                if c.data_type == "f"
                else getattr(c, "value", None)
                for c in row
            ]
            for row in sheet.iter_rows()
        ]
        meta: dict[str, str] = {}
        if META_SHEET in book.sheetnames:
            for row in list(book[META_SHEET].iter_rows(values_only=True))[1:]:
                if row and row[0] is not None:
                    meta[str(row[0])] = _cell_text(row[1] if len(row) > 1 else "")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        # SyntaxError: the XML inside is cut short or broken (xml.etree and lxml parse errors).
        raise CodingsError(f"{path}: {UNREADABLE_XLSX}") from exc
    finally:
        book.close()
    if not raw:
        raise CodingsError(f"{path}: the sheet '{sheet.title}' is empty; import the sheet slqual exported")
    header = _header(list(raw[0]))
    rows = [
        (number, {h: _cell_text(v) for h, v in zip(header, values, strict=False) if h})
        for number, values in enumerate(raw[1:], start=2)
    ]
    return rows, meta


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise CodingsError(
            f"{path}: too large to be a coding sheet ({size / 1e6:,.0f} MB); "
            "import the sheet 'slqual sheet export' made"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodingsError(f"{path}: not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'") from exc
    try:
        raw = list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_separator(path)))
    except csv.Error as exc:
        raise CodingsError(f"{path}: not a readable CSV file ({exc}); check the quotes") from exc
    if not raw:
        raise CodingsError(f"{path}: the file is empty; import the sheet slqual exported")
    header = _header(raw[0])
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        row = {h: from_csv_text(v.strip()) for h, v in zip(header, values, strict=False) if h}
        rows.append((number, row))
    return rows
