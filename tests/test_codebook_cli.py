"""slqual codebook ...: exit codes, tables, formats and messages from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slqual.cli.main import app
from slqual.codebook import load_codebook
from slqual.codebook.dump import codebook_to_dict
from slqual.codings import read_coding
from slqual.interop.qdc import validate_qdc
from slqual.project import init_project

DATA = Path(__file__).parent / "data" / "codebooks"
VALID = DATA / "valid.yaml"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def study(tmp_path):
    project = init_project(tmp_path / "study", codebook=str(VALID))
    project.coder_path("reviewer1").write_text(
        "segment_id,code\nP01-0002,barriers.time\nP01-0004,barriers.money\nP01-0006,barriers.tim\n",
        encoding="utf-8",
    )
    return project


def run(runner, *args):
    return runner.invoke(app, ["codebook", *map(str, args)])


def test_check_clean_project_exits_0(runner, study):
    result = run(runner, "check", "-p", study.root)
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_check_broken_file_outside_a_project_exits_1_with_a_table(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "check", DATA / "broken" / "unknown_field.yaml")
    assert result.exit_code == 1
    assert "did you mean" in result.output and "'definition'?" in result.output
    assert "node id" in result.output and "problem" in result.output
    assert "2 error(s), 0 warning(s)" in result.output


def test_check_json_prints_the_report(runner):
    result = run(runner, "check", DATA / "broken" / "duplicate_id.yaml", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["errors"] == 1
    assert payload["issues"][0]["line"] == 8 and payload["issues"][0]["node_id"] == "a.one"


def test_check_codings_lists_unknown_codes(runner, study):
    result = run(runner, "check", "--codings", "-p", study.root, "--format", "json")
    assert result.exit_code == 1
    issue = json.loads(result.stdout)["issues"][0]
    assert (issue["line"], issue["node_id"]) == (4, "barriers.tim")
    assert "reviewer1" in issue["message"]


def test_show_tree_and_full(runner, study):
    result = run(runner, "show", "-p", study.root)
    assert result.exit_code == 0
    assert (
        "Test study" in result.output and "Hiérarchie" in result.output and "barriers.time" in result.output
    )
    assert "Include:" not in result.output
    full = run(runner, "show", "--full", "-p", study.root)
    assert "Include:" in full.output and "There just aren't enough hours" in full.output


def test_show_formats(runner):
    md = run(runner, "show", VALID, "--full", "--format", "md")
    assert md.exit_code == 0
    assert md.stdout == (DATA / "golden" / "valid.md").read_text(encoding="utf-8")
    data = json.loads(run(runner, "show", VALID, "--format", "json").stdout)
    assert data == codebook_to_dict(load_codebook(VALID), full=False)
    csv_out = run(runner, "show", VALID, "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "id,name,parent,depth,theme,definition"


def test_show_stops_on_a_broken_codebook_with_one_line(runner, study):
    study.codebook_path.write_text("codes:\n  - id: a\n    name: A\n    defintion: x\n", encoding="utf-8")
    result = run(runner, "show", "-p", study.root)
    assert result.exit_code == 2
    assert "codebook.yaml:4 (a): unknown field 'defintion'; did you mean 'definition'?" in result.output


@pytest.mark.parametrize("fmt", ["md", "csv", "docx", "qdc"])
def test_export_every_format(runner, study, tmp_path, fmt):
    out = tmp_path / f"codebook.{fmt}"
    result = run(runner, "export", "--format", fmt, "-o", out, "-p", study.root)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0 and "Wrote" in result.output
    if fmt == "qdc":
        validate_qdc(out.read_bytes())


def test_export_a_file_outside_a_project(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "export", VALID, "-f", "csv", "-o", "out.csv")
    assert result.exit_code == 0
    assert (tmp_path / "out.csv").read_bytes() == (DATA / "golden" / "valid.csv").read_bytes()


def test_import_then_refuse_to_overwrite(runner, tmp_path):
    out = tmp_path / "codebook.yaml"
    first = run(runner, "import", DATA / "qdc" / "nested_qualcoder.qdc", "-o", out)
    assert first.exit_code == 0 and "9 codes under 2 theme(s)" in first.output
    again = run(runner, "import", DATA / "qdc" / "nested_qualcoder.qdc", "-o", out)
    assert again.exit_code == 2 and "--force" in again.output
    forced = run(runner, "import", DATA / "qdc" / "taguette_flat.qdc", "-o", out, "--force")
    assert forced.exit_code == 0
    assert load_codebook(out).ids() == ["interesting", "people", "interesting_2"]


def test_import_hostile_file_is_one_line_exit_2(runner, tmp_path):
    result = run(runner, "import", DATA / "qdc" / "billion_laughs.qdc", "-o", tmp_path / "cb.yaml")
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "refused" in result.output
    assert not (tmp_path / "cb.yaml").exists()


def test_import_with_ids_from(runner, tmp_path):
    qdc = tmp_path / "cb.qdc"
    run(runner, "export", VALID, "-f", "qdc", "-o", qdc)
    result = run(runner, "import", qdc, "-o", tmp_path / "back.yaml", "--ids-from", VALID)
    assert result.exit_code == 0
    assert load_codebook(tmp_path / "back.yaml").ids() == load_codebook(VALID).ids()
    header = (tmp_path / "back.yaml").read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "were taken back from it" in header
    assert "# Ids were made from the names" not in header


def test_rename_and_merge_from_the_cli(runner, study):
    renamed = run(runner, "rename", "barriers.time", "barriers.hours", "-p", study.root)
    assert renamed.exit_code == 0, renamed.output
    assert "Changed 1 coded row(s)" in renamed.output
    merged = run(runner, "merge", "barriers.money", "barriers.hours", "-p", study.root)
    assert merged.exit_code == 0, merged.output
    codes = read_coding(study.coder_path("reviewer1"))["code"].tolist()
    assert codes == ["barriers.hours", "barriers.hours", "barriers.tim"]
    assert "barriers.money" not in load_codebook(study.codebook_path)


def test_merge_needs_two_codes(runner, study):
    result = run(runner, "merge", "barriers.money", "-p", study.root)
    assert result.exit_code == 2
