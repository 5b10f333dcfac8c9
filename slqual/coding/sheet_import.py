"""Importing a filled coding sheet: check every row first, write only when all is valid.

Problems are collected, not raised one at a time, so a reviewer sees all of
them, each with its spreadsheet row number. On success the coder's CSV is
replaced atomically (the previous file is kept in ``.slqual/history/``).
Segments that are not in the sheet keep their codings; an empty ``codes``
cell clears a segment (not coded); ``none`` means "no code applies".
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.coding.sheet_quotes import read_quote_cell
from slqual.coding.sheets import (
    NONE_MARK,
    PROJECT_COLUMN,
    SHEET_COLUMNS,
    Formula,
    project_identity,
    read_sheet,
)
from slqual.coding.store import Answer, answer_rows, read_coder_rows, rows_to_answer
from slqual.codings import CODING_COLUMNS, check_coder_name, read_coding, write_coding
from slqual.fileio import utc_now_iso

if TYPE_CHECKING:
    from slqual.codebook import Codebook
    from slqual.project import Project

NONE_WORDS = (NONE_MARK, "0", "-")
TRUE_WORDS = ("1", "x", "yes", "y", "true")
FALSE_WORDS = ("", "0", "no", "n", "false")
CODES_ALIASES = ("codes", "code")


@dataclass(frozen=True)
class SheetProblem:
    """One problem in a sheet; ``row`` is the spreadsheet row (the header is row 1)."""

    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class SheetImport:
    """The outcome of checking (and, when valid and not a dry run, importing) a sheet."""

    source: str
    coder: str
    dry_run: bool
    written: bool
    problems: tuple[SheetProblem, ...] = ()
    added: tuple[tuple[str, str], ...] = ()  # (segment_id, code); code '' is "no code applies"
    removed: tuple[tuple[str, str], ...] = ()
    unchanged: int = 0
    notes_changed: int = 0  # segments whose memo, exemplar mark or quote changed
    kept_outside_sheet: int = 0  # segments coded before but not in the sheet, left as they were
    history_path: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["valid"] = self.valid
        data["added"] = [list(a) for a in self.added]
        data["removed"] = [list(r) for r in self.removed]
        return data


@dataclass(frozen=True)
class SheetAnswer(Answer):
    """An answer from a sheet row, with the codes that have a quote of their own (``code: words``)."""

    code_quotes: tuple[tuple[str, str], ...] = ()


def answer_quotes(answer: Answer) -> dict[str, str]:
    """The quote on each of the answer's coder-file rows (by code; '' is the "no code applies" row)."""
    own = dict(getattr(answer, "code_quotes", ()))
    return {code: own.get(code, answer.quote) for code in answer.codes or ("",)}


def _code_lookup(codebook: Codebook) -> dict[str, str]:
    lookup = {n.id.lower(): n.id for n in codebook}
    for node in codebook:
        lookup.setdefault(" ".join(node.name.split()).lower(), node.id)
    return lookup


def parse_codes(cell: str, codebook: Codebook) -> tuple[tuple[str, ...] | None, list[str]]:
    """Codes in a cell: ids or exact names separated by ; , or new lines.

    Returns (codes, problems): None for an empty cell (not coded), () for "none".
    """
    text = cell.strip()
    if not text:
        return None, []
    lookup = _code_lookup(codebook)
    if text.lower() in NONE_WORDS and text.lower() not in lookup:
        return (), []
    codes: list[str] = []
    problems: list[str] = []
    whole = lookup.get(" ".join(text.split()).lower())
    parts = [text] if whole else [p for p in re.split(r"[;\n\r]+", text) if p.strip()]
    for part in parts:
        found = lookup.get(" ".join(part.split()).lower())
        pieces = [part] if found else [p for p in part.split(",") if p.strip()]
        for piece in pieces:
            key = " ".join(piece.split()).lower()
            if key in NONE_WORDS and key not in lookup:
                problems.append(f"'{piece.strip()}' (no code applies) cannot be combined with codes")
            elif key in lookup:
                if lookup[key] not in codes:
                    codes.append(lookup[key])
            else:
                problems.append(
                    f"unknown code '{piece.strip()}'; use an id or exact name from the Codebook sheet"
                )
    return tuple(codes), problems


def check_sheet(
    project: Project, path: Path, codebook: Codebook, coder: str | None = None, sheet: tuple | None = None
) -> tuple[dict[str, Answer | None], list[SheetProblem], list[str]]:
    """Read and check a sheet: its answers by segment (None: not coded), its problems, notes.

    ``sheet`` is what ``read_sheet(path)`` gave, for a caller that reads the rows for more.
    """
    from slqual.segments import participant_segments, read_project_segments

    rows, meta, is_csv = sheet if sheet is not None else read_sheet(path)
    problems: list[SheetProblem] = []
    notes: list[str] = []
    header = set().union(*(r.keys() for _, r in rows)) if rows else set()
    codes_column = next((c for c in CODES_ALIASES if c in header), None)
    missing = [
        name for name, ok in (("segment_id", "segment_id" in header), ("codes", codes_column)) if not ok
    ]
    if missing:
        problems.append(
            SheetProblem(1, ", ".join(missing), "missing column(s); keep the header row as exported")
        )
        return {}, problems, notes
    ignored = sorted(header - set(SHEET_COLUMNS) - {PROJECT_COLUMN, codes_column, ""})
    if ignored:
        notes.append(f"column(s) {', '.join(repr(c) for c in ignored)} are not slqual's and were ignored")
    here = project_identity(project)
    _check_project(meta.get("project", ""), here, None, problems)
    if meta.get("coder") and meta["coder"] != coder:
        notes.append(f"this sheet was exported for coder '{meta['coder']}' and is imported as '{coder}'")
    segments = read_project_segments(project)
    roles = dict(zip(segments["segment_id"], segments["speaker_role"], strict=True))
    texts = dict(zip(segments["segment_id"], segments["text"], strict=True))
    quotes = _QuoteCheck(project, coder)
    lookup = _code_lookup(codebook)
    known = set(participant_segments(segments)["segment_id"])
    seen: dict[str, int] = {}
    answers: dict[str, Answer | None] = {}
    # A csv sheet names its project on every row; a mismatch is said once for the file.
    project_said = not is_csv
    for number, row in rows:
        if not any(row.values()):
            continue
        if not project_said and row.get(PROJECT_COLUMN):
            project_said = _check_project(row[PROJECT_COLUMN], here, number, problems)
        formulas = [
            c
            for c in ("segment_id", codes_column, "memo", "exemplar", "quote")
            if isinstance(row.get(c), Formula)
        ]
        if formulas:
            problems.extend(
                SheetProblem(
                    number,
                    column,
                    f"the cell holds a formula ({row[column]}); type the "
                    f"{'code ids' if column == codes_column else 'value'} as plain text",
                )
                for column in formulas
            )
            continue
        sid = row.get("segment_id", "")
        cell = row.get(codes_column, "")
        memo, flag = row.get("memo", ""), row.get("exemplar", "").lower()
        if not sid:
            if cell or memo or flag:
                problems.append(
                    SheetProblem(number, "segment_id", "empty segment_id; do not change that column")
                )
            continue
        if sid in seen:
            problems.append(
                SheetProblem(
                    number,
                    "segment_id",
                    f"segment '{sid}' is also in row {seen[sid]}; keep one of the two rows",
                )
            )
            continue
        seen[sid] = number
        if sid not in known:
            if roles.get(sid) == "interviewer":
                message = f"'{sid}' is an interviewer turn, not a participant segment; delete the row"
            else:
                message = f"unknown segment id '{sid}'; segment ids come from segments.csv, do not edit them"
            problems.append(SheetProblem(number, "segment_id", message))
            continue
        codes, code_problems = parse_codes(cell, codebook)
        problems.extend(SheetProblem(number, codes_column, p) for p in code_problems)
        if flag not in TRUE_WORDS + FALSE_WORDS:
            problems.append(SheetProblem(number, "exemplar", f"'{row['exemplar']}' is not 1 or empty"))
        if codes is None and (memo or flag in TRUE_WORDS):
            problems.append(
                SheetProblem(
                    number,
                    codes_column,
                    "a memo or exemplar mark but no codes; add the codes, "
                    f"or '{NONE_MARK}' if no code applies",
                )
            )
        quote_text = row.get("quote", "")
        per_code: dict[str, str] = {}
        quote = ""
        if quote_text.strip() and not codes:
            problems.append(
                SheetProblem(number, "quote", "a quote but no codes; add the codes or empty the quote")
            )
        elif quote_text.strip():
            read = read_quote_cell(quote_text, codes, lookup)
            problems.extend(SheetProblem(number, "quote", p) for p in read.problems)
            own = [c for c in codes if c not in read.by_code]
            quote, message = quotes.check(sid, own, texts[sid], read.shared) if read.shared else ("", "")
            if message and read.unknown_prefix:
                message += (
                    f" ('{read.unknown_prefix}' before ':' is no code of the codebook; to give one code "
                    f"its own quote, start the line with one of this row's codes: {', '.join(codes)})"
                )
            for code, words in read.by_code.items():
                per_code[code], problem = quotes.check(sid, [code], texts[sid], words)
                message = message or (f"{code}: {problem}" if problem else "")
            if message:
                problems.append(SheetProblem(number, "quote", message))
        answers[sid] = (
            None
            if codes is None
            else SheetAnswer(
                sid, codes, memo, flag in TRUE_WORDS, quote=quote, code_quotes=tuple(per_code.items())
            )
        )
    if not rows or not seen:
        problems.append(
            SheetProblem(None, "", "the sheet has no segment rows; import the sheet slqual exported")
        )
    return answers, problems, notes


class _QuoteCheck:
    """Checks a sheet's quotes against the segments (``slqual.quotes.marked``).

    A quote that comes back as a redacted sheet showed it (``sheet export
    --redact``) keeps the coder's unredacted quote.
    """

    def __init__(self, project: Project, coder: str | None) -> None:
        self.project, self.coder = project, coder
        self._old: dict[str, str] | None = None
        self._redactor = None

    def old(self) -> dict[str, dict[str, str]]:
        """The coder file's quotes: by segment, by code."""
        if self._old is None:
            path = self.project.coder_path(self.coder) if self.coder else None
            self._old = {}
            if path is not None and path.is_file():
                frame = read_coding(path, self.coder)
                marked = frame[frame["quote"] != ""]
                for sid, code, quote in zip(
                    marked["segment_id"], marked["code"], marked["quote"], strict=True
                ):
                    self._old.setdefault(sid, {})[code] = quote
        return self._old

    def check(self, sid: str, codes: list[str], text: str, quote: str) -> tuple[str, str]:
        """(the quote to keep, a problem message or '') for the quote of ``codes``."""
        from slqual.quotes.marked import QuoteMismatch, match_quote
        from slqual.redact import load_redactor

        result = match_quote(text, quote)
        if not isinstance(result, QuoteMismatch):
            return quote, ""
        before = self.old().get(sid, {})
        # The codes' own quotes first, then the segment's others (a code added to the row).
        for previous in dict.fromkeys([*(before.get(c, "") for c in codes), *before.values()]):
            if not previous:
                continue
            if self._redactor is None:
                self._redactor = load_redactor(self.project)
            if " ".join(self._redactor.apply(previous).split()) == quote:
                return previous, ""
        return quote, result.message()


def _check_project(found: str, here: str, row: int | None, problems: list[SheetProblem]) -> bool:
    if not found or found.rsplit(":", 1)[-1] == here.rsplit(":", 1)[-1]:
        return False
    where = "slqual_project" if row else "sheet 'slqual'"
    problems.append(
        SheetProblem(
            row,
            where,
            f"this sheet was exported from another project ('{found}', this one is "
            f"'{here}'); import it into the project it came from",
        )
    )
    return True


def _assignments(rows_by_segment: dict[str, list[dict[str, str]]]) -> set[tuple[str, str]]:
    return {(sid, r["code"]) for sid, rows in rows_by_segment.items() for r in rows}


def import_sheet(project: Project, path: Path | str, coder: str, dry_run: bool = False) -> SheetImport:
    """Check a filled sheet and, when it is valid and not a dry run, make it the coder's CSV."""
    from slqual.codebook import load_project_codebook
    from slqual.coding.lock import coder_lock
    from slqual.coding.store import CodingStore

    check_coder_name(coder)
    path = Path(path)
    codebook = load_project_codebook(project)
    sheet = read_sheet(path)  # read once: checked here, and its review column confirmed below
    answers, problems, notes = check_sheet(project, path, codebook, coder, sheet)
    if problems:
        return SheetImport(str(path), coder, dry_run, False, problems=tuple(problems), notes=tuple(notes))
    if dry_run:
        return _apply(project, path, coder, answers, notes, dry_run=True)
    with coder_lock(project, coder):
        CodingStore(project, coder).close()  # fold in answers a killed terminal session left in its journal
        result = _apply(project, path, coder, answers, notes, dry_run=False)
        _confirm_reviews(project, coder, sheet[0], {sid for sid, _ in (*result.added, *result.removed)})
        return result


def _confirm_reviews(project: Project, coder: str, rows: list, recoded: set[str]) -> list[str]:
    """Clear the review marks a filled sheet confirms (``ok`` in its ``review`` column) or re-coded."""
    from slqual.review import CONFIRM_WORDS, confirm

    confirmed = {
        str(row.get("segment_id", "")).strip()
        for _number, row in rows
        if str(row.get("review", "")).strip().lower() in CONFIRM_WORDS
    }
    return confirm(project, coder, sorted(confirmed | set(recoded)))


def _apply(
    project: Project,
    path: Path,
    coder: str,
    answers: dict[str, Answer | None],
    notes: list[str],
    dry_run: bool,
) -> SheetImport:
    from slqual.coding.frame import participant_frame

    current: dict[str, list[dict[str, str]]] = {}
    target = project.coder_path(coder)
    extras: list[str] = []
    if target.is_file():
        rows, extras = read_coder_rows(target, coder)
        for row in rows:
            current.setdefault(row["segment_id"], []).append(row)
    updated = dict(current)
    now = utc_now_iso()
    notes_changed = 0
    for sid, answer in answers.items():
        old_rows = current.get(sid, [])
        if answer is None:
            updated.pop(sid, None)
            continue
        old = rows_to_answer(sid, old_rows) if old_rows else None
        quotes = answer_quotes(answer)
        same_notes = old is not None and (old.memo, old.exemplar) == (answer.memo, answer.exemplar)
        if old is not None and {r["code"]: r.get("quote", "") for r in old_rows} != quotes:
            same_notes = False
        if old and set(old.codes) == set(answer.codes) and same_notes:
            continue  # unchanged: keep the rows as they were, with their times
        if old and not same_notes:
            notes_changed += 1
        times = {r["code"]: r["coded_at"] for r in old_rows}
        rows = answer_rows(answer, coder)
        for row in rows:
            row["coded_at"] = times.get(row["code"]) or now
            row["quote"] = quotes.get(row["code"], row["quote"])
        updated[sid] = rows
    before, after = _assignments(current), _assignments(updated)
    added, removed = sorted(after - before), sorted(before - after)
    kept_outside = sum(1 for sid in current if sid not in answers)
    written, kept = False, None
    if not dry_run and (added or removed or notes_changed):
        import pandas as pd

        order = {sid: i for i, sid in enumerate(participant_frame(project)["segment_id"])}
        position = {sid: i for i, sid in enumerate(updated)}
        ordered = sorted(updated, key=lambda s: (0, order[s]) if s in order else (1, position[s]))
        columns = [*CODING_COLUMNS, *extras]  # columns the researcher added are kept
        frame = pd.DataFrame([row for sid in ordered for row in updated[sid]], columns=columns).fillna("")
        kept_path = write_coding(project, coder, frame)
        kept = str(kept_path) if kept_path else None
        written = True
        project.audit("sheet import", coder=coder, file=str(path), added=len(added), removed=len(removed))
    return SheetImport(
        source=str(path),
        coder=coder,
        dry_run=dry_run,
        written=written,
        added=tuple(added),
        removed=tuple(removed),
        unchanged=len(before & after),
        notes_changed=notes_changed,
        kept_outside_sheet=kept_outside,
        history_path=kept,
        notes=tuple(notes),
    )
