"""Codings checked against the codebook: every row that names an id the codebook lacks."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.codebook.checks import ERROR, CheckReport, Issue, check_file
from slqual.codebook.load import build_codebook

if TYPE_CHECKING:
    from slqual.codebook.model import Codebook
    from slqual.project import Project


def unknown_code_issues(project: Project, codebook: Codebook) -> list[Issue]:
    """One issue per coder row whose code is not in the codebook (row numbers as a spreadsheet shows them)."""
    from slqual.codings import read_coding

    ids = codebook.ids()
    issues: list[Issue] = []
    for coder in project.coders():
        path = project.coder_file(coder)
        frame = read_coding(path, coder)
        for index, code in enumerate(frame["code"].tolist()):
            if not code or code in codebook:
                continue
            close = difflib.get_close_matches(code, ids, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            issues.append(
                Issue(
                    file=str(path),
                    line=index + 2,
                    node_id=code,
                    message=(
                        f"coder '{coder}' used code '{code}', which is not in the codebook; {hint}"
                        "fix the row, add the code, or rename it with 'slqual codebook rename'"
                    ),
                    severity=ERROR,
                )
            )
    return issues


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
