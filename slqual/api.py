"""slqual as a library: one function per command, each called with a project and an options object.

``import slqual`` gives these names. Every result has ``to_dict()``, which
is exactly what the command prints with ``--format json``; tables come as
pandas DataFrames with the columns of docs/file-formats.md. (The names
differ from the modules' on purpose: ``slqual.ingest`` is the module.)

    import slqual

    project = slqual.open_project("my-study")
    slqual.ingest_transcripts(project)
    agreement = slqual.measure_agreement(project, slqual.AgreeOptions(coders=("reviewer1", "reviewer2")))
    slqual.reconcile_codings(project, slqual.ReconcileOptions(("reviewer1", "reviewer2"), undecided="keep"))
    slqual.make_report(project, slqual.ReportOptions(quotes=3), formats="md,docx")
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.align import DEFAULT_SIMILARITY
from slqual.project import Project, init_project, open_project

if TYPE_CHECKING:
    import pandas as pd

    from slqual.agreement.run import AgreeOptions, AgreeOutcome
    from slqual.coding.status import StatusReport
    from slqual.ingest import IngestResult
    from slqual.reconcile import ReconcileResult
    from slqual.reports import ReportOptions, ReportResult


@dataclass(frozen=True)
class IngestOptions:
    """What ``slqual ingest`` was asked for (see ``slqual ingest --help``)."""

    folder: Path | str | None = None  # None: the project's transcripts/
    force: bool = False
    strict: bool = False
    keep_going: bool = False
    dry_run: bool = False
    similarity: float = DEFAULT_SIMILARITY  # an edited turn at least this alike keeps its id and codes
    follow_links: bool = False
    all_warnings: bool = False


@dataclass(frozen=True)
class ReconcileOptions:
    """What ``slqual reconcile`` was asked for (see ``slqual reconcile --help``)."""

    coders: tuple[str, ...]
    decisions: Path | str | None = None
    undecided: str = "stop"  # stop | keep | drop
    into: str = "consensus"
    dry_run: bool = False


def ingest_transcripts(project: Project, options: IngestOptions | None = None) -> IngestResult:
    """Read the transcripts into segments.csv (``slqual ingest``)."""
    from slqual.ingest import ingest as run

    options = options or IngestOptions()
    return run(
        project,
        options.folder,
        force=options.force,
        strict=options.strict,
        keep_going=options.keep_going,
        dry_run=options.dry_run,
        similarity=options.similarity,
        follow_links=options.follow_links,
        all_warnings=options.all_warnings,
    )


def read_segments(project: Project) -> pd.DataFrame:
    """segments.csv as a DataFrame."""
    from slqual.segments import read_project_segments

    return read_project_segments(project)


def read_codings(project: Project, coders: tuple[str, ...] | list[str]) -> dict[str, pd.DataFrame]:
    """Each named coder's file as a DataFrame (``codings/<coder>.csv``)."""
    from slqual.codings import read_project_codings

    return read_project_codings(project, list(coders))


def measure_agreement(project: Project, options: AgreeOptions) -> AgreeOutcome:
    """Inter-rater agreement (``slqual agree``); ``.to_dict()`` is the documented JSON."""
    from slqual.agreement.run import run_agree

    return run_agree(replace(options, project=project.root))


def reconcile_codings(project: Project, options: ReconcileOptions) -> ReconcileResult:
    """The consensus coding (``slqual reconcile``)."""
    from slqual.reconcile import Undecided
    from slqual.reconcile import reconcile as run

    return run(
        project,
        list(options.coders),
        decisions_file=options.decisions,
        undecided=Undecided(options.undecided),
        into=options.into,
        dry_run=options.dry_run,
    )


def make_report(
    project: Project,
    options: ReportOptions | None = None,
    *,
    out_dir: Path | str | None = None,
    formats: str | None = None,
) -> ReportResult:
    """Build and write the report (``slqual report``); ``out_dir`` defaults to the project's reports/."""
    from slqual.reports.build import make_report

    return make_report(project, options, out_dir=out_dir, formats=formats)


def coding_status(project: Project) -> StatusReport:
    """Each coder's progress (``slqual status``)."""
    from slqual.coding.status import coding_status

    return coding_status(project)


__all__ = [
    "IngestOptions",
    "ReconcileOptions",
    "coding_status",
    "ingest_transcripts",
    "init_project",
    "make_report",
    "measure_agreement",
    "open_project",
    "read_codings",
    "read_segments",
    "reconcile_codings",
]
