"""slqual codebook: check, show, export, import, rename and merge the codebook."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from slqual.cli.common import (
    CsvPlainOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    get_project,
    info,
    print_json,
    print_raw,
    warn,
)
from slqual.cli.common import stdout as out

group = typer.Typer(
    name="codebook",
    help="Check, show, export, import, rename and merge codes.\n\nExample: slqual codebook check",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


class ExportChoice(str, Enum):
    """Export formats (mirrors slqual.codebook.export.ExportFormat)."""

    md = "md"
    csv = "csv"
    docx = "docx"
    qdc = "qdc"


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


FileArgument = Annotated[
    Path | None,
    typer.Argument(
        metavar="[FILE]",
        help="A codebook .yaml file (default: the project's codebook).",
        show_default=False,
        dir_okay=False,
    ),
]
DEFINITION_WIDTH = 90


def _shown(path: str) -> str:
    """A path as short as it can be: relative to the working folder when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return path


def _codebook(file: Path | None, project: Path | None):
    if file is not None:
        from slqual.codebook import load_codebook

        return load_codebook(file)
    from slqual.codebook import load_project_codebook

    return load_project_codebook(get_project(project))


@group.command("check")
def check(
    file: FileArgument = None,
    codings: Annotated[
        bool,
        typer.Option("--codings", metavar="", help="Also list coder rows whose code is not in the codebook."),
    ] = False,
    project: ProjectOption = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="table for people, json for tools.")] = (
        CheckFormat.table
    ),
) -> None:
    """Report every problem in the codebook at once: file, line, node id and what to do.

    Exit status 0 when clean, 1 when problems were found.

    Example: slqual codebook check --codings
    """
    if file is not None and not codings:
        from slqual.codebook import check_codebook

        report = check_codebook(file)
    else:
        from slqual.codebook.usage import check_project_codebook

        report = check_project_codebook(get_project(project), file, codings=codings)
    if fmt == CheckFormat.json:
        print_json(report.to_dict())
    elif report.issues:
        table = Table(title="Codebook check", title_justify="left")
        table.add_column("file", overflow="fold", ratio=2)
        table.add_column("line", justify="right")
        table.add_column("node id", overflow="fold", ratio=2)
        table.add_column("problem", ratio=5)
        for issue in report.issues:
            colour = "red" if issue.severity == "error" else "yellow"
            table.add_row(
                escape(_shown(issue.file)),
                str(issue.line or ""),
                escape(issue.node_id or ""),
                f"[{colour}]{escape(issue.severity)}[/{colour}]: {escape(issue.message)}",
            )
        out.print(table)
    if report.issues:
        errors, warnings = len(report.errors), len(report.warnings)
        info(f"{_shown(report.file)}: {errors} error(s), {warnings} warning(s)")
        raise typer.Exit(1)
    info(f"{_shown(report.file)}: no problems found")


def _label(node, full: bool) -> str:
    swatch = f"[{node.color}]■[/] " if node.color else ""
    style = "bold" if node.depth == 0 else ""
    name = f"[{style}]{escape(node.name)}[/{style}]" if style else escape(node.name)
    text = f"{swatch}{name} [dim]{escape(node.id)}[/dim]"
    definition = node.definition
    if definition and not full and len(definition) > DEFINITION_WIDTH:
        definition = definition[: DEFINITION_WIDTH - 1].rstrip() + "…"
    if definition:
        text += f"\n{escape(definition)}"
    if full:
        if node.include:
            text += f"\n[green]Include:[/green] {escape(node.include)}"
        if node.exclude:
            text += f"\n[red]Exclude:[/red] {escape(node.exclude)}"
        for example in node.examples:
            text += f"\n[cyan]Example:[/cyan] [italic]“{escape(example)}”[/italic]"
        if node.keywords:
            text += f"\n[magenta]Keywords:[/magenta] {escape(', '.join(node.keywords))}"
        if node.memo:
            text += f"\n[dim]Memo: {escape(node.memo)}[/dim]"
    return text


def _tree(codebook, full: bool) -> Tree:
    title = escape(codebook.title or "Codebook")
    version = f" [dim](version {escape(codebook.version)})[/dim]" if codebook.version else ""
    tree = Tree(f"[bold]{title}[/bold]{version}")

    def add(branch: Tree, node) -> None:
        child = branch.add(_label(node, full))
        for sub in node.children:
            add(child, sub)

    for theme in codebook.themes:
        add(tree, theme)
    return tree


@group.command("show")
def show(
    file: FileArgument = None,
    full: Annotated[
        bool, typer.Option("--full", metavar="", help="Add inclusion, exclusion, examples and keywords.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    csv_plain: CsvPlainOption = False,
    project: ProjectOption = None,
) -> None:
    """Print the codebook as a tree: themes, subthemes, codes and their definitions.

    Example: slqual codebook show --full
    """
    codebook = _codebook(file, project)
    if fmt == OutputFormat.table:
        out.print(_tree(codebook, full))
        return
    from slqual.codebook.views import render_codebook

    print_raw(render_codebook(codebook, fmt.value, full, csv_plain=csv_plain))


@group.command("export")
def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The file to write.", dir_okay=False)
    ],
    fmt: Annotated[
        ExportChoice,
        typer.Option(
            "--format", "-f", help="md or docx: appendix table; csv: one row per node; qdc: REFI-QDA XML."
        ),
    ],
    file: FileArgument = None,
    csv_plain: CsvPlainOption = False,
    project: ProjectOption = None,
) -> None:
    """Write the codebook for a paper's appendix (md, docx), a spreadsheet (csv) or another QDA program (qdc).

    Example: slqual codebook export --format docx -o appendix-codebook.docx
    """
    from slqual.codebook.export import export_codebook

    codebook = _codebook(file, project)
    path = export_codebook(codebook, fmt.value, output, csv_plain=csv_plain)
    info(f"Wrote {path} ({len(codebook)} codes, {fmt.value})")


@group.command("import")
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A REFI-QDA codebook (.qdc) or a Taguette codebook (.csv).", dir_okay=False
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The YAML file to write (default: the project's codebook file).",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace the output file if it exists.")
    ] = False,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TITLE",
            help="The codebook's title (default: the file name).",
            show_default=False,
        ),
    ] = None,
    ids_from: Annotated[
        Path | None,
        typer.Option(
            "--ids-from",
            metavar="FILE",
            help="A slqual codebook whose ids to restore for codes that went out in slqual's .qdc export.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Read a codebook exported by NVivo, ATLAS.ti, MAXQDA, QualCoder or Taguette into slqual's YAML.

    Ids are made from the names; check them before coding starts.

    Example: slqual codebook import nvivo-codebook.qdc -o codebook.yaml
    """
    from slqual.interop.importer import import_codebook

    target = output
    if target is None:
        from slqual.errors import ProjectError

        try:
            target = get_project(project).codebook_path
        except ProjectError as exc:
            raise ProjectError(f"{exc}; or name the file to write with -o codebook.yaml") from None
    result = import_codebook(source, target, force=force, title=title, ids_from=ids_from)
    for note in result.notes:
        warn(note)
    info(f"Wrote {result.output}: {result.codes} codes under {result.themes} theme(s)")
    if result.kept:
        info(f"The codebook it replaced is kept as {result.kept}")


def _report_edit(result) -> None:
    for note in result.mentions:
        warn(note)
    if result.rewritten:
        warn(
            f"{result.codebook} was rewritten cleanly; its comments are in the copy kept in .slqual/history/"
        )
    rows = sum(result.coder_rows.values())
    if rows:
        coders = ", ".join(f"{c} ({n})" for c, n in result.coder_rows.items())
        info(f"Changed {rows} coded row(s) in coder files: {coders}")
    else:
        info("No coder file used the code(s); only the codebook changed")
    if result.collapsed:
        info(f"Combined {result.collapsed} row(s) that became repeats of the same segment and code")


@group.command("rename")
def rename(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The current id.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new id.")],
    project: ProjectOption = None,
) -> None:
    """Change a code's id in the codebook and in every coder's file, together.

    Example: slqual codebook rename barriers.time_pressure barriers.time
    """
    from slqual.recode import rename_code

    result = rename_code(get_project(project), old, new)
    info(f"Renamed '{old}' to '{new}' in {result.codebook}")
    _report_edit(result)


@group.command("merge")
def merge(
    codes: Annotated[
        list[str],
        typer.Argument(metavar="CODES...", help="The codes to merge, then the code they merge into (last)."),
    ],
    project: ProjectOption = None,
) -> None:
    """Fold one or more codes into another: their codings move to it and they leave the codebook.

    Example: slqual codebook merge skills.understanding.early_communication skills.understanding.collaboration
    """
    from slqual.recode import merge_codes

    if len(codes) < 2:
        raise typer.BadParameter("give the codes to merge and then the code to merge them into")
    *sources, target = codes
    result = merge_codes(get_project(project), sources, target)
    info(f"Merged {', '.join(result.sources)} into '{target}' in {result.codebook}")
    _report_edit(result)


def register(app: typer.Typer) -> None:
    """Add the ``codebook`` command group."""
    app.add_typer(group, name="codebook")
