"""slqual search: find segments like a phrase or like another segment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from slqual.cli.common import ProjectOption, TableOrJson, TableOrJsonOption, get_project, print_json, stdout

if TYPE_CHECKING:
    from slqual.search import SearchResult


def search(
    query: Annotated[
        str | None, typer.Argument(metavar="QUERY", help='Words or a phrase, e.g. "no time to lead".')
    ] = None,
    like: Annotated[
        str | None, typer.Option("--like", metavar="SEGMENT_ID", help="Find segments like this one instead.")
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", metavar="N", help="How many segments to list.")] = 10,
    code: Annotated[
        str | None,
        typer.Option(
            "--code", metavar="ID", help="Only segments people coded with this code (or one under it)."
        ),
    ] = None,
    fmt: TableOrJsonOption = TableOrJson.table,
    project_dir: ProjectOption = None,
) -> None:
    """Rank participant segments by similarity (TF-IDF cosine) to a phrase or to a segment.

    For finding more quotes for a code and checking its boundaries. The index is built on the
    first search and kept in .slqual/search/ until segments.csv changes.

    Example: slqual search "never planned to be a leader" --top 5
    """
    from slqual.search import search as run_search

    result = run_search(get_project(project_dir), query, like=like, top=top, code=code)
    if fmt is TableOrJson.json:
        print_json(result.to_dict())
        return
    _render(result)


def _render(result: SearchResult) -> None:
    from slqual.search import highlight_words

    asked = f"like {result.like}" if result.like else f'"{result.query}"'
    table = Table(
        title=f"Segments {escape(asked)} ({result.searched} searched)", show_lines=True, expand=True
    )
    table.add_column("#", justify="right")
    table.add_column("segment", no_wrap=True)
    table.add_column("who", overflow="fold")
    table.add_column("score", justify="right")
    table.add_column("snippet", ratio=3, overflow="fold")
    table.add_column("codes", ratio=1, overflow="fold")
    for hit in result.hits:
        snippet = Text(hit.snippet)
        for start, end in highlight_words(hit.snippet, hit.matched):
            snippet.stylize("bold yellow", start, end)
        who = hit.participant_id + (f"\n{hit.group}" if hit.group else "")
        table.add_row(
            str(hit.rank),
            escape(hit.segment_id),
            escape(who),
            f"{hit.score:.2f}",
            snippet,
            escape(", ".join(hit.codes)),
        )
    if not result.hits:
        stdout.print(f"No segment shares a word with {escape(asked)}.")
        return
    stdout.print(table)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
