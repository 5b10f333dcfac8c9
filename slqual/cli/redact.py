"""slqual redact: check that redact.csv names every person and place before reporting."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from slqual.cli.common import (
    ProjectOption,
    TableOrJson,
    TableOrJsonOption,
    get_project,
    info,
    print_json,
    stdout,
)

redact_app = typer.Typer(
    help="Names and places in redact.csv, replaced in everything that leaves the project.\n\n"
    "Example: slqual redact check",
    no_args_is_help=True,
)


@redact_app.command("check")
def check(
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", help="Show at most N candidates (0: all).", min=0)
    ] = 50,
    fmt: TableOrJsonOption = TableOrJson.table,
    project: ProjectOption = None,
) -> None:
    """List capitalised words in participants' turns that may be names or places not yet in redact.csv.

    A candidate is capitalised, not at a sentence start, not an acronym, not a
    common word and not a word of the codebook. Add the real ones to redact.csv
    (text,replacement) and run the check again. Exit status 1 when candidates remain.

    Example: slqual redact check --limit 20
    """
    from slqual.redact_check import find_candidates

    result = find_candidates(get_project(project))
    if fmt is TableOrJson.json:
        print_json(result.to_dict())
    else:
        shown = result.candidates[:limit] if limit else result.candidates
        table = Table(title="Possible names and places not in redact.csv", title_justify="left")
        table.add_column("text")
        table.add_column("count", justify="right")
        table.add_column("e.g. segment")
        for candidate in shown:
            table.add_row(escape(candidate.text), str(candidate.count), escape(candidate.segment_id))
        if shown:
            stdout.print(table)
        more = len(result.candidates) - len(shown)
        info(
            f"{len(result.candidates)} candidate(s) in {result.segments} participant segments "
            f"({result.entries} entries in redact.csv)" + (f"; {more} more not shown" if more else "")
        )
    if result.candidates:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(redact_app, name="redact")
