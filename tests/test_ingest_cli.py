"""slqual ingest on the command line: summary table, JSON, progress, exit codes and messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from slqual.cli.main import app
from slqual.ingest import ingest

DATA = Path(__file__).parent / "data" / "transcripts"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shared-leadership-study"


@pytest.fixture
def study(project):
    project.participants_path.write_text(
        "participant_id,group\nP07,clinical\nP09,non-clinical\n", encoding="utf-8"
    )
    shutil.copyfile(DATA / "P07.txt", project.transcripts_dir / "P07.txt")
    shutil.copyfile(DATA / "bold_labels.docx", project.transcripts_dir / "P09.docx")
    return project


def test_ingest_prints_a_summary_table_per_group(runner, study):
    result = runner.invoke(app, ["ingest", "-p", str(study.root)])
    assert result.exit_code == 0, result.output
    assert "clinical" in result.stdout and "non-clinical" in result.stdout
    assert "Participant turns" in result.stdout
    assert "Ingested 2 new: 10 segments" in result.output
    assert study.segments_path.exists()
    again = runner.invoke(app, ["ingest", "-p", str(study.root)])
    assert "Nothing changed (2 unchanged)" in again.output


def test_json_prints_exactly_what_the_library_returned(runner, study):
    result = runner.invoke(app, ["ingest", "-p", str(study.root), "--dry-run", "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = json.loads(json.dumps(ingest(study, dry_run=True).to_dict()))
    assert json.loads(result.stdout) == expected
    assert not study.segments_path.exists()


def test_a_folder_argument_and_dry_run(runner, study, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copyfile(DATA / "zoom.vtt", other / "P07.vtt")
    result = runner.invoke(app, ["ingest", str(other), "-p", str(study.root), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run (1 new): nothing was written" in result.output
    assert not study.segments_path.exists()


def test_an_unreadable_file_is_one_red_line_and_exit_2(runner, study):
    shutil.copyfile(DATA / "bad" / "corrupt.docx", study.transcripts_dir / "P10.docx")
    result = runner.invoke(app, ["ingest", "-p", str(study.root)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: P10.docx: not a readable Word file")
    assert not study.segments_path.exists()


def test_keep_going_lists_failures_and_exits_1(runner, study):
    shutil.copyfile(DATA / "bad" / "empty.txt", study.transcripts_dir / "P10.txt")
    result = runner.invoke(app, ["ingest", "-p", str(study.root), "--keep-going"])
    assert result.exit_code == 1
    assert "P10.txt: the file is empty" in result.output
    assert "1 file(s) could not be read" in result.output
    assert study.segments_path.exists()


def test_strict_refuses_other_files(runner, study):
    (study.transcripts_dir / "scan.pdf").write_bytes(b"%PDF")
    result = runner.invoke(app, ["ingest", "-p", str(study.root), "--strict"])
    assert result.exit_code == 2
    assert "scan.pdf" in result.output and "--strict" in result.output
    relaxed = runner.invoke(app, ["ingest", "-p", str(study.root)])
    assert relaxed.exit_code == 0
    assert "Warning: skipped 1 file(s) that are not transcripts: scan.pdf" in relaxed.output


def test_changed_coded_transcript_is_refused_then_forced(runner, study):
    assert runner.invoke(app, ["ingest", "-p", str(study.root)]).exit_code == 0
    study.coder_path("reviewer1").write_text("segment_id,code\nP07-0004,motivation\n", encoding="utf-8")
    path = study.transcripts_dir / "P07.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Mostly informally…\nWe have a huddle", "Rarely. A chat"),
        encoding="utf-8",
    )
    refused = runner.invoke(app, ["ingest", "-p", str(study.root)])
    assert refused.exit_code == 2
    assert "reviewer1: P07-0004" in refused.output and "--force" in refused.output
    forced = runner.invoke(app, ["ingest", "-p", str(study.root), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "reviewer1: 1 coding row(s) on changed segments moved to codings/orphaned/" in forced.output


def test_many_files_show_progress_without_breaking_the_output(runner, project):
    for number in range(8):
        shutil.copyfile(DATA / "P07.txt", project.transcripts_dir / f"P{number:02d}.txt")
    result = runner.invoke(app, ["ingest", "-p", str(project.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["documents"]) == 8


@pytest.mark.skipif(
    not (EXAMPLE / "transcripts").is_dir(), reason="the example study is not in this checkout"
)
def test_the_example_study_ingests_cleanly(tmp_path):
    from slqual.participants import read_project_participants
    from slqual.project import open_project
    from slqual.segments import read_segments

    root = tmp_path / "study"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("segments.csv", ".slqual"))
    if not (root / "codebook.yaml").exists():
        shutil.copyfile(
            Path(__file__).resolve().parent.parent / "codebooks" / "shared_leadership.yaml",
            root / "codebook.yaml",
        )
    project = open_project(root)
    result = ingest(project)
    assert len(result.documents) == 20
    assert result.failures == () and result.skipped == ()
    assert result.warnings == ()
    participants = read_project_participants(project).set_index("participant_id")
    for doc in result.documents:
        assert doc.participant_id == doc.document
        assert doc.group == participants.loc[doc.document, "group"]
        assert doc.labelled and doc.participant_turns > 0
        assert len(doc.speakers) == 2, (doc.document, doc.speakers)
    assert {g.group for g in result.groups} == {"clinical", "non-clinical"}
    segments = read_segments(project.segments_path)
    assert set(segments["speaker_role"]) == {"interviewer", "participant"}
    before = project.segments_path.read_bytes()
    assert not ingest(project).written
    assert project.segments_path.read_bytes() == before
