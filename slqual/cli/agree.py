"""slqual agree: inter-rater agreement per code and overall, and the disagreements to discuss."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
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


class Weight(str, Enum):
    segments = "segments"
    words = "words"


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
    weight: Annotated[
        Weight,
        typer.Option(
            "--weight",
            help="Count each segment once, or weigh it by its length in words (needs a project).",
        ),
    ] = Weight.segments,
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
    force: Annotated[
        bool,
        typer.Option(
            "--force", metavar="", help="Replace an existing disagreements file (it may hold decisions)."
        ),
    ] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            metavar="",
            help="Replace the names and places of redact.csv in the disagreements file.",
        ),
    ] = False,
    methods: Annotated[
        bool,
        typer.Option(
            "--methods", metavar="", help="Print a methods paragraph for a paper instead of the report."
        ),
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Inter-rater agreement per code and overall: kappa, alpha, AC1, intervals, disagreements.

    The unit is the segment: 1 code applied, 0 segment coded without it, missing when not coded.

    Exit status 1 when --min-alpha is given and a code's alpha is below it.

    Example: slqual agree reviewer1 reviewer2 --disagreements disagreements.xlsx
    """
    # Read when numpy is first imported, as here; a value the user set is kept. OpenBLAS hands each
    # product to a second thread: the statistics make many small products (50,000 segments by one
    # vector), where waking that thread costs milliseconds each and saves nothing.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
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
            force=force,
            weight=weight.value,
            redact=redact,
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
    # "+ 0.0" shows an exact negative zero as 0.00.
    text = f"{value + 0.0:.{digits}f}"
    if ci is not None:
        text += f"\n[dim]{ci[0] + 0.0:.{digits}f}–{ci[1] + 0.0:.{digits}f}[/dim]"
    return text


def _render_table(data: dict) -> None:
    kappa_title = "κ" if data["kappa_type"] == "cohen" else "Light κ"
    table = Table(
        title=f"Agreement per {data['level']}: {', '.join(data['coders'])} "
        f"(unit: segment, {_segments(data['units'])}"
        + (", each weighted by its length in words)" if data.get("weight") == "words" else ")"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    from slqual.agreement.formats import INDENT, RARE_MARK, code_tree, rare_note

    tree = code_tree(data["codes"])
    # Never cut a code or a number off: only the Reading column wraps (COLUMNS=80 fits).
    table.add_column(data["level"].capitalize(), no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column(kappa_title, justify="right", no_wrap=True)
    table.add_column("α", justify="right", no_wrap=True)
    table.add_column("AC1", justify="right", no_wrap=True)
    table.add_column("Reading")
    footnotes: dict[str, str] = {}

    def mark(why: str) -> str:
        if why not in footnotes:
            n = len(footnotes)
            footnotes[why] = SUPERSCRIPTS[n] if n < len(SUPERSCRIPTS) else f"[{n + 1}]"
        return footnotes[why]

    def cell(row: dict, name: str, with_ci: bool = False) -> str:
        if row[name] is None:
            return "–" + mark(row["undefined"].get(name, "undefined"))
        text = _fmt(row[name], row["ci"][name] if with_ci else None)
        if with_ci and name in row["ci_withheld"]:
            text += mark(row["ci_withheld"][name])
        return text

    def overall(name: str, percent: bool = False) -> str:
        o = data["overall"]
        if o[name] is None:
            return "–" + mark(o["undefined"].get(name, "undefined"))
        if percent:
            return f"{100 * o[name]:.1f}%"
        ci = o["ci"].get(name)
        return _fmt(o[name]) + (f" [dim](95% CI {ci[0]:.2f}–{ci[1]:.2f})[/dim]" if ci else "")

    nested = any(t["depth"] > 0 for t in tree)
    top = object()
    for entry in tree:
        if nested and entry["top"] != top:
            top = entry["top"]
            table.add_section()
        label = " " * (INDENT * entry["depth"]) + escape(entry["label"])
        row = entry["row"]
        if row is None:
            table.add_row(f"[dim]{label}[/dim]")
            continue
        if entry["depth"] == 0 and nested:
            label = f"[bold]{label}[/bold]"
        interp = row["interpretation"]
        words = "\n".join(
            f"{name} {interp[k]}"
            for k, name in (("cohen_kappa", "κ"), ("krippendorff_alpha", "α"))
            if k in interp
        )
        below = bool(row["below_min_alpha"])
        percent = row["percent_agreement"]
        alpha = cell(row, "krippendorff_alpha", True)
        if below:
            first, _, rest = alpha.partition("\n")
            alpha = f"{first}*" + (f"\n{rest}" if rest else "")
        table.add_row(
            label,
            str(row["n"]) + (RARE_MARK if row["too_rare"] else ""),
            _fmt(100 * percent, digits=1) if percent is not None else cell(row, "percent_agreement"),
            cell(row, "cohen_kappa", True),
            alpha,
            cell(row, "gwet_ac1"),
            words,
            style="red" if below else None,
        )
    stdout.print(table)
    o = data["overall"]
    lines = [
        f"[bold]Overall[/bold] (n = {_segments(o['n'])}): percent agreement "
        f"{overall('percent_agreement', percent=True)}, α (MASI) {overall('krippendorff_alpha_masi')}, "
        f"pooled κ {overall('pooled_kappa')}, mean α {overall('mean_alpha')}"
    ]
    if o["exclusive"]:
        lines.append(
            f"One code per segment ({o['n_categories']} categories): κ {overall('cohen_kappa')}, "
            f"Fleiss κ {overall('fleiss_kappa')}, α {overall('krippendorff_alpha')}, "
            f"AC1 {overall('gwet_ac1')}"
        )
    from slqual.agreement.formats import cu_alpha_lines

    lines += [escape(line) for line in cu_alpha_lines(data)]
    for line in lines:
        stdout.print(line)
    if data["pairwise"]:
        _render_pairs(data)
    rare = any(row["too_rare"] for row in data["codes"])
    if footnotes or rare:
        stdout.print()
    for why, mark in footnotes.items():
        stdout.print(f"[dim]{mark} {escape(why)}[/dim]")
    if rare:
        stdout.print(f"[dim]{escape(rare_note(data))}[/dim]")
    if nested and data["level"] == "code" and data["codes"][0].get("theme"):
        stdout.print(
            "[dim]A theme's own row is the theme applied as a code; use --level theme to compare "
            "whole themes.[/dim]"
        )
    if data["min_alpha"] is not None:
        stdout.print(f"[dim]* (row in red): alpha below --min-alpha {data['min_alpha']}.[/dim]")
    stdout.print(
        "[dim]κ: Landis & Koch (1977) bands; α: ≥ 0.800 reliable, 0.667–0.800 tentative, < 0.667 unreliable "
        "(Krippendorff 2004).[/dim]"
    )


def _segments(n: int) -> str:
    return f"{n} segment" + ("" if n == 1 else "s")


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
                kappa, alpha = (_fmt(pair[k]) or "–" for k in ("pooled_kappa", "krippendorff_alpha_masi"))
                cells.append(f"{kappa} / {alpha}")
        table.add_row(escape(a), *cells)
    stdout.print(table)


def register(app: typer.Typer) -> None:
    app.command("agree")(agree)
