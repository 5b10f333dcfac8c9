"""slqual export / slqual import: whole projects to and from NVivo, ATLAS.ti, MAXQDA and QualCoder (.qdpx)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
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
    warn,
)

export_group = typer.Typer(
    name="export",
    help="Write the whole project for another program.\n\nExample: slqual export qdpx -o study.qdpx",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
import_group = typer.Typer(
    name="import",
    help="Make a new project from another program's project file.\n\n"
    "Example: slqual import qdpx nvivo-study.qdpx -p study",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


class Unit(str, Enum):
    """Segment units for the new project (mirrors slqual.project.UNITS)."""

    turn = "turn"
    paragraph = "paragraph"
    sentence = "sentence"


@export_group.command("qdpx")
def export_qdpx(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The .qdpx file to write.", dir_okay=False)
    ],
    coders: Annotated[
        str | None,
        typer.Option(
            "--coders",
            metavar="NAMES",
            help="Coders to export, separated by commas (default: every coder file).",
            show_default=False,
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            metavar="",
            help="Apply the project's redact.csv to every text that leaves the project.",
        ),
    ] = False,
    project: ProjectOption = None,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Write the project as a REFI-QDA project file (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Transcripts become text sources, coders users, coded segments coded selections, participants cases.

    Example: slqual export qdpx -o study.qdpx --coders reviewer1,reviewer2 --redact
    """
    from slqual.interop.qdpx.export import export_qdpx as run

    names = [c.strip() for c in coders.split(",") if c.strip()] if coders else None
    result = run(get_project(project), output, coders=names, redact=redact)
    if fmt == TableOrJson.json:
        print_json(result.to_dict())
        return
    for line in result.not_exported:
        warn(f"not exported: {line}")
    for line in result.warnings:
        warn(line)
    info(
        f"Wrote {result.output}: {result.documents} documents ({result.segments} segments), "
        f"{len(result.coders)} coder(s) ({', '.join(result.coders) or 'none'}), "
        f"{result.selections} coded selections with {result.codings} codings, {result.codes} codes, "
        f"{result.cases} cases, {result.memos} memos"
    )
    if result.redacted:
        info("Text was redacted with the project's redact.csv.")
    else:
        info("Text was exported as written (not redacted; add --redact to apply redact.csv).")


@import_group.command("qdpx")
def import_qdpx(
    source: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A REFI-QDA project file (.qdpx).", dir_okay=False),
    ],
    project: Annotated[
        Path,
        typer.Option(
            "--project", "-p", metavar="DIR", help="The new project folder to make (must not exist)."
        ),
    ],
    unit: Annotated[
        Unit,
        typer.Option(
            "--unit",
            help="Segment unit of the new project; sources without speaker labels "
            "get one segment per paragraph either way.",
        ),
    ] = Unit.turn,
    min_overlap: Annotated[
        float,
        typer.Option(
            "--min-overlap",
            metavar="SHARE",
            help="A coded span codes a segment when it covers at least this share of it "
            "(or lies wholly inside it).",
        ),
    ] = 0.5,
    ids_from: Annotated[
        Path | None,
        typer.Option(
            "--ids-from",
            metavar="FILE",
            help="A slqual codebook whose ids to restore for codes that went out in slqual's export.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Make a new slqual project from a .qdpx written by NVivo, ATLAS.ti, MAXQDA, QualCoder or slqual.

    Text sources become transcripts, users coders, cases participants; what cannot be mapped is listed.

    Example: slqual import qdpx nvivo-study.qdpx -p study --min-overlap 0.5
    """
    from slqual.interop.qdpx.build import import_qdpx as run

    result = run(source, project, unit=unit.value, min_overlap=min_overlap, ids_from=ids_from)
    if fmt == TableOrJson.json:
        print_json(result.to_dict())
        return
    for note in result.notes:
        warn(note)
    if result.skipped:
        table = Table(title="Not imported", title_justify="left")
        table.add_column("what", ratio=3)
        table.add_column("count", justify="right")
        table.add_column("detail", overflow="fold", ratio=4)
        for item in result.skipped:
            table.add_row(escape(item.what), str(item.count), escape(item.detail))
        stdout.print(table)
    coders = ", ".join(f"{c} ({n} rows)" for c, n in result.coders.items()) or "none"
    made_by = f" from {result.origin}" if result.origin else ""
    info(
        f"Made {result.project}{made_by}: {result.documents} transcripts ({result.segments} segments), "
        f"{result.codes} codes under {result.themes} theme(s), {result.participants} participants; "
        f"coders: {coders}"
    )


def register(app: typer.Typer) -> None:
    """Add the ``export`` and ``import`` command groups."""
    app.add_typer(export_group, name="export")
    app.add_typer(import_group, name="import")
