"""slqual show: read back every segment coded with a code or theme."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from slqual.cli.common import (
    FormatOption,
    OutputFormat,
    ProjectOption,
    get_project,
    info,
    print_raw,
    stdout,
)

if TYPE_CHECKING:
    from slqual.show import ShowResult


def show(
    code: Annotated[str, typer.Argument(metavar="CODE_OR_THEME", help="A code or theme id, e.g. barriers.")],
    coder: Annotated[
        list[str] | None,
        typer.Option(
            "--coder",
            "-c",
            metavar="NAME",
            help="Only this coder's codings (repeatable).",
            show_default="every coder who is a person",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="ATTR", help="Group by this participant attribute.", show_default="group_by"
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where", metavar="ATTR=VALUE", help="Keep participants with attribute=value (repeatable)."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write md, csv or json to this file."),
    ] = None,
    project_dir: ProjectOption = None,
) -> None:
    """Show every segment coded with a code (or any code under a theme), grouped by a participant attribute.

    Lists participant, speaker, segment id, who coded it, memos and the text with the
    marked quote highlighted. Pseudo-coders (auto, model) are left out unless named with --coder.

    Example: slqual show barriers.time_pressure --by role --format md -o time-pressure.md
    """
    from slqual.show import parse_where
    from slqual.show import show as run_show

    result = run_show(
        get_project(project_dir), code, coders=coder or None, by=by, where=parse_where(where or [])
    )
    if fmt is OutputFormat.table and output is None:
        _render(result)
        return
    text = _machine(result, OutputFormat.md if fmt is OutputFormat.table else fmt)
    if output is None:
        print_raw(text)
    else:
        from slqual.fileio import atomic_write_text

        atomic_write_text(output, text)
        info(f"Wrote {result.total} segment(s) to {output}.")


def _machine(result: ShowResult, fmt: OutputFormat) -> str:
    import json

    from slqual.show import to_markdown

    if fmt is OutputFormat.json:
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if fmt is OutputFormat.md:
        return to_markdown(result)
    buffer = io.StringIO()
    rows = result.rows()
    columns = [
        result.by,
        "segment_id",
        "participant_id",
        "speaker",
        "codes",
        "coders",
        "memo",
        "quote",
        "text",
    ]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _render(result: ShowResult) -> None:
    from slqual.show import quote_spans

    title = f"{result.target}: {result.name} · {result.total} segment(s) · coders: {', '.join(result.coders)}"
    tables = []
    for group in result.groups:
        table = Table(
            title=f"{result.by}: {group.value} ({len(group.segments)})", show_lines=True, expand=True
        )
        table.add_column("segment", no_wrap=True)
        table.add_column("who", overflow="fold")
        table.add_column("text", ratio=3, overflow="fold")
        table.add_column("coded", ratio=1, overflow="fold")
        for s in group.segments:
            text = Text(s.text)
            for start, end in quote_spans(s.text, s.quote):
                text.stylize("bold yellow", start, end)
            coded = Text(", ".join(s.codes) + "\nby " + ", ".join(s.coders))
            for memo in s.memos:
                coded.append("\n" + memo, style="magenta")
            table.add_row(
                escape(s.segment_id), f"{escape(s.participant_id)}\n{escape(s.speaker)}", text, coded
            )
        tables.append(table)
    if not tables:
        stdout.print(f"{escape(title)}\nNothing is coded with it yet.")
        return
    if stdout.is_terminal:
        with stdout.pager(styles=True):
            _print(title, tables)
    else:
        _print(title, tables)


def _print(title: str, tables: list[Table]) -> None:
    stdout.print(Text(title, style="bold"))
    for table in tables:
        stdout.print(table)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
