"""slqual suggest: train a model on the team's coding, then write its suggestions as a pseudo-coder."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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
    stderr,
    stdout,
)

if TYPE_CHECKING:
    from slqual.suggest.apply import ApplyResult
    from slqual.suggest.train import TrainResult

group = typer.Typer(
    name="suggest",
    help=(
        "Suggest codes from a model trained on your own coding (offline), as the pseudo-coder 'model'.\n\n"
        "Example: slqual suggest train --coder consensus && slqual suggest apply"
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@group.command("train")
def train(
    coder: Annotated[
        str, typer.Option("--coder", "-c", metavar="NAME", help="The coder whose coding the model learns.")
    ] = "consensus",
    with_question: Annotated[
        bool,
        typer.Option("--with-question", metavar="", help="Use the interviewer's question as context too."),
    ] = False,
    fmt: TableOrJsonOption = TableOrJson.table,
    project_dir: ProjectOption = None,
) -> None:
    """Train one classifier per code (and theme) and report, per code, how far it can be trusted.

    Scores come from cross-validation that tests on whole interviews the model has not seen:
    precision, recall, F1 and Cohen's kappa against the coder. Codes with fewer than 5 positive
    segments are skipped. The model is saved in .slqual/models/ and signed by the project.

    Example: slqual suggest train --coder consensus
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from slqual.suggest.train import train as run_train

    project = get_project(project_dir)
    with Progress(
        TextColumn("Training"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    ) as bar:
        task = bar.add_task("features", total=None)

        def progress(done: int, total: int, code: str) -> None:
            bar.update(task, completed=done, total=total, description=code)

        result = run_train(project, coder, with_question=with_question, progress=progress)
    if fmt is TableOrJson.json:
        print_json(result.to_dict())
        return
    _render_train(result)


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _render_train(result: TrainResult) -> None:
    table = Table(
        title=(
            f"Cross-validated per code: model vs {escape(result.coder)} ({result.segments} segments, "
            f"{result.documents} documents, {result.folds} folds by document)"
        )
    )
    for column in ("code", "positives", "threshold", "precision", "recall", "F1", "kappa"):
        table.add_column(column, justify="left" if column == "code" else "right", overflow="fold")
    for s in result.scores:
        style = "green" if (s.kappa or 0) >= 0.8 else "yellow" if (s.kappa or 0) >= 0.6 else "red"
        table.add_row(
            escape(s.code) + (" (theme)" if s.theme else ""),
            str(s.positives),
            f"{s.threshold:.2f}",
            _score(s.precision),
            _score(s.recall),
            _score(s.f1),
            f"[{style}]{_score(s.kappa)}[/{style}]",
        )
    stdout.print(table)
    if result.skipped:
        skipped = ", ".join(f"{s.code} ({s.positives})" for s in result.skipped)
        stdout.print(f"Not trained, no score: {escape(skipped)} — fewer than 5 positive segments.")
    stdout.print(
        "kappa ≥ 0.8 green, ≥ 0.6 yellow, else red: trust a code's suggestions only as far as its row says."
    )
    info(f"Model saved to {result.path} ({result.seconds:.0f} s). Next: slqual suggest apply")


@group.command("apply")
def apply(
    into: Annotated[
        str,
        typer.Option("--into", metavar="NAME", help="The pseudo-coder to write; never a person's file."),
    ] = "model",
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            metavar="P",
            help="Suggest a code from this probability on.",
            show_default="each code's threshold from cross-validation",
        ),
    ] = None,
    fmt: TableOrJsonOption = TableOrJson.table,
    project_dir: ProjectOption = None,
) -> None:
    """Write the model's suggestions for every participant segment as the pseudo-coder 'model'.

    The probability is in each row's memo. Measure how far to trust it with
    slqual agree reviewer1 model, and confirm suggestions with slqual code --suggest model.

    Example: slqual suggest apply && slqual agree reviewer1 model
    """
    from slqual.suggest.apply import apply_model

    result = apply_model(get_project(project_dir), into, threshold)
    if fmt is TableOrJson.json:
        print_json(result.to_dict())
        return
    _render_apply(result)


def _render_apply(result: ApplyResult) -> None:
    table = Table(title=f"Suggestions written to {escape(result.path)}")
    table.add_column("code", overflow="fold")
    table.add_column("threshold", justify="right")
    table.add_column("segments", justify="right")
    for row in result.codes:
        table.add_row(escape(row.code), f"{row.threshold:.2f}", str(row.segments))
    stdout.print(table)
    stdout.print(
        f"{result.suggested_segments} of {result.segments} participant segments got a suggestion "
        f"({result.assignments} in all), from a model trained on {escape(result.trained_on)}'s coding; "
        f"{result.cross_validated} segment(s) it was trained on carry their cross-validated probability."
    )
    if result.history_path:
        info(f"The previous {result.coder}.csv is kept as {result.history_path}.")


def register(app: typer.Typer) -> None:
    """Add the ``suggest`` command group."""
    app.add_typer(group, name="suggest")
