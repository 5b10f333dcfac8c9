"""slqual init and how commands find their project."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from slqual.cli.main import app
from slqual.errors import ProjectError
from slqual.project import CODEBOOKS_DIR, find_project, init_project, load_settings


def test_init_creates_the_documented_layout(tmp_path, runner):
    result = runner.invoke(app, ["init", str(tmp_path / "study")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "study"
    for name in ("slqual.yaml", "codebook.yaml", "participants.csv"):
        assert (root / name).is_file()
    for name in ("transcripts", "codings"):
        assert (root / name).is_dir()
        assert list((root / name).iterdir()) == []
    settings = yaml.safe_load((root / "slqual.yaml").read_text())
    assert settings["codebook"] == "codebook.yaml"
    assert settings["participants"] == "participants.csv"
    assert settings["group_by"] == "group"
    assert settings["unit"] == "turn"
    assert [s.lower() for s in settings["interviewer"]] == ["interviewer", "int", "i", "q"]
    participants = pd.read_csv(root / "participants.csv", dtype=str)
    assert list(participants.columns[:2]) == ["participant_id", "group"]
    assert len(participants) == 1


def test_init_copies_the_shared_leadership_codebook_by_default(project):
    shipped = (CODEBOOKS_DIR / "shared_leadership.yaml").read_bytes()
    assert project.codebook_path.read_bytes() == shipped


def test_init_takes_a_codebook_by_name(tmp_path):
    project = init_project(tmp_path / "s", codebook="template")
    assert project.codebook_path.read_bytes() == (CODEBOOKS_DIR / "template.yaml").read_bytes()


def test_init_takes_a_codebook_by_path(tmp_path):
    from slqual.codebook import load_project_codebook

    own = tmp_path / "mine.yaml"
    own.write_text("title: Mine\nversion: 1\ncodes:\n  - id: one\n    name: One\n", encoding="utf-8")
    project = init_project(tmp_path / "s", codebook=str(own))
    assert load_project_codebook(project).ids() == ["one"]


@pytest.mark.parametrize("name", ["tags.csv", "nvivo.QDC"])
def test_init_with_a_csv_or_qdc_codebook_points_to_codebook_import(tmp_path, runner, name):
    source = tmp_path / name
    source.write_text("tag,description\nA,b\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "s"), "--codebook", str(source)])
    assert result.exit_code == 2
    assert f"'slqual codebook import {source} -o codebook.yaml'" in " ".join(result.output.split())
    assert not (tmp_path / "s").exists()


def test_init_refuses_an_existing_project_and_changes_nothing(project, runner):
    before = {p: p.read_bytes() for p in project.root.iterdir() if p.is_file()}
    result = runner.invoke(app, ["init", str(project.root)])
    assert result.exit_code == 2
    assert "already holds a slqual project" in result.output
    assert {p: p.read_bytes() for p in project.root.iterdir() if p.is_file()} == before


def test_init_with_an_unknown_codebook_writes_nothing(tmp_path, runner):
    result = runner.invoke(app, ["init", str(tmp_path / "s"), "--codebook", "nosuchbook"])
    assert result.exit_code == 2
    assert "codebook 'nosuchbook' not found" in result.output
    assert not (tmp_path / "s").exists()


def test_find_project_walks_upward(project):
    deep = project.root / "transcripts" / "batch1"
    deep.mkdir()
    assert find_project(start=deep).root == project.root


def test_find_project_prefers_the_explicit_folder(project, tmp_path):
    other = init_project(tmp_path / "other")
    assert find_project(explicit=other.root, start=project.root).root == other.root


def test_no_project_is_one_line_saying_how_to_make_one(tmp_path):
    with pytest.raises(ProjectError, match="slqual init DIR"):
        find_project(start=tmp_path)


def test_settings_reject_unknown_keys_and_units(tmp_path):
    path = tmp_path / "slqual.yaml"
    path.write_text("unit: word\n")
    with pytest.raises(ProjectError, match="unit 'word'"):
        load_settings(path)
    path.write_text("grup_by: role\n")
    with pytest.raises(ProjectError, match="unknown setting 'grup_by'"):
        load_settings(path)


def test_settings_keep_aliases_and_group_labels(tmp_path):
    path = tmp_path / "slqual.yaml"
    path.write_text(
        "interviewer: Moderator\nspeakers:\n  Interviewer 1: Interviewer1\n"
        "group_labels:\n  clinical: Clinical managers\n"
    )
    settings = load_settings(path)
    assert settings.interviewer == ("Moderator",)
    assert settings.speakers == {"Interviewer 1": "Interviewer1"}
    assert settings.group_labels == {"clinical": "Clinical managers"}


def test_audit_log_records_init(project):
    log = (project.internal_dir / "audit.log").read_text().splitlines()
    assert '"action": "init"' in log[0]


def test_init_reports_a_file_in_the_way(tmp_path, runner):
    target = tmp_path / "afile"
    target.write_text("x")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert "is not a folder" in result.output
    assert Path(target).read_text() == "x"
