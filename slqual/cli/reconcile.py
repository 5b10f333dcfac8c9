"""slqual reconcile: record the consensus of two or more coders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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

if TYPE_CHECKING:
    from slqual.reconcile import ReconcileResult


def reconcile(
    coders: Annotated[list[str], typer.Argument(help="The coders to reconcile, e.g. reviewer1 reviewer2.")],
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            "-d",
            help="The disagreements file from 'slqual agree --disagreements', with decision (keep/drop) "
            "and reason filled in.",
        ),
    ] = None,
    undecided: Annotated[
        str,
        typer.Option(
            "--undecided",
            help="Disagreements without a decision: stop (write nothing, list them), keep (keep the code) "
            "or drop (drop it).",
        ),
    ] = "stop",
    into: Annotated[str, typer.Option("--into", help="The consensus coder's name.")] = "consensus",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", metavar="", help="Show the counts, write nothing.")
    ] = False,
    project_dir: ProjectOption = None,
    output: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Build the consensus coding from the coders' files and the team's recorded decisions.

    Codes all coders applied are kept. Each disagreement is settled by the decision
    recorded in the disagreements file; with --undecided keep or drop, the rest by that
    policy. Writes codings/consensus.csv, whose source, decided_by and reason columns
    say how each row came to be (the previous file is kept in .slqual/history/), and
    logs every decision in .slqual/reconcile/. Refuses while a 'slqual code' session
    codes as the consensus coder.

    Example: slqual reconcile reviewer1 reviewer2 --decisions disagreements.xlsx
    """
    from slqual.errors import CodingsError
    from slqual.reconcile import Undecided
    from slqual.reconcile import reconcile as run_reconcile

    try:
        policy = Undecided(undecided)
    except ValueError:
        raise CodingsError(f"--undecided '{undecided}' is not one of stop, keep, drop") from None
    result = run_reconcile(
        get_project(project_dir),
        coders,
        decisions_file=decisions,
        undecided=policy,
        into=into,
        dry_run=dry_run,
    )
    for note in result.notes:
        warn(note)
    if output is TableOrJson.json:
        print_json(result.to_dict())
    else:
        _render(result)
    if result.pending:
        raise typer.Exit(1)


def _render(result: ReconcileResult) -> None:
    from rich.table import Table

    table = Table(title=f"Reconciling {', '.join(result.coders)} into '{result.into}'", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("segments coded by every coder", str(result.segments))
    table.add_row("  of which all coders agreed", str(result.agreed_segments))
    table.add_row("disagreements (segment and code)", str(result.disagreements))
    table.add_row("  settled by a recorded decision", str(result.decided))
    table.add_row("  settled by the --undecided policy", str(result.by_policy))
    table.add_row("  still open", str(len(result.pending)))
    table.add_row("segments not yet coded by every coder (left out)", str(result.not_coded_by_all))
    stdout.print(table)
    if result.pending:
        first = ", ".join(f"{s} {c}" for s, c in result.pending[:3])
        info(
            f"{len(result.pending)} disagreement(s) have no decision (e.g. {first}); nothing was written. "
            "Fill in 'decision' (keep/drop) and 'reason' in the disagreements file, "
            "or use --undecided keep|drop."
        )
    elif result.written:
        info(f"Wrote {result.written}; decisions logged in {result.log_path}")
        if result.kept_previous:
            info(f"The previous consensus is kept as {result.kept_previous}")


def register(app: typer.Typer) -> None:
    app.command("reconcile")(reconcile)
