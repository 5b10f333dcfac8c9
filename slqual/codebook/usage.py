"""Codings checked against the codebook: every row that names an id the codebook lacks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from slqual.codebook.checks import ERROR, CheckReport, Issue, check_file
from slqual.codebook.load import build_codebook

if TYPE_CHECKING:
    from slqual.codebook.model import Codebook
    from slqual.project import Project


def unknown_code_issues(project: Project, codebook: Codebook) -> list[Issue]:
    """One issue per coder row whose code is not in the codebook (row numbers as a spreadsheet shows them)."""
    from slqual.codings import check_codings, read_coding

    codings = {coder: read_coding(project.coder_file(coder), coder) for coder in project.coders()}
    sources = {coder: str(project.coder_file(coder)) for coder in codings}
    return [
        Issue(
            file=p.file,
            line=p.row,
            node_id=p.value,
            message=f"coder '{p.coder}': {p.message}",
            severity=ERROR,
        )
        for p in check_codings(codings, codebook, sources=sources)
    ]


def check_project_codebook(
    project: Project, file: Path | str | None = None, codings: bool = False
) -> CheckReport:
    """Check the project's codebook (or ``file``), and with ``codings`` every coder file against it."""
    path = Path(file) if file is not None else project.codebook_path
    data, report = check_file(path)
    if not codings or report.errors:
        return report
    extra = unknown_code_issues(project, build_codebook(data, str(path)))
    return CheckReport(report.file, (*report.issues, *extra))
