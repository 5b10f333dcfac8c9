"""slqual sheet: code in a spreadsheet (export a coder's sheet, import it filled in)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from slqual.cli.common import (
    ProjectOption,
    TableOrJson,
    TableOrJsonOption,
    error,
    get_project,
    info,
    print_json,
    stdout,
    warn,
)

if TYPE_CHECKING:
    from slqual.coding.sheet_import import SheetImport

sheet_app = typer.Typer(
    help="Code in a spreadsheet: export a coder's sheet, fill it in (or email it), import it back.\n\n"
    "Example: slqual sheet export --coder reviewer2",
    no_args_is_help=True,
)


class SheetFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


SHOWN_CHANGES = 40
CoderOption = Annotated[
    str, typer.Option("--coder", "-c", metavar="NAME", help="The coder the sheet belongs to, e.g. reviewer2.")
]


@sheet_app.command("export")
def export(
    coder: CoderOption,
    fmt: Annotated[
        SheetFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsx (with drop-downs) or csv (default: from the file name given with -o, else xlsx).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write.",
            show_default="<coder>-coding.<format>",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace an existing file of that name.")
    ] = False,
    redact: Annotated[
        bool,
        typer.Option("--redact", metavar="", help="Replace the names and places of redact.csv in the texts."),
    ] = False,
    project_dir: ProjectOption = None,
) -> None:
    """Write a coder's sheet: one row per participant segment, their codings so far filled in.

    Example: slqual sheet export --coder reviewer2 -o reviewer2.xlsx
    """
    from slqual.coding.sheets import export_sheet

    result = export_sheet(
        get_project(project_dir), coder, fmt.value if fmt else None, output, force, redact=redact
    )
    stdout.print(
        f"Wrote [bold]{escape(result.path)}[/bold]: {result.segments} segments, "
        f"{result.coded} already coded by {escape(coder)}."
    )
    info(f"Fill in the 'codes' column, then: slqual sheet import {result.path} --coder {coder}")


@sheet_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The filled sheet (.xlsx or .csv).")],
    coder: CoderOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", metavar="", help="Only show what would change; write nothing.")
    ] = False,
    fmt: TableOrJsonOption = TableOrJson.table,
    project_dir: ProjectOption = None,
) -> None:
    """Check a filled sheet and make it the coder's codings; nothing is written unless every row is valid.

    Example: slqual sheet import reviewer2.xlsx --coder reviewer2 --dry-run
    """
    from slqual.coding.sheet_import import import_sheet

    result = import_sheet(get_project(project_dir), file, coder, dry_run=dry_run)
    if fmt is TableOrJson.json:
        print_json(result.to_dict())
    else:
        _render(result)
    if not result.valid:
        first = result.problems[0]
        where = f", row {first.row}" if first.row else ""
        more = len(result.problems) - 1
        error(
            f"{result.source}{where}: {first.message}"
            + (f" (and {more} more problem(s), listed above)" if more else "")
            + "; nothing was imported: fix the sheet and import it again"
        )
        raise typer.Exit(2)


def _render(result: SheetImport) -> None:
    for note in result.notes:
        warn(note)
    if not result.valid:
        table = Table(
            title=f"{len(result.problems)} problem(s) in {escape(result.source)}; nothing was imported"
        )
        table.add_column("row", justify="right")
        table.add_column("column")
        table.add_column("problem", overflow="fold")
        for problem in result.problems:
            table.add_row(
                "" if problem.row is None else str(problem.row), problem.column, escape(problem.message)
            )
        stdout.print(table)
        return
    said = "would be" if result.dry_run else "were"
    stdout.print(
        f"{len(result.added)} assignment(s) {said} added, {len(result.removed)} removed, "
        f"{result.unchanged} unchanged; memo or exemplar changed on {result.notes_changed} segment(s)."
    )
    if result.kept_outside_sheet:
        stdout.print(f"{result.kept_outside_sheet} coded segment(s) not in the sheet are left as they were.")
    changes = [("+", "green", pair) for pair in result.added] + [
        ("-", "red", pair) for pair in result.removed
    ]
    if changes:
        table = Table(show_edge=False)
        table.add_column("")
        table.add_column("segment")
        table.add_column("code")
        for sign, style, (sid, code) in changes[:SHOWN_CHANGES]:
            table.add_row(f"[{style}]{sign}[/{style}]", sid, escape(code or "(no code applies)"))
        stdout.print(table)
        if len(changes) > SHOWN_CHANGES:
            stdout.print(f"... and {len(changes) - SHOWN_CHANGES} more; --format json lists them all.")
    if result.dry_run:
        info("Dry run: nothing was written.")
    elif result.written:
        kept = f"; the previous file is kept as {result.history_path}" if result.history_path else ""
        info(f"Imported into codings/{result.coder}.csv{kept}.")
    else:
        info("Nothing changed; the coder's file was left as it was.")


def register(app: typer.Typer) -> None:
    app.add_typer(sheet_app, name="sheet")
