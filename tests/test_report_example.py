"""The example study's report: four theme tables, both groups present (runs once its codings exist)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slqual.cli.main import app
from slqual.project import init_project
from slqual.reports import ReportOptions, build_report

EXAMPLE_STUDY = Path(__file__).resolve().parent.parent / "examples" / "shared-leadership-study"


def _commands() -> set[str]:
    import typer

    return set(typer.main.get_command(app).commands)


@pytest.fixture(scope="module")
def example_report(tmp_path_factory):
    codings = EXAMPLE_STUDY / "codings"
    needed = [codings / "reviewer1.csv", codings / "reviewer2.csv", EXAMPLE_STUDY / "decisions.csv"]
    if not all(p.is_file() for p in needed) or not {"ingest", "reconcile"} <= _commands():
        pytest.skip(
            "the example study's codings, decisions or the ingest/reconcile commands are not there yet"
        )
    project = init_project(tmp_path_factory.mktemp("example") / "study")
    for name in ("slqual.yaml", "participants.csv"):
        shutil.copy(EXAMPLE_STUDY / name, project.root / name)
    for path in (EXAMPLE_STUDY / "transcripts").iterdir():
        shutil.copy(path, project.transcripts_dir / path.name)
    for path in needed[:2]:
        shutil.copy(path, project.codings_dir / path.name)
    runner = CliRunner()
    steps = [
        ["ingest", str(project.transcripts_dir)],
        ["reconcile", "reviewer1", "reviewer2", "--decisions", str(needed[2]), "--undecided", "keep"],
    ]
    for args in steps:
        result = runner.invoke(app, [*args, "-p", str(project.root)])
        assert result.exit_code == 0, (args, result.output)
    from slqual.project import open_project

    return build_report(open_project(project.root), ReportOptions(figures=False))


def test_the_example_study_has_four_theme_tables_with_both_groups(example_report):
    theme_tables = [t for t in example_report.tables if t.key.startswith("theme_")]
    assert len(theme_tables) == 4
    assert [g.label for g in example_report.groups] == ["Clinical managers", "Non-clinical managers"]
    for table in theme_tables:
        assert list(table.frame.columns[1:]) == [g.header for g in example_report.groups]
        for column in table.frame.columns[1:]:
            assert any(cell.quotes for cell in table.frame[column]), (table.key, column)
