"""slqual autocode: pre-code participant segments with the codebook's keywords."""

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


def autocode(
    coder: Annotated[
        str,
        typer.Option(
            "--coder", "-c", metavar="NAME", help="The pseudo-coder to write; never a person's file."
        ),
    ] = "auto",
    fmt: TableOrJsonOption = TableOrJson.table,
    project_dir: ProjectOption = None,
) -> None:
    """Pre-code segments by the codebook's keywords (words, phrases, re: patterns) as the coder 'auto'.

    A reviewer can compare with it (slqual agree reviewer1 auto) or start from its sheet.
    Keywords only suggest codes; a coder always decides.

    Example: slqual autocode && slqual status
    """
    from slqual.coding.autocode import autocode as run_autocode

    result = run_autocode(get_project(project_dir), coder)
    if fmt is TableOrJson.json:
        print_json(result.to_dict())
        return
    table = Table(title=f"Keyword matches written to {escape(result.path)}")
    table.add_column("code", overflow="fold")
    table.add_column("name", overflow="fold")
    table.add_column("keywords", justify="right")
    table.add_column("segments", justify="right")
    for row in result.codes:
        table.add_row(escape(row.code), escape(row.name), str(row.keywords), str(row.segments))
    stdout.print(table)
    stdout.print(
        f"{result.matched_segments} of {result.segments} participant segments matched a keyword "
        f"({result.assignments} code assignments)."
    )
    if result.history_path:
        info(f"The previous {result.coder}.csv is kept as {result.history_path}.")


def register(app: typer.Typer) -> None:
    app.command("autocode")(autocode)
