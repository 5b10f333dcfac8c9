"""The library entry points: build a report once, write it in any formats.

from slqual.project import open_project
from slqual.reports import ReportOptions, build_report, write_report

project = open_project("study")
report = build_report(project, ReportOptions(by="group", quotes=3))
paths = write_report(report, project.reports_dir, ["md", "xlsx"])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.reports.inputs import load_inputs
from slqual.reports.model import Figure, Report, ReportFormat, ReportOptions, parse_formats
from slqual.reports.tables import build_tables

if TYPE_CHECKING:
    from slqual.project import Project

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReportResult:
    """What ``slqual report`` did: the report built and the files written."""

    report: Report
    out_dir: Path
    paths: tuple[Path, ...]
    figures: tuple[Figure, ...]
    kept: tuple[Path, ...] = ()  # report files edited since slqual wrote them, copied to .slqual/history/


def build_report(project: Project, options: ReportOptions | None = None) -> Report:
    """Read and check the project's coding and build every table once."""
    from dataclasses import replace

    from slqual.reports.coverage import coverage, coverage_note
    from slqual.reports.thematic_map import thematic_map

    options = options or ReportOptions()
    inputs = load_inputs(project, options)
    built = build_tables(inputs, options)
    cover = coverage(inputs)
    tables = list(built.tables)
    for i, table in enumerate(tables):  # the coverage statement goes under the prevalence table
        if table.key == "prevalence":
            tables[i] = replace(table, note=f"{table.note} {coverage_note(cover)}")
    notes = list(inputs.notes)
    if not cover.complete:
        notes.append(
            f"{project.coder_path(inputs.coder)}: the coding covers {cover.coded} of {cover.segments} "
            "participant "
            "segments; the report describes the coded part only (said under the prevalence table)"
        )
    if built.uncoded:
        notes.append(built.uncoded)
    title = inputs.codebook.title or project.codebook_path.stem
    return Report(
        title=f"{title}: results",
        coder=inputs.coder,
        by=inputs.by,
        level=inputs.level,
        groups=inputs.groups,
        filters=inputs.filters,
        tables=tuple(tables),
        prevalence=built.prevalence,
        cooccurrence=built.cooccurrence,
        saturation=built.saturation,
        options=options,
        notes=tuple(notes),
        coverage=cover,
        thematic_map=thematic_map(inputs, options, built.prevalence),
    )


def _formats(formats: Iterable[ReportFormat | str] | str | None) -> tuple[ReportFormat, ...]:
    if formats is None or isinstance(formats, str):
        return parse_formats(formats)
    return parse_formats(
        ",".join(ReportFormat(f).value if isinstance(f, ReportFormat) else f for f in formats)
    )


def count_steps(formats: Iterable[ReportFormat | str] | str | None, figures: bool) -> int:
    """How many progress steps :func:`write_report` reports: a figure or a format each."""
    from slqual.reports.figures import FIGURES

    return len(_formats(formats)) + (len(FIGURES) if figures else 0)


def write_report(
    report: Report,
    out_dir: Path | str,
    formats: Iterable[ReportFormat | str] | str | None = None,
    progress: Progress | None = None,
) -> tuple[list[Path], list[Figure]]:
    """Write the figures (unless the options say no) and then each format; return the files written."""
    from slqual.reports.writers import get_writer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    figures: list[Figure] = []
    if report.options.figures:
        from slqual.reports.figures import write_figures

        figures = write_figures(report, out_dir / "figures", progress)
    paths = [p for f in figures for p in f.paths]
    for fmt in _formats(formats):
        if progress:
            progress(f"writing {fmt.value}")
        paths += get_writer(fmt).write(report, out_dir, figures)
    return paths, figures


def make_report(
    project: Project,
    options: ReportOptions | None = None,
    out_dir: Path | str | None = None,
    formats: Iterable[ReportFormat | str] | str | None = None,
    progress: Progress | None = None,
) -> ReportResult:
    """Build and write a report, and record it in the project's audit log (what the CLI runs)."""
    chosen = _formats(formats)
    if progress:
        progress("building tables")
    from slqual.reports.history import keep_edited, record_written

    report = build_report(project, options)
    target = Path(out_dir) if out_dir is not None else project.reports_dir
    kept = keep_edited(project, target)
    paths, figures = write_report(report, target, chosen, progress)
    record_written(project, target, paths)
    project.audit(
        "report",
        coder=report.coder,
        by=report.by,
        where=[f"{a}={v}" for a, v in report.filters],
        formats=[f.value for f in chosen],
        out_dir=str(target),
    )
    return ReportResult(
        report=report, out_dir=target, paths=tuple(paths), figures=tuple(figures), kept=tuple(kept)
    )
