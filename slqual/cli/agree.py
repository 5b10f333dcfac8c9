"""slqual agree: inter-rater agreement per code and overall, and the disagreements to discuss."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from slqual.cli.common import (
    FormatOption,
    OutputFormat,
    ProjectOption,
    info,
    print_json,
    print_raw,
    stdout,
    warn,
)

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"


class Level(str, Enum):
    code = "code"
    theme = "theme"


def agree(
    coders: Annotated[
        list[str],
        typer.Argument(
            help="Two or more coders: names in the project (reviewer1) or coder CSV files (A.csv).",
            show_default=False,
        ),
    ],
    level: Annotated[
        Level, typer.Option("--level", help="Compare codes, or themes (any code under a theme).")
    ] = Level.code,
    output_format: FormatOption = OutputFormat.table,
    replicates: Annotated[
        int,
        typer.Option(
            "--bootstrap",
            min=0,
            max=100000,
            help="Bootstrap resamples of segments for intervals (e.g. 1000).",
        ),
    ] = 0,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed for the bootstrap, so intervals can be reproduced.")
    ] = None,
    min_alpha: Annotated[
        float | None,
        typer.Option(
            "--min-alpha",
            min=-1.0,
            max=1.0,
            help="Exit with status 1 when a code's alpha is below this (e.g. 0.667).",
        ),
    ] = None,
    disagreements: Annotated[
        Path | None,
        typer.Option(
            "--disagreements",
            help="Write the disagreements to this .csv or .xlsx file for discussion.",
            show_default=False,
        ),
    ] = None,
    methods: Annotated[
        bool, typer.Option("--methods", help="Print a methods paragraph for a paper instead of the report.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Inter-rater agreement per code and overall: kappa, alpha, AC1, intervals, disagreements.

    The unit is the segment: 1 code applied, 0 segment coded without it, missing when not coded.

    Exit status 1 when --min-alpha is given and a code's alpha is below it.

    Example: slqual agree reviewer1 reviewer2 --disagreements disagreements.xlsx
    """
    from slqual.agreement.run import AgreeOptions, run_agree

    outcome = run_agree(
        AgreeOptions(
            coders=tuple(coders),
            project=project,
            level=level.value,
            replicates=replicates,
            seed=seed,
            min_alpha=min_alpha,
            disagreements=disagreements,
        )
    )
    for note in outcome.notes:
        warn(note)
    data = outcome.data
    if methods:
        print_raw(outcome.methods)
    elif output_format is OutputFormat.json:
        print_json(data)
    elif output_format is OutputFormat.csv:
        from slqual.agreement.formats import csv_text

        print_raw(csv_text(data))
    elif output_format is OutputFormat.md:
        from slqual.agreement.formats import markdown_text

        print_raw(markdown_text(data))
    else:
        _render_table(data)
    if outcome.disagreements_path is not None:
        info(f"Wrote {len(outcome.disagreements)} disagreement(s) to {outcome.disagreements_path}")
    below = outcome.below_min_alpha
    if below:
        warn(f"{len(below)} {data['level']}(s) with alpha below {min_alpha}: {', '.join(below)}")
        raise typer.Exit(1)


def _fmt(value: float | None, ci: list[float] | None = None, digits: int = 2) -> str:
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    if ci is not None:
        text += f"\n[dim]{ci[0]:.{digits}f}–{ci[1]:.{digits}f}[/dim]"
    return text


def _render_table(data: dict) -> None:
    kappa_title = "κ" if data["kappa_type"] == "cohen" else "Light κ"
    table = Table(
        title=f"Agreement per {data['level']}: {', '.join(data['coders'])} "
        f"(unit: segment, {data['units']} segments)",
        title_justify="left",
    )
    table.add_column(data["level"].capitalize(), max_width=26, overflow="ellipsis")
    table.add_column("n", justify="right")
    table.add_column("%", justify="right")
    table.add_column(kappa_title, justify="right")
    table.add_column("α", justify="right")
    table.add_column("AC1", justify="right")
    table.add_column("Reading", min_width=16)
    footnotes: dict[str, str] = {}

    def cell(row: dict, name: str, with_ci: bool = False) -> str:
        if row[name] is None:
            why = row["undefined"].get(name, "undefined")
            if why not in footnotes:
                footnotes[why] = (
                    SUPERSCRIPTS[len(footnotes)]
                    if len(footnotes) < len(SUPERSCRIPTS)
                    else f"[{len(footnotes) + 1}]"
                )
            return f"–{footnotes[why]}"
        return _fmt(row[name], row["ci"][name] if with_ci else None)

    theme = object()
    for row in data["codes"]:
        grouped = data["level"] == "code" and row["theme"] is not None
        if grouped and row["theme"] != theme:
            theme = row["theme"]
            table.add_section()
        interp = row["interpretation"]
        words = ", ".join(
            f"{label} {interp[k]}"
            for k, label in (("cohen_kappa", "κ"), ("krippendorff_alpha", "α"))
            if k in interp
        )
        name = escape(_short_name(row) if grouped else row["code"])
        if grouped and row["code"] == row["theme"]:
            name = f"[bold]{name}[/bold]"
        style = "red" if row["below_min_alpha"] else None
        percent = row["percent_agreement"]
        table.add_row(
            name,
            str(row["n"]),
            _fmt(100 * percent, digits=0) if percent is not None else cell(row, "percent_agreement"),
            cell(row, "cohen_kappa", True),
            cell(row, "krippendorff_alpha", True),
            cell(row, "gwet_ac1"),
            words,
            style=style,
        )
    stdout.print(table)
    o = data["overall"]
    lines = [
        f"[bold]Overall[/bold] (n = {o['n']} segments): percent agreement "
        f"{_fmt(None if o['percent_agreement'] is None else 100 * o['percent_agreement'], digits=1)}%, "
        f"α (MASI) {_overall(o, 'krippendorff_alpha_masi')}, pooled κ {_overall(o, 'pooled_kappa')}, "
        f"mean α {_overall(o, 'mean_alpha')}"
    ]
    if o["exclusive"]:
        lines.append(
            f"One code per segment ({o['n_categories']} categories): κ {_overall(o, 'cohen_kappa')}, "
            f"Fleiss κ {_overall(o, 'fleiss_kappa')}, α {_overall(o, 'krippendorff_alpha')}, "
            f"AC1 {_overall(o, 'gwet_ac1')}"
        )
    for line in lines:
        stdout.print(line)
    if data["pairwise"]:
        _render_pairs(data)
    if footnotes:
        stdout.print()
        for why, mark in footnotes.items():
            stdout.print(f"[dim]{mark} {escape(why)}[/dim]")
    if data["min_alpha"] is not None:
        stdout.print(f"[dim]Codes in red: alpha below --min-alpha {data['min_alpha']}.[/dim]")
    stdout.print(
        "[dim]κ: Landis & Koch (1977) bands; α: ≥ 0.800 reliable, 0.667–0.800 tentative, < 0.667 unreliable "
        "(Krippendorff 2004).[/dim]"
    )


def _short_name(row: dict) -> str:
    """A code under its theme without the theme's prefix ("barriers.time" -> "  .time")."""
    code, theme = row["code"], row["theme"]
    if code == theme:
        return code
    return "  ." + code[len(theme) + 1 :] if code.startswith(theme + ".") else "  " + code


def _overall(o: dict, name: str) -> str:
    if o[name] is None:
        return f"– ({escape(o['undefined'].get(name, 'undefined'))})"
    ci = o["ci"].get(name)
    return _fmt(o[name]) + (f" [dim](95% CI {ci[0]:.2f}–{ci[1]:.2f})[/dim]" if ci else "")


def _render_pairs(data: dict) -> None:
    coders = data["coders"]
    table = Table(title="Coder pairs: pooled κ / α (MASI) over all codes", title_justify="left")
    table.add_column("")
    for coder in coders:
        table.add_column(escape(coder), justify="right")
    lookup = {tuple(p["coders"]): p for p in data["pairwise"]}
    for a in coders:
        cells = []
        for b in coders:
            pair = lookup.get((a, b)) or lookup.get((b, a))
            if pair is None:
                cells.append("")
            else:
                kappa = "–" if pair["pooled_kappa"] is None else f"{pair['pooled_kappa']:.2f}"
                alpha = (
                    "–"
                    if pair["krippendorff_alpha_masi"] is None
                    else f"{pair['krippendorff_alpha_masi']:.2f}"
                )
                cells.append(f"{kappa} / {alpha}")
        table.add_row(escape(a), *cells)
    stdout.print(table)


def register(app: typer.Typer) -> None:
    app.command("agree")(agree)
