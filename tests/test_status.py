"""slqual status: per-coder progress, per-theme counts, last activity and gaps between coders."""

from __future__ import annotations

import json

import pytest
from coding_fixtures import make_project

from slqual.cli.main import app
from slqual.coding.autocode import autocode
from slqual.coding.lock import acquire_lock
from slqual.coding.status import coding_status


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    project.codings_dir.mkdir(exist_ok=True)
    project.coder_path("r1").write_text(
        "segment_id,code,coder,coded_at,memo,exemplar\n"
        "P01-0002,motivation.not_career_goal,r1,2026-11-20T10:00:00Z,,\n"
        "P01-0002,barriers.time_pressure,r1,2026-11-20T10:00:00Z,,\n"
        "P01-0004,,r1,2026-11-21T09:30:00Z,,\n"
        "P02-0002,barriers.bureaucracy.meetings,r1,2026-11-20T11:00:00Z,,\n"
        "P02-0002,made.up,r1,2026-11-20T11:00:00Z,,\n"
        "X99-0001,barriers,r1,2026-11-19T11:00:00Z,,\n"
    )
    project.coder_path("r2").write_text(
        "segment_id,code\nP01-0002,motivation\nP01-0005,barriers\nP02-0005,\n"
    )
    return project


def test_counts_per_coder_and_theme(project):
    report = coding_status(project)
    assert report.segments == 6
    assert report.themes == {"motivation": "Motivation", "barriers": "Barriers"}
    r1, r2 = report.coders
    assert (r1.coder, r1.coded, r1.total, r1.percent, r1.no_code) == ("r1", 3, 6, 50.0, 1)
    assert r1.themes == {"motivation": 1, "barriers": 2}
    assert r1.last_activity == "2026-11-21T09:30:00Z"
    assert (r1.unknown_segments, r1.unknown_codes, r1.pseudo, r1.coding_now) == (1, 1, False, False)
    assert (r2.coded, r2.no_code, r2.themes) == (3, 1, {"motivation": 1, "barriers": 1})
    assert r2.last_activity.endswith("Z")  # no coded_at: the file's time
    (gap,) = report.gaps
    assert (gap.coder_a, gap.coder_b, gap.only_a, gap.only_b) == (
        "r1",
        "r2",
        ("P01-0004", "P02-0002"),
        ("P01-0005", "P02-0005"),
    )


def test_the_consensus_is_not_a_reviewer_in_the_gaps(project):
    # reconcile writes the consensus with provenance columns, under any --into name
    project.coder_path("agreed").write_text(
        "segment_id,code,coder,coded_at,memo,exemplar,quote,source,decided_by,reason\n"
        "P01-0002,motivation,agreed,2026-11-22T10:00:00Z,,,,agreed,,\n"
    )
    report = coding_status(project)
    assert [c.coder for c in report.coders] == ["agreed", "r1", "r2"]  # its progress is still shown
    assert [(g.coder_a, g.coder_b) for g in report.gaps] == [("r1", "r2")]


def test_pseudo_coder_and_active_session(project):
    autocode(project)
    lock = acquire_lock(project, "r2")
    try:
        report = coding_status(project)
    finally:
        lock.release()
    by_name = {c.coder: c for c in report.coders}
    assert by_name["auto"].pseudo and by_name["auto"].coded == 6
    assert by_name["r2"].coding_now
    assert [(g.coder_a, g.coder_b) for g in report.gaps] == [("r1", "r2")]  # auto is not a person


def test_cli_table_and_json(runner, project):
    result = runner.invoke(app, ["status", "-p", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "Coding progress over 6 participant segments" in result.output
    assert "3/6" in result.output
    out = " ".join(result.output.split())
    assert "1 code(s) not in the codebook (list them with 'slqual codebook check --codings')" in out
    assert "1 segment id(s) not in segments.csv (not counted;" in out
    assert "2 segment(s) coded by r1 but not by r2: P01-0004, P02-0002" in result.output
    data = json.loads(runner.invoke(app, ["status", "-f", "json", "-p", str(project.root)]).stdout)
    assert data == json.loads(json.dumps(coding_status(project).to_dict()))


def test_no_coders_yet(runner, tmp_path):
    project = make_project(tmp_path)
    result = runner.invoke(app, ["status", "-p", str(project.root)])
    assert "nobody has coded yet" in result.output


@pytest.mark.parametrize("command", [["status"], ["autocode"], ["sheet", "import", "x.csv", "--coder", "r1"]])
def test_every_format_is_handled(runner, project, command):
    from slqual.cli.common import OutputFormat

    for fmt in OutputFormat:
        result = runner.invoke(app, [*command, "-f", fmt.value, "-p", str(project.root)])
        if fmt.value in ("table", "json"):
            assert "is not one of" not in result.output
        else:
            assert result.exit_code == 2
            said = " ".join(result.output.replace("\u2502", " ").split())  # unwrap typer's error box
            assert f"'{fmt.value}' is not one of 'table', 'json'" in said


def test_a_small_share_shows_as_less_than_one_percent(runner, tmp_path):
    from slqual.segments import read_project_segments

    project = make_project(tmp_path)
    project.codings_dir.mkdir(exist_ok=True)
    project.coder_path("r1").write_text("segment_id,code\nP01-0002,motivation\n")
    import pandas as pd

    segments = read_project_segments(project)
    extra = [segments.iloc[1].copy() for _ in range(200)]
    for i, row in enumerate(extra):
        row["segment_id"], row["seq"] = f"P01-{100 + i:04d}", str(100 + i)
    from slqual.segments import write_segments

    write_segments(project.segments_path, pd.concat([segments, pd.DataFrame(extra)], ignore_index=True))
    result = runner.invoke(app, ["status", "-p", str(project.root)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "│ <1 │" in result.output
