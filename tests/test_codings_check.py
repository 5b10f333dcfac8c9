"""One check of coder files against the codebook and segments, used by every command."""

from __future__ import annotations

import pytest

from slqual.codings import check_codings, problems_error, read_coding
from slqual.errors import CodingsError


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_unknown_code_and_segment_is_listed_with_its_row(project):
    from slqual.codebook import load_project_codebook

    path = _write(
        project.coder_path("r1"),
        "segment_id,code\nP01-0002,motivation\nP01-0003,motivaton\nP99-0001,barriers\nP01-0004,nope\n",
    )
    codings = {"r1": read_coding(path, "r1")}
    problems = check_codings(codings, load_project_codebook(project), {"P01-0002", "P01-0003", "P01-0004"})
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "code", "motivaton"),
        (4, "segment_id", "P99-0001"),
        (5, "code", "nope"),
    ]
    assert "did you mean 'motivation'?" in problems[0].message
    assert str(problems[0]).startswith("codings/r1.csv, row 3: code 'motivaton' is not in the codebook")


def test_a_command_stops_on_the_first_problem_and_says_how_many_more(project):
    from slqual.codebook import load_project_codebook

    path = _write(project.coder_path("r1"), "segment_id,code\na,x\nb,y\nc,z\n")
    problems = check_codings({"r1": read_coding(path, "r1")}, load_project_codebook(project))
    error = problems_error(problems)
    assert isinstance(error, CodingsError)
    assert str(error).startswith("codings/r1.csv, row 2: code 'x' is not in the codebook")
    assert "(2 more problem(s): row 3, row 4; 'slqual codebook check --codings' lists them all)" in str(error)


def test_reconcile_names_every_unknown_code_by_row(project, runner):
    from slqual.cli.main import app

    _write(project.coder_path("r1"), "segment_id,code\nP01-0002,motivation\nP01-0003,bogus\n")
    _write(project.coder_path("r2"), "segment_id,code\nP01-0002,motivation\nP01-0003,alsobogus\n")
    result = runner.invoke(app, ["reconcile", "r1", "r2", "-p", str(project.root)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "r1.csv, row 3: code 'bogus' is not in the codebook" in text
    assert "1 more problem(s): row 3 of" in text and "r2.csv" in text


@pytest.mark.parametrize("segments", [None, set()])
def test_without_a_codebook_or_segments_nothing_is_checked_for_them(project, segments):
    path = _write(project.coder_path("r1"), "segment_id,code\nP01-0002,anything\n")
    problems = check_codings({"r1": read_coding(path, "r1")}, None, segments)
    assert [p.column for p in problems] == ([] if segments is None else ["segment_id"])
