"""redact.csv: names and places replaced in every text that leaves the project.

The file has columns ``text,replacement`` and an optional ``case`` column
(``i`` for a case-insensitive entry; empty or ``s`` for case-sensitive, the
default), e.g. ``Millbeck Surgery,[practice]``. An entry matches whole words
only (``Jo`` never changes ``Joanne``), also inside possessives (``Jo's``
becomes ``[name]'s``) and across line breaks; longer entries win over shorter
ones they contain. Transcripts and segments.csv are never changed: reports,
and sheets or disagreement files written with ``--redact``, are.

    from slqual.redact import load_redactor
    redactor = load_redactor(project)
    redactor.apply("Jo at Millbeck Surgery")   # '[name] at [practice]'
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import SlqualError

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

REDACT_FILE = "redact.csv"
COLUMNS = ("text", "replacement")
CASE_VALUES = {"": False, "s": False, "i": True}


class RedactError(SlqualError):
    """A redact.csv that cannot be used."""


@dataclass(frozen=True)
class RedactEntry:
    text: str
    replacement: str
    ignore_case: bool = False


@dataclass(frozen=True)
class RedactProblem:
    """One problem in redact.csv; ``row`` is the spreadsheet row (the header is row 1)."""

    row: int | None
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}" if self.row else self.message


def _entry_pattern(text: str) -> str:
    words = [re.escape(w) for w in text.split()]
    body = r"\s+".join(words)
    # Whole words: no letter or digit may touch the entry ("Jo" is not in "Joanne");
    # an apostrophe after it is fine, so "Jo's" is matched.
    before = r"(?<!\w)" if re.match(r"\w", text) else ""
    after = r"(?!\w)" if re.search(r"\w$", text) else ""
    return f"{before}{body}{after}"


def _first_letters(entries: tuple[RedactEntry, ...]) -> str:
    """A lookahead for the characters entries start with: at most places the search fails at once
    instead of trying every entry (50 names made a report's quotes 30 times slower)."""
    exact = sorted({e.text.split()[0][0] for e in entries if e.text.split() and not e.ignore_case})
    folded = sorted({e.text.split()[0][0] for e in entries if e.text.split() and e.ignore_case})
    if any(not e.text.split() for e in entries):
        return ""
    classes = [f"[{''.join(re.escape(c) for c in exact)}]"] if exact else []
    classes += [f"(?i:[{''.join(re.escape(c) for c in folded)}])"] if folded else []
    return f"(?={'|'.join(classes)})"


class Redactor:
    """Replaces the entries of a redact list in text; an empty one returns text unchanged."""

    def __init__(self, entries: Iterable[RedactEntry] = (), source: Path | None = None) -> None:
        # Longest first, so "Millbeck Surgery" is replaced before "Millbeck".
        self.entries: tuple[RedactEntry, ...] = tuple(sorted(entries, key=lambda e: (-len(e.text), e.text)))
        self.source = source
        self._pattern: re.Pattern[str] | None = None
        if self.entries:
            parts = [f"({'(?i:' if e.ignore_case else '(?:'}{_entry_pattern(e.text)}))" for e in self.entries]
            self._pattern = re.compile(_first_letters(self.entries) + "(?:" + "|".join(parts) + ")")

    @property
    def empty(self) -> bool:
        return not self.entries

    def apply(self, text: str) -> str:
        """``text`` with every entry replaced by its replacement."""
        if self._pattern is None or not text:
            return text
        entries = self.entries
        return self._pattern.sub(lambda m: entries[m.lastindex - 1].replacement, text)

    def apply_all(self, texts: Iterable[str]) -> list[str]:
        return [self.apply(t) for t in texts]

    def __repr__(self) -> str:
        return f"Redactor({len(self.entries)} entries from {self.source})"


def check_rows(
    rows: list[dict[str, str]], header: list[str]
) -> tuple[list[RedactEntry], list[RedactProblem]]:
    """Entries and every problem of redact.csv's rows (row numbers as in a spreadsheet)."""
    problems: list[RedactProblem] = []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        problems.append(
            RedactProblem(1, f"missing column(s) {', '.join(missing)}; the header is text,replacement[,case]")
        )
        return [], problems
    unknown = [c for c in header if c and c not in (*COLUMNS, "case")]
    if unknown:
        problems.append(
            RedactProblem(
                1, f"unknown column(s) {', '.join(unknown)}; columns are text, replacement and case"
            )
        )
    entries: list[RedactEntry] = []
    seen: dict[tuple[str, bool], int] = {}
    for number, row in enumerate(rows, start=2):
        text = " ".join((row.get("text") or "").split())
        replacement = (row.get("replacement") or "").strip()
        case = (row.get("case") or "").strip().lower()
        if not text and not replacement and not case:
            continue
        if not text:
            problems.append(RedactProblem(number, "empty text; give the name or place to replace"))
            continue
        if case not in CASE_VALUES:
            problems.append(
                RedactProblem(number, f"case '{row.get('case')}' is not 'i' (ignore case) or empty")
            )
            continue
        ignore = CASE_VALUES[case]
        key = (text.casefold() if ignore else text, ignore)
        if key in seen:
            problems.append(RedactProblem(number, f"'{text}' is also in row {seen[key]}; keep one of them"))
            continue
        seen[key] = number
        if text in replacement.split():
            problems.append(
                RedactProblem(number, f"the replacement '{replacement}' still holds '{text}'; choose another")
            )
            continue
        entries.append(RedactEntry(text, replacement, ignore))
    return entries, problems


def read_redact_file(path: Path | str) -> tuple[list[RedactEntry], list[RedactProblem]]:
    """The entries of a redact file and every problem in it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RedactError(f"{path}: not UTF-8 text; save it as 'CSV UTF-8'") from exc
    except OSError as exc:
        raise RedactError(f"{path}: cannot be read ({exc.strerror or exc}); check the file") from exc
    lines = text.splitlines()
    first = lines[0] if lines else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(lines, delimiter=sep)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        rows = [dict(zip(header, values, strict=False)) for values in reader]
    except csv.Error as exc:
        raise RedactError(f"{path}: not a readable CSV file ({exc}); check the quotes") from exc
    if not header:
        return [], []
    return check_rows(rows, header)


def load_redact_file(path: Path | str) -> Redactor:
    """A redactor from a file; every problem in it is listed in one error."""
    entries, problems = read_redact_file(path)
    if problems:
        listed = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise RedactError(f"{path}: {len(problems)} problem(s): {listed}{more}; correct the file")
    return Redactor(entries, Path(path))


def redact_columns(frame: pd.DataFrame, columns: Iterable[str], redactor: Redactor) -> pd.DataFrame:
    """A copy of ``frame`` with ``redactor`` applied to the named text columns that it has."""
    if redactor.empty:
        return frame
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            values = {v: redactor.apply(v) if isinstance(v, str) else v for v in out[column].unique()}
            out[column] = out[column].map(values)
    return out


def redact_path(project: Project) -> Path:
    return project.root / REDACT_FILE


def load_redactor(project: Project) -> Redactor:
    """The project's redactor: from redact.csv, or an empty one when there is no such file."""
    path = redact_path(project)
    if not path.is_file():
        return Redactor(source=None)
    return load_redact_file(path)
