"""What every command shares: consoles, options, project lookup and output formats.

Results go to stdout, messages and progress to stderr, so machine formats
(JSON, CSV) pipe cleanly. Only typer, rich and the standard library are
imported here: ``slqual --help`` must start fast.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


class OutputFormat(str, Enum):
    """How a command prints its result: a rich table for people, or a machine format."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        metavar="DIR",
        help="The project folder (default: the nearest folder upward holding slqual.yaml).",
        show_default=False,
    ),
]

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output: table for people, or json, csv, md for other tools."),
]

CsvPlainOption = Annotated[
    bool,
    typer.Option(
        "--csv-plain",
        metavar="",
        help="CSV with the raw text, for R or pandas: no apostrophe before = + - @, no byte-order mark.",
    ),
]


class TableOrJson(str, Enum):
    """For commands whose only machine format is JSON; the values match OutputFormat's."""

    table = "table"
    json = "json"


TableOrJsonOption = Annotated[
    TableOrJson,
    typer.Option("--format", "-f", help="table for people, or json for other tools."),
]


def get_project(explicit: Path | None):
    """Find the project for a command (see slqual.project.find_project)."""
    from slqual.project import find_project

    return find_project(explicit)


def error(message: str) -> None:
    """One plain-language red line on stderr."""
    stderr.print(f"[red]Error:[/red] {escape(message)}", soft_wrap=True)


def warn(message: str) -> None:
    stderr.print(f"[yellow]Warning:[/yellow] {escape(message)}", soft_wrap=True)


def info(message: str) -> None:
    stderr.print(escape(message), soft_wrap=True)


def print_raw(text: str) -> None:
    """Write machine output (JSON, CSV, Markdown) to stdout untouched by rich."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def print_json(data: Any) -> None:
    print_raw(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))
