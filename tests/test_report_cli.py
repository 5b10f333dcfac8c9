"""slqual report on the command line: files written, options passed through, errors as one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slqual.cli.main import app

FIXTURE = Path(__file__).parent / "data" / "report" / "project"


@pytest.fixture
def study(tmp_path) -> Path:
    root = tmp_path / "study"
    shutil.copytree(FIXTURE, root)
    return root


def run(*args: str):
    return CliRunner().invoke(app, ["report", *args])


def test_report_writes_the_default_formats_and_lists_the_files(study):
    result = run("-p", str(study))
    assert result.exit_code == 0, result.output
    for name in ("report.md", "report.xlsx", "report.docx", "report.html", "figures/heatmap.png"):
        assert (study / "reports" / name).is_file(), name
        assert name in result.output
    assert "Clinical managers (n=3)" in result.output
    assert "left out 1 coded interviewer" in result.output  # the note, as a warning


def test_report_options_reach_the_library(study, tmp_path):
    out = tmp_path / "out"
    result = run(
        "-p",
        str(study),
        "--format",
        "md,csv",
        "-o",
        str(out),
        "--by",
        "role",
        "--where",
        "group=clinical",
        "--quotes",
        "1",
        "--no-figures",
        "--level",
        "theme",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["csv", "report.md"]
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "| Theme | GP \\(n=2\\) | Nurse \\(n=1\\) |" in text
    assert "Quotes addressing each theme, by role" in text


def test_report_with_fisher_and_another_coder(study):
    result = run("-p", str(study), "--coder", "reviewer1", "--test", "fisher", "-f", "md", "--no-figures")
    assert result.exit_code == 0, result.output
    text = (study / "reports" / "report.md").read_text(encoding="utf-8")
    assert "Coding: reviewer1" in text
    assert "Fisher's exact p \\(descriptive\\)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "site"], "no participant attribute 'site'"),
        (["--where", "group=clinical"], "has a single value (clinical)"),
        (["--format", "pdf"], "--format pdf: unknown report format"),
        (["--theme", "nope"], "--theme nope: not a theme of"),
        (["--where", "role"], "--where role: write the filter as attribute=value"),
        (["--test", "t"], "the only test available is 'fisher'"),
    ],
)
def test_report_errors_are_one_line_with_exit_2(study, args, message):
    result = run("-p", str(study), *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ")  # no blank line left by the progress bar
    assert message in " ".join(result.output.split())
    assert not (study / "reports").exists()  # nothing written


def test_a_single_valued_attribute_error_suggests_attributes_that_split_the_participants(study):
    result = run("-p", str(study), "--where", "group=clinical")
    assert "e.g. --by role or --by order" in " ".join(result.output.split())
    result = run("-p", str(study), "--where", "role=Nurse", "--by", "role")
    assert "none does here: loosen the --where filters" in " ".join(result.output.split())


def test_no_consensus_and_no_coder_names_the_coders(study):
    (study / "codings" / "consensus.csv").unlink()
    result = run("-p", str(study))
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "no consensus coding yet" in output and "(coders: reviewer1)" in output
    assert result.output.startswith("Error: ")
    assert not (study / "reports").exists()


def test_unknown_code_is_an_error(study):
    path = study / "codings" / "consensus.csv"
    path.write_text(path.read_text().replace("skills.empathy", "skills.kindness"))
    result = run("-p", str(study), "-f", "md")
    assert result.exit_code == 2
    assert "code 'skills.kindness' is not in the codebook" in " ".join(result.output.split())
    assert result.output.startswith("Error: ")
    assert not (study / "reports").exists()


def test_report_help_has_an_example():
    result = CliRunner().invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    assert "Example: slqual report" in result.output
    for metavar in (
        "ATTR=VALUE",
        "code|subtheme|theme",
        "NAME",
        "a4|letter",
    ):  # plain placeholders, not Python types
        assert metavar in result.output
    assert "list[str]" not in result.output
