"""slqual report: theme-by-group quote tables, prevalence, overview and figures."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from slqual.cli.common import CsvPlainOption, ProjectOption, get_project, stderr, stdout, warn

FORMATS_HELP = "Formats, comma-separated: md, csv, xlsx, docx, html, tex."


class LevelChoice(str, Enum):
    """The values of slqual.reports.Level (a test keeps them equal) without importing pandas."""

    code = "code"
    subtheme = "subtheme"
    theme = "theme"


class PaperChoice(str, Enum):
    """The values of slqual.reports.model.Paper (a test keeps them equal)."""

    a4 = "a4"
    letter = "letter"


def report(
    coder: Annotated[
        str | None,
        typer.Option(
            "--coder",
            metavar="NAME",
            help="Report this coder's file instead of the consensus coding.",
            show_default="consensus",
        ),
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", "-f", metavar="LIST", help=FORMATS_HELP)
    ] = "md,xlsx,docx,html",
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Folder to write into.",
            show_default="reports/ in the project",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="ATTR",
            help="Participant attribute whose values become the columns.",
            show_default="group_by in slqual.yaml",
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="ATTR=VALUE",
            help="Keep participants with attribute=value (repeatable), e.g. role=GP.",
        ),
    ] = None,
    level: Annotated[
        LevelChoice,
        typer.Option(
            "--level",
            help="Quote table rows: code, subtheme (codes rolled up to the theme's children) or theme.",
        ),
    ] = LevelChoice.code,
    themes: Annotated[
        list[str] | None,
        typer.Option(
            "--theme", metavar="ID", help="Write only this theme's table (repeatable); default: all."
        ),
    ] = None,
    first_table: Annotated[
        int, typer.Option("--first-table", metavar="N", help="The number of the first table.", min=1)
    ] = 1,
    no_overview: Annotated[
        bool, typer.Option("--no-overview", metavar="", help="Leave out the overview table.")
    ] = False,
    paper: Annotated[
        PaperChoice, typer.Option("--paper", help="Page size of the Word report.")
    ] = PaperChoice.a4,
    csv_plain: CsvPlainOption = False,
    quotes: Annotated[int, typer.Option("--quotes", metavar="N", help="Quotes per table cell.", min=0)] = 2,
    min_words: Annotated[
        int, typer.Option("--min-words", metavar="N", help="Shortest quote shown, in words.", min=1)
    ] = 12,
    max_words: Annotated[
        int,
        typer.Option(
            "--max-words", metavar="N", help="Longer quotes are cut at a sentence end with [...].", min=1
        ),
    ] = 80,
    test: Annotated[
        str | None,
        typer.Option(
            "--test",
            metavar="fisher",
            help="'fisher': Fisher's exact test per prevalence row (two groups; descriptive).",
        ),
    ] = None,
    attribute: Annotated[
        list[str] | None,
        typer.Option(
            "--attribute",
            metavar="ATTR",
            help="Show this participant attribute after the label, e.g. role (repeatable).",
        ),
    ] = None,
    verbatim: Annotated[
        bool,
        typer.Option("--verbatim", metavar="", help="Keep quotes word for word (no fillers taken out)."),
    ] = False,
    keep_ids: Annotated[
        bool,
        typer.Option(
            "--keep-ids", metavar="", help="Keep real participant ids and every attribute in the long tables."
        ),
    ] = False,
    no_figures: Annotated[
        bool, typer.Option("--no-figures", metavar="", help="Skip the heatmap and other figures.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Write the results tables and figures: quotes by theme and group, prevalence, overview.

    Uses codings/consensus.csv unless --coder names another coder. A quote is
    the coder's marked quote, else the sentences that best carry the code;
    fillers are taken out unless --verbatim; names in redact.csv are replaced.
    Quotes are attributed by the participant's label (quotes.label in
    slqual.yaml) and spread over participants; the choice is deterministic.

    Example: slqual report --format md,docx --by group --quotes 3
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from slqual.cells import plain_text
    from slqual.reports import ReportOptions, parse_where
    from slqual.reports.build import count_steps, make_report

    options = ReportOptions(
        coder=coder,
        by=by,
        where=parse_where(where or []),
        level=level.value,
        themes=tuple(themes or ()),
        first_table=first_table,
        overview=not no_overview,
        csv_plain=csv_plain,
        paper=paper.value,
        quotes=quotes,
        min_words=min_words,
        max_words=max_words,
        test=test,
        figures=not no_figures,
        attributes=tuple(attribute or ()),
        verbatim=verbatim,
        keep_ids=keep_ids,
    )
    proj = get_project(project)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    # Off when stderr is not a terminal: a transient bar would still leave a blank line in logs.
    # Redrawn at each step rather than by rich's refresh thread: the figures are drawn in forked
    # workers only while no other thread is alive (see slqual.reports.figures_workers).
    with Progress(
        *columns, console=stderr, transient=True, auto_refresh=False, disable=not stderr.is_terminal
    ) as bar:
        task = bar.add_task("building tables", total=count_steps(formats, options.figures) + 1)

        def step(description: str) -> None:
            bar.update(task, description=description, advance=1, refresh=True)

        result = make_report(proj, options, out_dir=out_dir, formats=formats, progress=step)
    for note in result.report.notes:
        warn(plain_text(note))
    for copy in result.kept:
        warn(f"an edited report file was replaced; the old one is kept as {copy}")
    from slqual.redact_check import find_candidates

    remaining = find_candidates(proj)
    if remaining.candidates:
        warn(
            f"{len(remaining.candidates)} capitalised word(s) that may be names or places are not in "
            "redact.csv; see 'slqual redact check'"
        )
    table = Table(title=f"Report written to {escape(str(result.out_dir))}", title_justify="left")
    table.add_column("file")
    table.add_column("size", justify="right")
    for path in result.paths:
        try:
            shown = path.relative_to(result.out_dir)
        except ValueError:
            shown = path
        table.add_row(escape(str(shown)), f"{path.stat().st_size:,} B")
    stdout.print(table)
    groups = ", ".join(f"{g.label} (n={g.n})" for g in result.report.groups)
    stdout.print(f"Coding: {escape(result.report.coder)}; by {escape(result.report.by)}: {escape(groups)}")
    cover = result.report.coverage
    if cover is not None:
        stdout.print(escape(plain_text(cover.statement())))


def register(app: typer.Typer) -> None:
    app.command("report")(report)
