"""import slqual: one function per command, and each result's to_dict() is what --format json prints."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import EXAMPLE_STUDY

import slqual
from slqual.cli.main import app


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    project = slqual.init_project(tmp_path_factory.mktemp("api") / "study")
    for name in ("slqual.yaml", "participants.csv"):
        shutil.copy(EXAMPLE_STUDY / name, project.root / name)
    for path in (EXAMPLE_STUDY / "transcripts").iterdir():
        shutil.copy(path, project.transcripts_dir / path.name)
    for path in (EXAMPLE_STUDY / "codings").glob("*.csv"):
        shutil.copy(path, project.codings_dir / path.name)
    slqual.ingest_transcripts(project)
    return slqual.open_project(project.root)


def _json(runner, *args):
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_import_slqual_is_light_and_lists_its_functions():
    code = "import sys, slqual; print('pandas' in sys.modules, sorted(slqual.__all__)[:3])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("False")
    for name in (
        "ingest_transcripts",
        "measure_agreement",
        "reconcile_codings",
        "make_report",
        "coding_status",
    ):
        assert name in slqual.__all__ and callable(getattr(slqual, name))


def test_a_module_import_does_not_shadow_a_function():
    import slqual.ingest  # noqa: F401 - the module of the same stem

    assert callable(slqual.ingest_transcripts)


def test_ingest_result_is_what_ingest_json_prints(study, runner):
    cli = _json(runner, "ingest", "--dry-run", "-p", str(study.root))
    api = slqual.ingest_transcripts(study, slqual.IngestOptions(dry_run=True)).to_dict()
    assert json.loads(json.dumps(api)) == cli


def test_agreement_result_is_what_agree_json_prints(study, runner):
    cli = _json(runner, "agree", "reviewer1", "reviewer2", "-p", str(study.root))
    api = slqual.measure_agreement(study, slqual.AgreeOptions(coders=("reviewer1", "reviewer2"))).to_dict()
    assert json.loads(json.dumps(api)) == cli


def test_reconcile_result_is_what_reconcile_json_prints(study, runner):
    args = ("reviewer1", "reviewer2")
    cli = _json(runner, "reconcile", *args, "--undecided", "keep", "--dry-run", "-p", str(study.root))
    options = slqual.ReconcileOptions(args, undecided="keep", dry_run=True)
    assert json.loads(json.dumps(slqual.reconcile_codings(study, options).to_dict())) == cli


def test_status_result_is_what_status_json_prints(study, runner):
    cli = _json(runner, "status", "-p", str(study.root))
    assert json.loads(json.dumps(slqual.coding_status(study).to_dict())) == cli
