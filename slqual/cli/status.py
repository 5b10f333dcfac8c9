"""slqual status: how far each coder has got."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.progress_bar import ProgressBar
from rich.table import Table

from slqual.cli.common import ProjectOption, TableOrJson, TableOrJsonOption, get_project, print_json, stdout

if TYPE_CHECKING:
    from slqual.coding.status import StatusReport

SHOWN_IDS = 5


def status(
    fmt: TableOrJsonOption = TableOrJson.table,
    project_dir: ProjectOption = None,
) -> None:
    """Show each coder's progress: segments coded, per theme, last activity, and gaps between coders.

    Example: slqual status --format json
    """
    from slqual.coding.status import coding_status

    report = coding_status(get_project(project_dir))
    if fmt is TableOrJson.json:
        print_json(report.to_dict())
    else:
        _render(report)


def _render(report: StatusReport) -> None:
    if not report.coders:
        stdout.print(
            f"{report.segments} participant segments; nobody has coded yet. "
            "Start with: slqual code --coder reviewer1"
        )
        return
    people = f" of {report.participants} participants" if report.participants else ""
    table = Table(title=f"Coding progress over {report.segments} participant segments{people}")
    table.add_column("coder")
    table.add_column("progress")
    table.add_column("coded", justify="right")
    table.add_column("%", justify="right")
    table.add_column("none", justify="right")
    table.add_column("last (UTC)", no_wrap=True)
    table.add_column("note", overflow="fold")
    problems = []
    for coder in report.coders:
        notes = []
        if coder.coding_now:
            notes.append("coding now")
        if coder.pseudo:
            notes.append(coder.pseudo_kind or "machine")
        unknown = []
        if coder.unknown_segments:
            unknown.append(
                f"{coder.unknown_segments} segment id(s) not in segments.csv (not counted; "
                "were the transcripts ingested again or renamed?)"
            )
        if coder.unknown_codes:
            unknown.append(
                f"{coder.unknown_codes} code(s) not in the codebook "
                "(list them with 'slqual codebook check --codings')"
            )
        if unknown:
            problems.append(f"{escape(coder.coder)}: {'; '.join(unknown)}")
        table.add_row(
            escape(coder.coder),
            ProgressBar(total=max(coder.total, 1), completed=coder.coded, width=10),
            f"{coder.coded}/{coder.total}",
            "<1" if 0 < coder.percent < 1 else f"{coder.percent:.0f}",
            str(coder.no_code),
            coder.last_activity.replace("T", " ")[:16],
            ", ".join(notes),
        )
    stdout.print(table)
    for coder in report.coders:
        if coder.review:
            shown = ", ".join(coder.review[:SHOWN_IDS]) + (", ..." if len(coder.review) > SHOWN_IDS else "")
            stdout.print(
                f"[yellow]{escape(coder.coder)}: {len(coder.review)} coded segment(s) marked for review "
                f"(their words were edited since): {escape(shown)}; check them with "
                f"'slqual code --coder {escape(coder.coder)} --review'[/yellow]"
            )
    for line in problems:
        stdout.print(f"[yellow]{line}[/yellow]")
    themes = Table(title="Segments per theme")
    themes.add_column("theme", overflow="fold")
    for coder in report.coders:
        themes.add_column(escape(coder.coder), justify="right")
    for theme_id, name in report.themes.items():
        themes.add_row(
            f"{escape(theme_id)} [dim]{escape(name)}[/dim]", *(str(c.themes[theme_id]) for c in report.coders)
        )
    stdout.print(themes)
    for gap in report.gaps:
        for one, other, only in (
            (gap.coder_a, gap.coder_b, gap.only_a),
            (gap.coder_b, gap.coder_a, gap.only_b),
        ):
            if only:
                shown = ", ".join(only[:SHOWN_IDS]) + (", ..." if len(only) > SHOWN_IDS else "")
                stdout.print(
                    f"{len(only)} segment(s) coded by {escape(one)} but not by {escape(other)}: {shown}"
                )
        if not gap.only_a and not gap.only_b:
            stdout.print(f"{escape(gap.coder_a)} and {escape(gap.coder_b)} have coded the same segments.")


def register(app: typer.Typer) -> None:
    app.command("status")(status)
