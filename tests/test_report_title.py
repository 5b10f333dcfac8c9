"""The report's title: the codebook's title, else the codebook's file name."""

from __future__ import annotations

import shutil
from pathlib import Path

from slqual.project import open_project
from slqual.reports import build_report

FIXTURE = Path(__file__).parent / "data" / "report" / "project"


def test_a_codebook_without_a_title_gives_the_report_its_file_name(tmp_path):
    root = tmp_path / "study"
    shutil.copytree(FIXTURE, root)
    text = (root / "codebook.yaml").read_text(encoding="utf-8")
    (root / "codebook.yaml").unlink()
    (root / "leadership-codes.yaml").write_text(text.replace("title: Report fixture\n", ""), encoding="utf-8")
    settings = root / "slqual.yaml"
    settings.write_text(settings.read_text().replace("codebook.yaml", "leadership-codes.yaml"))
    assert build_report(open_project(root)).title == "leadership-codes: results"


def test_the_codebook_title_comes_first(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "study")
    assert build_report(open_project(tmp_path / "study")).title == "Report fixture: results"
