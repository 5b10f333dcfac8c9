"""slqual agree as a reviewer uses it: tables at 80 columns, undefined cases, bad input, methods text."""

from __future__ import annotations

import json

import pytest
from agreement_fixtures import make_project, segment_frame, write_coder
from typer.testing import CliRunner

from slqual.agreement.formats import code_tree
from slqual.cli import common
from slqual.cli.main import app
from slqual.project import init_project
from slqual.segments import write_segments

DEEP_CODEBOOK = """\
title: Deep codebook
version: 1
codes:
  - id: skills
    name: Skills
    definition: Skills.
    children:
      - id: skills.understanding
        name: Mutual understanding
        definition: Understanding.
        children:
          - id: skills.understanding.shared_vision
            name: Shared vision
            definition: A shared vision.
          - id: skills.understanding.inductions
            name: Inductions
            definition: Inductions.
          - id: skills.understanding.collaboration
            name: Collaboration
            definition: Collaboration.
          - id: skills.understanding.early_communication
            name: Early communication
            definition: Early communication.
          - id: skills.understanding.asking_advice
            name: Asking advice
            definition: Asking advice.
"""
LEAVES = ["shared_vision", "inductions", "collaboration", "early_communication", "asking_advice"]
UNITS = ["P01-0002", "P01-0003", "P01-0004", "P02-0002", "P02-0003", "P02-0004"]


@pytest.fixture
def runner():
    return CliRunner()


def _deep_project(tmp_path):
    source = tmp_path / "deep.yaml"
    source.write_text(DEEP_CODEBOOK, encoding="utf-8")
    project = init_project(tmp_path / "deep", codebook=str(source))
    write_segments(project.segments_path, segment_frame())
    codes = [f"skills.understanding.{leaf}" for leaf in LEAVES]
    first = [(unit, codes[i % 5]) for i, unit in enumerate(UNITS)]
    second = [(unit, codes[(i + (i % 2)) % 5]) for i, unit in enumerate(UNITS)]
    write_coder(project.coder_path("anna"), first, "anna")
    write_coder(project.coder_path("ben"), second, "ben")
    return project


@pytest.mark.parametrize("width", [80, 200])
def test_deep_codes_are_a_tree_and_every_row_is_identifiable(runner, tmp_path, monkeypatch, width):
    project = _deep_project(tmp_path)
    monkeypatch.setattr(common.stdout, "_width", width)
    result = runner.invoke(app, ["agree", "anna", "ben", "-p", str(project.root), "--min-alpha", "0.99"])
    assert result.exit_code in (0, 1), result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "…" not in result.stdout
    assert any(line.startswith("skills ") for line in lines)
    assert any(line.startswith("  understanding ") for line in lines)
    for leaf in LEAVES:  # each of the five codes under skills.understanding has its own full label
        assert sum(line.startswith(f"    {leaf} ") for line in lines) == 1, leaf


def test_tree_outside_a_project_follows_the_dots_with_headings(runner, tmp_path):
    a = write_coder(tmp_path / "a.csv", [("s1", "x.y.first_long_code_name"), ("s2", "x.y.second_long_code")])
    b = write_coder(tmp_path / "b.csv", [("s1", "x.y.first_long_code_name"), ("s2", "x.other")])
    result = runner.invoke(app, ["agree", str(a), str(b)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.rstrip() == "x")  # no row of its own
    other = next(i for i, line in enumerate(lines) if line.startswith("  other "))
    y = next(i for i, line in enumerate(lines) if line.rstrip() == "  y")
    first = next(i for i, line in enumerate(lines) if line.startswith("    first_long_code_name "))
    second = next(i for i, line in enumerate(lines) if line.startswith("    second_long_code "))
    assert heading < other < y < first < second


def test_code_tree_uses_codebook_parents_in_a_project():
    rows = [
        {"code": "skills", "theme": "skills", "parent": None},
        {"code": "skills.listening", "theme": "skills", "parent": "skills"},
        {"code": "odd_id", "theme": "skills", "parent": "skills.listening"},
    ]
    tree = code_tree(rows)
    assert [(t["label"], t["depth"]) for t in tree] == [("skills", 0), ("listening", 1), ("odd_id", 2)]
    assert all(t["row"] is not None for t in tree)


def test_json_rows_carry_the_parent_code(runner, tmp_path):
    project = _deep_project(tmp_path)
    result = runner.invoke(app, ["agree", "anna", "ben", "-p", str(project.root), "-f", "json"])
    rows = {row["code"]: row for row in json.loads(result.stdout)["codes"]}
    assert rows["skills"]["parent"] is None
    assert rows["skills.understanding.inductions"]["parent"] == "skills.understanding"


def test_min_alpha_marks_the_value_not_only_the_colour(runner, tmp_path):
    study = make_project(tmp_path)
    result = runner.invoke(
        app, ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--min-alpha", "0.9"]
    )
    assert result.exit_code == 1
    assert "* (row in red): alpha below --min-alpha 0.9" in result.stdout
    assert any("*" in line and line.startswith("  time ") for line in result.stdout.splitlines())


def test_light_kappa_of_an_unused_code_gives_the_plain_reason(runner, tmp_path):
    rows = [("P01-0002", "barriers.time"), ("P01-0003", "skills.listening")]
    study = make_project(tmp_path, {"a": rows, "b": rows, "c": rows})
    result = runner.invoke(app, ["agree", "a", "b", "c", "-p", str(study.root), "-f", "json"])
    culture = next(row for row in json.loads(result.stdout)["codes"] if row["code"] == "barriers.culture")
    assert culture["cohen_kappa"] is None
    assert culture["undefined"]["cohen_kappa"].startswith("no coder applied this code")


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        ([("s1", "a"), ("s2", "b")], [("s3", "a"), ("s4", "b")], "no segment was coded by two"),
        ([("s1", "a")], [("s1", "b")], "only one segment"),
    ],
)
def test_undefined_overall_values_are_dashes_with_footnotes(runner, tmp_path, first, second, reason):
    a, b = write_coder(tmp_path / "a.csv", first), write_coder(tmp_path / "b.csv", second)
    result = runner.invoke(app, ["agree", str(a), str(b)])
    assert result.exit_code == 0, result.output
    overall = next(line for line in result.stdout.splitlines() if line.startswith("Overall"))
    assert "α (MASI) –¹" in overall and "percent agreement %" not in overall
    assert f"¹ {reason}" in result.stdout
    assert result.stderr == ""  # no numpy warnings
    data = json.loads(runner.invoke(app, ["agree", str(a), str(b), "-f", "json"]).stdout)
    assert data["overall"]["krippendorff_alpha_masi"] is None
    assert all(row["krippendorff_alpha"] is None for row in data["codes"])


def test_an_empty_coder_file_is_an_error(runner, tmp_path):
    a = write_coder(tmp_path / "a.csv", [("s1", "a")])
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = tmp_path / "header.csv"
    header_only.write_text("segment_id,code\n", encoding="utf-8")
    for bad in (empty, header_only):
        result = runner.invoke(app, ["agree", str(a), str(bad)])
        assert result.exit_code == 2
        assert f"{bad}: the file holds no codings" in result.stderr
        assert "Traceback" not in result.output


def test_unknown_segment_id_names_the_row(runner, tmp_path):
    study = make_project(tmp_path)
    bad = write_coder(tmp_path / "bad.csv", [("P01-0002", "barriers.time"), ("P09-0001", "barriers.time")])
    result = runner.invoke(app, ["agree", "reviewer1", str(bad), "-p", str(study.root)])
    assert result.exit_code == 2
    assert f"{bad}, row 3: segment 'P09-0001' is not in segments.csv" in " ".join(result.stderr.split())


def test_the_same_coder_twice_names_both_files(runner, tmp_path):
    study = make_project(tmp_path)
    result = runner.invoke(
        app, ["agree", "reviewer1", str(study.coder_path("reviewer1")), "-p", str(study.root)]
    )
    assert result.exit_code == 2
    assert "named twice" in result.stderr
    copy = tmp_path / "copy.csv"
    copy.write_bytes(study.coder_path("reviewer1").read_bytes())
    result = runner.invoke(app, ["agree", "reviewer1", str(copy), "-p", str(study.root)])
    assert result.exit_code == 2
    assert f"also in {study.coder_path('reviewer1')}" in result.stderr


def test_excel_semicolon_file_with_bom_is_read(runner, tmp_path):
    a = write_coder(tmp_path / "a.csv", [("s1", "a"), ("s2", "b")])
    excel = tmp_path / "excel.csv"
    excel.write_bytes("\ufeffsegment_id;code;coder\r\ns1;a;eva\r\ns2;;eva\r\n".encode())
    data = json.loads(runner.invoke(app, ["agree", str(a), str(excel), "-f", "json"]).stdout)
    assert data["coders"] == ["a", "eva"]
    assert data["overall"]["n"] == 2


def test_methods_paragraph_matches_the_json_numbers(runner, tmp_path):
    study = make_project(tmp_path)
    args = ["agree", "reviewer1", "reviewer2", "-p", str(study.root)]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    text = runner.invoke(app, [*args, "--methods"]).stdout
    o = data["overall"]
    assert f"{100 * o['percent_agreement']:.1f}%" in text
    assert f"MASI distance (Passonneau, 2006) was {o['krippendorff_alpha_masi']:.2f}" in text
    assert f"pooled kappa (De Vries et al., 2008) was {o['pooled_kappa']:.2f}" in text
    alphas = [row["krippendorff_alpha"] for row in data["codes"] if row["krippendorff_alpha"] is not None]
    assert f"ranged from {min(alphas):.2f} to {max(alphas):.2f}" in text
    assert "one segment per participant turn of speech" in text


def test_methods_paragraph_with_three_coders_claims_no_kappa_interval(runner, tmp_path):
    rows = [("P01-0002", "barriers.time"), ("P01-0003", "skills.listening"), ("P02-0002", "barriers.time")]
    study = make_project(tmp_path, {"a": rows, "b": rows[:2], "c": rows})
    text = runner.invoke(app, ["agree", "a", "b", "c", "-p", str(study.root), "--methods"]).stdout
    assert "Three coders (a, b and c)" in text
    assert "Fleiss, Cohen and Everitt" not in text
    assert "Light's kappa" in text


def test_json_numbers_never_show_a_negative_zero():
    import json

    from slqual.agreement.report import _num

    assert json.dumps([_num(-0.0), _num(-1e-9), _num(-0.25)]) == "[0.0, 0.0, -0.25]"
