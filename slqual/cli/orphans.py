"""slqual orphans: coding rows moved aside by a re-ingest, listed and attached back."""

from __future__ import annotations

from dataclasses import asdict
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

orphans_app = typer.Typer(
    help="Coding rows whose words left a corrected transcript (codings/orphaned/): "
    "list them, attach them back.\n\n"
    "Example: slqual orphans",
    invoke_without_command=True,
)


@orphans_app.callback()
def orphans(
    ctx: typer.Context,
    attached: Annotated[
        bool, typer.Option("--attached", metavar="", help="Also list rows already attached back.")
    ] = False,
    fmt: TableOrJsonOption = TableOrJson.table,
    project_dir: ProjectOption = None,
) -> None:
    """List the orphaned coding rows with their numbers, coder, old segment and old words.

    Example: slqual orphans --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    from slqual.orphans import list_orphans

    rows = list_orphans(get_project(project_dir), attached=attached)
    if fmt is TableOrJson.json:
        print_json([asdict(r) for r in rows])
        return
    if not rows:
        stdout.print("No orphaned coding rows.")
        return
    table = Table(title="Orphaned coding rows (attach one with: slqual orphans attach ROW SEGMENT)")
    table.add_column("row", justify="right")
    table.add_column("coder")
    table.add_column("was on")
    table.add_column("code")
    table.add_column("old words", overflow="fold")
    if attached:
        table.add_column("attached to")
    for row in rows:
        cells = [str(row.number), escape(row.coder), escape(row.segment_id), escape(row.code or "(none)")]
        cells.append(escape(row.old_text[:160] + ("…" if len(row.old_text) > 160 else "")))
        if attached:
            cells.append(escape(row.attached_to))
        table.add_row(*cells)
    stdout.print(table)


@orphans_app.command("attach")
def attach(
    row: Annotated[int, typer.Argument(help="The row number shown by 'slqual orphans'.", show_default=False)],
    segment: Annotated[
        str, typer.Argument(help="The segment id to attach it to, e.g. P07-0031.", show_default=False)
    ],
    project_dir: ProjectOption = None,
) -> None:
    """Put an orphaned coding row back in its coder's file, on the segment you name.

    Example: slqual orphans attach 3 P07-0031
    """
    from slqual.orphans import attach as attach_row

    done = attach_row(get_project(project_dir), row, segment)
    info(
        f"Attached row {done.number} ({done.coder}, code '{done.code or '(none)'}', "
        f"was on {done.segment_id}) to {done.attached_to}; "
        "the coder's previous file is kept in .slqual/history/."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(orphans_app, name="orphans")
