"""The values a report is made of: options, groups, quotes, tables, figures.

Tables are built once as pandas DataFrames (see ``tables.py``) and handed,
unchanged, to every writer. A quote table holds :class:`QuoteCell` values in
its group columns so that each writer can render quotes its own way (italics
in Word, ``*...*`` in Markdown); every other table holds plain text and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import ReportError

if TYPE_CHECKING:
    import pandas as pd


class ReportFormat(str, Enum):
    """The file formats ``slqual report`` writes."""

    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    docx = "docx"
    tex = "tex"
    html = "html"


DEFAULT_FORMATS = (ReportFormat.md, ReportFormat.xlsx, ReportFormat.docx, ReportFormat.html)


class Level(str, Enum):
    """Rows of the quote tables: ``code``, a row per code below each theme; ``subtheme``, codes rolled
    up to the theme's children (the subthemes); ``theme``, codes rolled up to their theme."""

    theme = "theme"
    subtheme = "subtheme"
    code = "code"


class Paper(str, Enum):
    """Page size of the Word report."""

    a4 = "a4"
    letter = "letter"


class TableKind(str, Enum):
    """How a table is meant to be read, which decides the formats it goes to."""

    quotes = "quotes"  # theme tables and the overview: cells hold QuoteCell values
    counts = "counts"  # the prevalence table for people
    data = "data"  # long tables for R or pivot tables: csv and xlsx only


@dataclass(frozen=True)
class ReportOptions:
    """Everything that shapes a report; the CLI fills it from its options."""

    coder: str | None = None  # None: the consensus coding
    by: str | None = None  # None: the project's group_by
    where: tuple[tuple[str, str], ...] = ()
    level: Level = Level.code
    quotes: int = 2
    min_words: int = 12
    max_words: int = 80
    test: str | None = None  # "fisher" or None
    figures: bool = True
    themes: tuple[str, ...] = ()  # only these themes' tables (ids); empty: every theme
    first_table: int = 1  # the number of the first table
    overview: bool = True  # the overview table (one short quote per theme and group)
    csv_plain: bool = False  # CSV with the raw text: no formula guard, no byte-order mark
    paper: Paper = Paper.a4  # page size of the Word report
    attributes: tuple[str, ...] = ()  # participant attributes shown after the label, e.g. ("role",)
    verbatim: bool = False  # keep fillers (no clean verbatim)
    keep_ids: bool = False  # keep real participant ids in the long data tables

    def __post_init__(self) -> None:
        if self.quotes < 0:
            raise ReportError(f"--quotes {self.quotes}: give 0 or more quotes per cell")
        if self.min_words < 1 or self.max_words < self.min_words:
            raise ReportError(
                f"--min-words {self.min_words} --max-words {self.max_words}: "
                "give 1 or more words, with --max-words not below --min-words"
            )
        if self.test not in (None, "fisher"):
            raise ReportError(f"--test {self.test}: the only test available is 'fisher'")
        if self.first_table < 1:
            raise ReportError(
                f"--first-table {self.first_table}: give the number of the first table, 1 or more"
            )
        try:
            object.__setattr__(self, "level", Level(self.level))
        except ValueError:
            raise ReportError(f"--level {self.level}: choose theme, subtheme or code") from None
        try:
            object.__setattr__(self, "paper", Paper(getattr(self.paper, "value", self.paper).lower()))
        except ValueError:
            raise ReportError(f"--paper {self.paper}: choose a4 or letter") from None
        object.__setattr__(self, "themes", tuple(dict.fromkeys(str(t) for t in self.themes)))
        object.__setattr__(self, "where", tuple((str(a), str(v)) for a, v in self.where))
        object.__setattr__(self, "attributes", tuple(dict.fromkeys(str(a) for a in self.attributes)))


@dataclass(frozen=True)
class Group:
    """One value of the grouping attribute, e.g. ``clinical`` shown as 'Clinical managers (n=10)'."""

    value: str
    label: str
    n: int

    @property
    def header(self) -> str:
        return f"{self.label} (n={self.n})"


@dataclass(frozen=True)
class Quote:
    """A quote, already cut, tidied and redacted, with its attribution '(CM3)' or '(CM3, GP)'."""

    segment_id: str
    participant_id: str
    text: str
    attribution: str
    exemplar: bool = False
    trimmed: bool = False
    label: str = ""  # the participant's label (quotes.label in slqual.yaml)
    method: str = "selected"  # "marked" by a coder or "selected" by the report

    def plain(self) -> str:
        return f"\u201c{self.text}\u201d {self.attribution}"


@dataclass(frozen=True)
class QuoteCell:
    """The quotes of one table cell, or the reason there are none."""

    quotes: tuple[Quote, ...] = ()
    empty_text: str = "no quotes coded"

    def plain(self, sep: str = "\n") -> str:
        return sep.join(q.plain() for q in self.quotes) if self.quotes else self.empty_text

    def __str__(self) -> str:
        return self.plain()


@dataclass(frozen=True)
class Table:
    """One table of the report: a DataFrame plus what writers need around it."""

    key: str  # file and sheet name stem, e.g. "theme_motivation"
    title: str  # short title, e.g. "Motivation to execute a leadership position"
    caption: str  # "Table 2. Quotes addressing the theme ..." (empty for data tables)
    kind: TableKind
    frame: pd.DataFrame = field(compare=False)
    note: str = ""
    number: int = 0  # the table's number, 0 for data tables

    @property
    def label(self) -> str:
        """'Table 2' for a numbered table, else empty."""
        return f"Table {self.number}" if self.number else ""

    @property
    def caption_text(self) -> str:
        """The caption without its 'Table 2. ' label (Word numbers it with a SEQ field)."""
        prefix = f"{self.label}. "
        return (
            self.caption[len(prefix) :] if self.number and self.caption.startswith(prefix) else self.caption
        )

    def cell_text(self, value: object) -> str:
        """Any cell as plain text (quote cells as '"text" (P03, GP)' lines)."""
        if isinstance(value, QuoteCell):
            return value.plain()
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Figure:
    """A figure written to disk, in each of its formats."""

    key: str  # "heatmap", "cooccurrence", "saturation"
    title: str
    caption: str
    paths: tuple[Path, ...]

    def path(self, suffix: str) -> Path | None:
        return next((p for p in self.paths if p.suffix == suffix), None)


@dataclass(frozen=True)
class GroupCoverage:
    """Participant segments of one group: ingested, and read in the coding (coded, or marked no code)."""

    value: str
    label: str
    segments: int
    coded: int

    @property
    def share(self) -> float:
        return self.coded / self.segments if self.segments else 1.0


@dataclass(frozen=True)
class Coverage:
    """Which coding a report uses and how much of the ingested material it covers."""

    coder: str
    groups: tuple[GroupCoverage, ...]

    @property
    def segments(self) -> int:
        return sum(g.segments for g in self.groups)

    @property
    def coded(self) -> int:
        return sum(g.coded for g in self.groups)

    @property
    def complete(self) -> bool:
        return self.coded >= self.segments

    def statement(self) -> str:
        """'Coverage: 54 of 261 (21%) participant segments coded in the consensus coding (Clinical ...).'"""

        def part(coded: int, total: int) -> str:
            share = round(100 * coded / total) if total else 100
            if coded < total and share == 100:
                share = 99  # never "100%" for a coverage that is not complete
            return f"{coded} of {total} ({share}%)"

        groups = "; ".join(f"{g.label} {part(g.coded, g.segments)}" for g in self.groups)
        return (
            f"Coverage: {part(self.coded, self.segments)} of the participant segments ingested are coded "
            f"in the {self.coder} coding ({groups})."
        )


@dataclass(frozen=True)
class MapRow:
    """A subtheme or code of the thematic map with how many participants voiced it."""

    id: str
    name: str
    participants: int


@dataclass(frozen=True)
class MapTheme:
    """One theme of the thematic map: its rows and one short quote per group (None: none coded)."""

    id: str
    name: str
    rows: tuple[MapRow, ...]
    quotes: tuple[tuple[str, Quote | None], ...]  # (group label, quote)


@dataclass(frozen=True)
class Report:
    """A built report: its tables, the data its figures are drawn from, and notes for the user."""

    title: str
    coder: str
    by: str
    level: Level
    groups: tuple[Group, ...]
    filters: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    prevalence: pd.DataFrame = field(compare=False)  # numeric, one row per theme/code
    cooccurrence: pd.DataFrame = field(compare=False)  # code x code segment counts
    saturation: pd.DataFrame = field(compare=False)  # interview order, new and cumulative codes
    options: ReportOptions = field(default_factory=ReportOptions)
    notes: tuple[str, ...] = ()  # things left out, said plainly (shown as warnings)
    coverage: Coverage | None = None  # how much of the ingested material the coding covers
    thematic_map: tuple[MapTheme, ...] = ()  # themes, their rows and one short quote per group

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def subtitle(self) -> str:
        parts = [f"Coding: {self.coder}", f"groups by '{self.by}'"]
        if self.filters:
            parts.append("participants where " + " and ".join(f"{a}={v}" for a, v in self.filters))
        return "; ".join(parts)


def parse_formats(text: str | None) -> tuple[ReportFormat, ...]:
    """'md,xlsx' -> (md, xlsx); empty -> the defaults; unknown names -> ReportError."""
    if not text or not text.strip():
        return DEFAULT_FORMATS
    out: list[ReportFormat] = []
    for name in (part.strip().lower().lstrip(".") for part in text.split(",")):
        if not name:
            continue
        if name == "markdown":
            name = "md"
        if name == "latex":
            name = "tex"
        try:
            fmt = ReportFormat(name)
        except ValueError:
            known = ", ".join(f.value for f in ReportFormat)
            raise ReportError(f"--format {name}: unknown report format; choose from {known}") from None
        if fmt not in out:
            out.append(fmt)
    return tuple(out)


def parse_where(items: list[str] | tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """['role=GP'] -> (('role', 'GP'),); a filter without '=' -> ReportError."""
    out = []
    for item in items:
        attr, sep, value = item.partition("=")
        if not sep or not attr.strip() or not value.strip():
            raise ReportError(f"--where {item}: write the filter as attribute=value, e.g. --where role=GP")
        out.append((attr.strip(), value.strip()))
    return tuple(out)
