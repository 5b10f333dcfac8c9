"""slqual ingest: a folder of transcripts into numbered segments (segments.csv)."""

from __future__ import annotations

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
    stderr,
    stdout,
    warn,
)

if TYPE_CHECKING:
    from slqual.ingest import IngestResult

PROGRESS_ABOVE = 5  # a progress bar for more files than this


def ingest(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="The folder of transcripts (default: the project's transcripts/ folder).", show_default=False
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            metavar="",
            help="Re-ingest changed transcripts even when their segments have codings; "
            "those coding rows move to codings/orphaned/.",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            metavar="",
            help="Stop with an error when the folder holds files that are not transcripts.",
        ),
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going",
            metavar="",
            help="Ingest the readable files when some cannot be read, and list the others.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", metavar="", help="Show the summary without writing anything.")
    ] = False,
    similarity: Annotated[
        float,
        typer.Option(
            "--similarity",
            metavar="RATIO",
            min=0.01,
            max=1.0,
            help="How alike (0-1, by words) a corrected turn must be to its old words to keep its id "
            "and codes, marked for review.",
        ),
    ] = 0.8,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links",
            metavar="",
            help="Also read files and folders that links point to outside the transcripts folder.",
        ),
    ] = False,
    all_warnings: Annotated[
        bool,
        typer.Option(
            "--all-warnings", metavar="", help="Repeat the warnings about files that have not changed."
        ),
    ] = False,
    output: TableOrJsonOption = TableOrJson.table,
    project: ProjectOption = None,
) -> None:
    """Read a folder of transcripts (.txt, .md, .docx, .odt, .vtt, .srt) into numbered segments.

    Speakers come from labels such as 'Interviewer:' and 'P07:', Word tables, or Zoom and Teams captions.

    Each turn becomes a segment in segments.csv. Running it again on unchanged files changes nothing.

    A corrected transcript keeps its codes: unchanged turns keep their ids, edited turns keep their ids
    and codes and are marked for review (see slqual status, slqual code --review), new turns get new ids.
    Only when coded turns are gone is ingest refused unless --force, which moves those rows to
    codings/orphaned/ (see slqual orphans).

    Example: slqual ingest transcripts/ --dry-run
    """
    from slqual.ingest import ingest as run_ingest

    proj = get_project(project)
    with _ProgressBar() as bar:
        result = run_ingest(
            proj,
            folder,
            force=force,
            strict=strict,
            keep_going=keep_going,
            dry_run=dry_run,
            similarity=similarity,
            follow_links=follow_links,
            all_warnings=all_warnings,
            progress=bar.update,
        )
    if output is TableOrJson.json:
        print_json(result.to_dict())
    else:
        _render(result)
    if result.failures:
        raise typer.Exit(1)


class _ProgressBar:
    """A progress bar on stderr, shown only when there are more than a handful of files."""

    def __init__(self) -> None:
        self._progress = None
        self._task = None

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, done: int, total: int, name: str) -> None:
        if total <= PROGRESS_ABOVE:
            return
        if self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("Reading transcripts"),
                BarColumn(),
                MofNCompleteColumn(),
                console=stderr,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("ingest", total=total)
        self._progress.update(self._task, completed=done)


def _render(result: IngestResult) -> None:
    for message in result.warnings:
        warn(message)
    for failure in result.failures:
        error(failure.message)
    table = Table(title=f"Transcripts by group (unit: {result.unit})", title_justify="left")
    table.add_column("Group")
    table.add_column("Documents", justify="right")
    table.add_column("Participants", justify="right")
    table.add_column("Participant turns", justify="right")
    table.add_column("Words", justify="right")
    for group in result.groups:
        table.add_row(
            escape(group.group or "(no group)"),
            f"{group.documents:,}",
            f"{group.participants:,}",
            f"{group.participant_turns:,}",
            f"{group.words:,}",
        )
    table.add_section()
    table.add_row(
        "All",
        f"{len(result.documents):,}",
        f"{sum(g.participants for g in result.groups):,}",
        f"{sum(g.participant_turns for g in result.groups):,}",
        f"{sum(g.words for g in result.groups):,}",
        style="bold",
    )
    stdout.print(table)
    counts = {
        status: sum(d.status == status for d in result.documents)
        for status in ("new", "changed", "updated", "unchanged")
    }
    states = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    for doc in result.documents:
        if doc.status == "changed":
            edited = f", {doc.edited} edited" if doc.edited else ""
            info(f"{doc.file}: {doc.added} turn(s) added, {doc.removed} removed, {doc.kept} kept{edited}")
    if result.review:
        shown = ", ".join(result.review[:8]) + (
            f" and {len(result.review) - 8} more" if len(result.review) > 8 else ""
        )
        info(
            f"{len(result.review)} coded segment(s) with edited words keep their codes, marked for review: "
            f"{shown} (see 'slqual status'; confirm with 'slqual code --coder NAME --review')"
        )
    for item in result.orphaned:
        if item.moved_to:
            info(f"{item.coder}: {item.rows} coding row(s) on changed segments moved to {item.moved_to}")
        else:
            info(
                f"{item.coder}: {item.rows} coding row(s) on changed segments would move to codings/orphaned/"
            )
    if result.dry_run:
        info(
            f"Dry run ({states}): nothing was written; "
            f"{result.total_segments:,} segments would be in segments.csv."
        )
    elif result.written:
        info(f"Ingested {states}: {result.total_segments:,} segments in {result.segments_path}")
    else:
        info(f"Nothing changed ({states}): {result.segments_path} is up to date.")
    if result.failures:
        info(f"{len(result.failures)} file(s) could not be read (listed above); fix them and ingest again.")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
