"""slqual init: create a project folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slqual.cli.common import info, stdout


def init(
    directory: Annotated[Path, typer.Argument(help="The folder to create the project in.")],
    codebook: Annotated[
        str | None,
        typer.Option(
            "--codebook",
            "-c",
            help="A shipped codebook by name (shared_leadership, template) or a path to a YAML file.",
            show_default="shared_leadership",
        ),
    ] = None,
) -> None:
    """Create a project folder: settings, codebook, participants file, transcripts/ and codings/.

    Example: slqual init study --codebook template
    """
    from slqual.project import init_project

    project = init_project(directory, codebook)
    stdout.print(f"Created a slqual project in [bold]{project.root}[/bold]")
    info(
        "Next: put transcripts in transcripts/, list participants in participants.csv, "
        "then run 'slqual ingest transcripts/' inside the folder."
    )


def register(app: typer.Typer) -> None:
    app.command("init")(init)
