"""Rename and merge change the codebook and every coder file together, keep history, lose no row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slqual.codebook import load_codebook
from slqual.codebook.usage import check_project_codebook
from slqual.codings import read_coding
from slqual.errors import CodebookError
from slqual.project import init_project
from slqual.recode import IN_PLACE, REDUMPED, merge_codes, rename_code

DATA = Path(__file__).parent / "data" / "codebooks"

REVIEWER1 = """segment_id,code,coder,coded_at,memo,exemplar
P01-0002,barriers.time,reviewer1,2026-01-01T10:00:00Z,diaries,1
P01-0002,barriers.money,reviewer1,2026-01-01T10:00:00Z,budget,
P01-0004,barriers.money,reviewer1,2026-01-01T10:01:00Z,,
P01-0006,,reviewer1,2026-01-01T10:02:00Z,,
P01-0008,enablers.trust,reviewer1,2026-01-01T10:03:00Z,,
"""
REVIEWER2 = """segment_id,code
P01-0002,barriers.time
P01-0004,enablers.trust
P01-0008,barriers.typo
"""


@pytest.fixture
def study(tmp_path):
    project = init_project(tmp_path / "study", codebook=str(DATA / "valid.yaml"))
    project.coder_path("reviewer1").write_text(REVIEWER1, encoding="utf-8")
    project.coder_path("reviewer2").write_text(REVIEWER2, encoding="utf-8")
    return project


def audit(project):
    lines = (project.internal_dir / "audit.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def history(project):
    folder = project.internal_dir / "history"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_rename_rewrites_codebook_in_place_and_every_coder_file(study):
    before = study.codebook_path.read_text(encoding="utf-8")
    result = rename_code(study, "barriers.time", "barriers.time_pressure")
    after = study.codebook_path.read_text(encoding="utf-8")
    assert result.rewrite == IN_PLACE
    assert after == before.replace("- id: barriers.time\n", "- id: barriers.time_pressure\n")
    assert "# Time first: it is the commonest barrier." in after  # comments survive
    cb = load_codebook(study.codebook_path)
    assert "barriers.time_pressure" in cb and "barriers.time" not in cb
    r1 = read_coding(study.coder_path("reviewer1"))
    r2 = read_coding(study.coder_path("reviewer2"))
    assert len(r1) == 5 and len(r2) == 3  # no row lost
    assert r1["code"].tolist()[0] == "barriers.time_pressure"
    assert r2["code"].tolist() == ["barriers.time_pressure", "enablers.trust", "barriers.typo"]
    assert r1["memo"].tolist()[0] == "diaries" and r1["exemplar"].tolist()[0] == "1"
    assert result.coder_rows == {"reviewer1": 1, "reviewer2": 1}
    assert len(result.kept) == 3 and len(history(study)) == 3
    event = audit(study)[-1]
    assert event["action"] == "codebook rename"
    assert (event["old"], event["new"]) == ("barriers.time", "barriers.time_pressure")


def test_rename_reports_where_the_old_id_is_still_mentioned(study):
    result = rename_code(study, "barriers.money", "barriers.funding")
    assert len(result.mentions) == 1
    assert "'barriers.money' is still mentioned" in result.mentions[0] and "line(s) 16;" in result.mentions[0]


def test_rename_refusals_change_nothing(study):
    before = study.codebook_path.read_bytes()
    with pytest.raises(CodebookError, match="did you mean 'barriers.time'"):
        rename_code(study, "barriers.tim", "x")
    with pytest.raises(CodebookError, match="already a code"):
        rename_code(study, "barriers.time", "barriers.money")
    with pytest.raises(CodebookError, match="upper-case"):
        rename_code(study, "barriers.time", "Barriers.Time")
    assert study.codebook_path.read_bytes() == before
    assert history(study) == []


def test_merge_removes_the_sources_and_recodes_without_losing_rows(study):
    result = merge_codes(study, ["barriers.money"], "barriers.time")
    cb = load_codebook(study.codebook_path)
    assert "barriers.money" not in cb and "barriers.time" in cb
    assert result.rewrite == IN_PLACE
    text = study.codebook_path.read_text(encoding="utf-8")
    assert "Money | budgets" not in text and "# Time first" in text
    r1 = read_coding(study.coder_path("reviewer1"))
    # P01-0002 had both codes: the two rows become one, with both memos and the exemplar mark.
    assert len(r1) == 4 and result.collapsed == 1
    first = r1[r1["segment_id"] == "P01-0002"].iloc[0]
    assert (first["code"], first["memo"], first["exemplar"]) == ("barriers.time", "diaries | budget", "1")
    assert set(r1["segment_id"]) == {"P01-0002", "P01-0004", "P01-0006", "P01-0008"}
    assert result.coder_rows == {"reviewer1": 2}
    assert audit(study)[-1]["action"] == "codebook merge"


def test_merge_several_codes_and_drop_an_emptied_children_list(study):
    merge_codes(study, ["barriers.culture.language", "barriers.culture.hierarchy"], "barriers.culture")
    text = study.codebook_path.read_text(encoding="utf-8")
    cb = load_codebook(study.codebook_path)
    assert cb.node("barriers.culture").is_leaf
    assert "Hiérarchie" not in text
    assert text.count("children:") == 2


def test_merge_refuses_a_code_with_children_and_merging_into_itself(study):
    with pytest.raises(CodebookError, match="has child codes"):
        merge_codes(study, ["barriers.culture"], "enablers.trust")
    with pytest.raises(CodebookError, match="into itself"):
        merge_codes(study, ["barriers.time"], "barriers.time")
    with pytest.raises(CodebookError, match="no code 'nope'"):
        merge_codes(study, ["nope"], "barriers.time")


def test_flow_style_codebook_is_rewritten_cleanly_with_the_old_one_kept(tmp_path):
    source = tmp_path / "flow.yaml"
    source.write_text("title: Flow\ncodes: [{id: a, name: A}, {id: b, name: B}]\n", encoding="utf-8")
    project = init_project(tmp_path / "study", codebook=str(source))
    result = merge_codes(project, ["b"], "a")
    assert result.rewrite == REDUMPED
    assert load_codebook(project.codebook_path).ids() == ["a"]
    kept = Path(result.kept[0]).read_text(encoding="utf-8")
    assert "{id: b, name: B}" in kept


def test_a_coders_own_columns_and_layout_are_kept(study):
    path = study.coder_path("reviewer3")
    path.write_text("segment_id,code,note\nP01-0002,barriers.time,check again\nP01-0004,enablers.trust,\n")
    rename_code(study, "barriers.time", "barriers.hours")
    assert path.read_text() == (
        "segment_id,code,note\nP01-0002,barriers.hours,check again\nP01-0004,enablers.trust,\n"
    )


def test_a_broken_codebook_is_not_edited(study):
    study.codebook_path.write_text("codes:\n  - id: A\n    name: A\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="fix the codebook before changing it"):
        rename_code(study, "A", "a")


def test_an_unreadable_coder_file_stops_everything_before_writing(study):
    study.coder_path("broken").write_text("segment_id,code\n,barriers.time\n", encoding="utf-8")
    before = study.codebook_path.read_bytes()
    with pytest.raises(Exception, match="empty segment_id"):
        rename_code(study, "barriers.time", "barriers.hours")
    assert study.codebook_path.read_bytes() == before


def test_a_failed_write_restores_the_files_already_written(study, monkeypatch):
    import slqual.recode as edit

    real = edit.atomic_write_bytes
    calls = {"n": 0}

    def flaky(path, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    before = study.codebook_path.read_bytes()
    monkeypatch.setattr(edit, "atomic_write_bytes", flaky)
    with pytest.raises(CodebookError, match="nothing was changed"):
        rename_code(study, "barriers.time", "barriers.hours")
    assert study.codebook_path.read_bytes() == before


def test_check_codings_lists_unknown_ids_with_coder_and_row(study):
    report = check_project_codebook(study, codings=True)
    assert len(report.issues) == 1
    issue = report.issues[0]
    assert issue.file.endswith("reviewer2.csv") and issue.line == 4 and issue.node_id == "barriers.typo"
    assert "coder 'reviewer2'" in issue.message and "did you mean 'barriers.time'" in issue.message
    assert check_project_codebook(study).ok


def test_rename_is_refused_while_a_coder_is_coding_and_nothing_changes(study):
    from slqual.coding.lock import acquire_lock
    from slqual.errors import CodingsError

    before = {p.name: p.read_bytes() for p in (study.codebook_path, study.coder_path("reviewer2"))}
    lock = acquire_lock(study, "reviewer2")
    try:
        with pytest.raises(
            CodingsError, match="codes cannot be renamed or merged now: 'reviewer2' is already"
        ):
            rename_code(study, "barriers.time", "barriers.time_pressure")
        with pytest.raises(CodingsError, match="cannot be renamed or merged now"):
            merge_codes(study, ["barriers.money"], "barriers.time")
    finally:
        lock.release()
    assert {p.name: p.read_bytes() for p in (study.codebook_path, study.coder_path("reviewer2"))} == before


def test_rename_folds_in_answers_a_killed_session_left_in_its_journal(study):
    from slqual.coding.store import Answer, journal_path

    journal = journal_path(study, "reviewer2")
    journal.parent.mkdir(parents=True, exist_ok=True)
    answer = Answer("P01-0006", ("barriers.time",), coded_at="2026-01-02T00:00:00Z")
    journal.write_text(json.dumps({"answer": answer.to_json()}) + "\n", encoding="utf-8")
    rename_code(study, "barriers.time", "barriers.time_pressure")
    assert not journal.exists()
    rows = read_coding(study.coder_path("reviewer2"))
    assert rows.loc[rows["segment_id"] == "P01-0006", "code"].tolist() == ["barriers.time_pressure"]


def test_rename_rewrites_a_semicolon_separated_coder_file(study):
    study.coder_path("reviewer2").write_text(REVIEWER2.replace(",", ";"), encoding="utf-8-sig")
    rename_code(study, "barriers.time", "barriers.time_pressure")
    assert read_coding(study.coder_path("reviewer2"))["code"].tolist() == [
        "barriers.time_pressure",
        "enablers.trust",
        "barriers.typo",
    ]


def test_rename_also_rewrites_a_copied_coder_file_with_spaces_in_its_name(study):
    copy = study.codings_dir / "reviewer2 - Copy.csv"
    copy.write_text(REVIEWER2, encoding="utf-8")
    result = rename_code(study, "barriers.time", "barriers.time_pressure")
    assert result.coder_rows["reviewer2 - Copy"] == 1
    assert read_coding(copy)["code"].tolist()[0] == "barriers.time_pressure"
