"""Shared fixtures: a fresh project folder and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from slqual.project import Project, init_project

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_STUDY = REPO / "examples" / "shared-leadership-study"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A new project made by init with the default (shared-leadership) codebook."""
    return init_project(tmp_path / "study")
