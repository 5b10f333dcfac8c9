"""After a corrected transcript: review marks, orphaned rows attached back, and coder locks."""

from __future__ import annotations

import json

import pytest

from slqual.cli.main import app
from slqual.coding.lock import acquire_lock
from slqual.coding.status import coding_status
from slqual.codings import read_coding
from slqual.errors import CodingsError
from slqual.ingest import ingest
from slqual.orphans import attach, list_orphans
from slqual.review import read_marks

FIRST = (
    "Interviewer: How did you come to lead?\n\n"
    "P01: I never planned it, I fell into the role when nobody else would do it.\n\n"
    "Interviewer: And now?\n\n"
    "P01: Now I chair the board, which takes most of my Thursday afternoons.\n"
)


@pytest.fixture
def coded(project):
    path = project.transcripts_dir / "P01.txt"
    path.write_text(FIRST, encoding="utf-8")
    ingest(project)
    project.coder_path("r1").write_text(
        "segment_id,code,coder,coded_at,memo,exemplar\n"
        "P01-0002,motivation,r1,2026-01-01T00:00:00Z,a memo,1\n"
        "P01-0004,barriers,r1,2026-01-01T00:00:00Z,,\n",
        encoding="utf-8",
    )
    return project


def _edit(project, old: str, new: str) -> None:
    path = project.transcripts_dir / "P01.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_edited_coded_turn_is_listed_by_status_until_recoded(coded):
    _edit(coded, "when nobody else would do it", "when nobody else would")
    result = ingest(coded)
    assert result.review == ("P01-0002",)
    [r1] = coding_status(coded).coders
    assert r1.review == ("P01-0002",)
    from slqual.coding.session import coding_session

    with coding_session(coded, "r1", revisit=True) as (session, _note):
        assert session.screen().review_old.endswith("when nobody else would do it.")
        assert session.handle("motivation").kind == "saved"  # coded again: the mark goes
    assert read_marks(coded, "r1") == {}
    assert coding_status(coded).coders[0].review == ()


def test_code_review_walks_only_marked_segments_and_enter_confirms(runner, coded):
    _edit(coded, "when nobody else would do it", "when nobody else would")
    ingest(coded)
    before = coded.coder_path("r1").read_bytes()
    result = runner.invoke(app, ["code", "--coder", "r1", "--review", "-p", str(coded.root)], input="\n")
    assert result.exit_code == 0, result.output
    assert "Coded when it read: I never planned it" in result.output
    assert "Confirmed P01-0002: motivation still apply" in result.output
    assert "P01-0004" not in result.output.split("Confirmed")[0].replace("P01-0002", "")
    assert read_marks(coded, "r1") == {}
    assert coded.coder_path("r1").read_bytes() == before  # the codes, memo and exemplar are untouched
    again = runner.invoke(app, ["code", "--coder", "r1", "--review", "-p", str(coded.root)], input="q\n")
    assert again.exit_code == 2 and "nothing to review for 'r1'" in again.output


def test_ingest_says_what_a_changed_file_gained_and_lost(runner, coded):
    _edit(coded, "Interviewer: And now?", "Interviewer: Is that right?\n\nP01: Yes.\n\nInterviewer: And now?")
    result = runner.invoke(app, ["ingest", "-p", str(coded.root)])
    assert result.exit_code == 0, result.output
    assert "P01.txt: 2 turn(s) added, 0 removed, 4 kept" in result.output


def test_force_during_a_coders_session_is_refused_naming_the_holder_and_writes_nothing(coded):
    _edit(
        coded,
        "Now I chair the board, which takes most of my Thursday afternoons.",
        "Something else entirely.",
    )
    segments = coded.segments_path.read_bytes()
    coder_file = coded.coder_path("r1").read_bytes()
    lock = acquire_lock(coded, "r1")
    try:
        with pytest.raises(CodingsError, match=r"'r1' is already coding in another session \(process \d+"):
            ingest(coded, force=True)
    finally:
        lock.release()
    assert coded.segments_path.read_bytes() == segments
    assert coded.coder_path("r1").read_bytes() == coder_file
    assert not (coded.codings_dir / "orphaned").exists()
    assert ingest(coded, force=True).orphaned[0].segment_ids == ("P01-0004",)


def test_an_orphaned_row_is_listed_and_attached_back_under_the_lock(runner, coded):
    _edit(
        coded, "Now I chair the board, which takes most of my Thursday afternoons.", "I chair the board now."
    )
    ingest(coded, force=True)
    [row] = list_orphans(coded)
    assert (row.number, row.coder, row.segment_id, row.code) == (1, "r1", "P01-0004", "barriers")
    assert "Thursday afternoons" in row.old_text
    listed = runner.invoke(app, ["orphans", "-p", str(coded.root), "--format", "json"])
    assert listed.exit_code == 0 and json.loads(listed.stdout)[0]["segment_id"] == "P01-0004"
    lock = acquire_lock(coded, "r1")
    try:
        with pytest.raises(CodingsError, match="already coding"):
            attach(coded, 1, "P01-0005")
    finally:
        lock.release()
    with pytest.raises(CodingsError, match="no segment 'P01-0099'"):
        attach(coded, 1, "P01-0099")
    result = runner.invoke(app, ["orphans", "attach", "1", "P01-0005", "-p", str(coded.root)])
    assert result.exit_code == 0, result.output
    assert "Attached row 1 (r1, code 'barriers', was on P01-0004) to P01-0005" in result.output
    rows = read_coding(coded.coder_path("r1"))
    assert list(zip(rows["segment_id"], rows["code"], strict=True)) == [
        ("P01-0002", "motivation"),
        ("P01-0005", "barriers"),
    ]
    assert list_orphans(coded) == ()
    assert list_orphans(coded, attached=True)[0].attached_to == "P01-0005"
    assert list((coded.internal_dir / "history").glob("r1.*.csv"))
    with pytest.raises(CodingsError, match="already attached to P01-0005"):
        attach(coded, 1, "P01-0005")
    events = [json.loads(line) for line in (coded.internal_dir / "audit.log").read_text().splitlines()]
    assert events[-1]["action"] == "orphans attach" and events[-1]["segment_id"] == "P01-0005"


def test_the_coding_sheet_shows_the_review_note_and_ok_confirms(coded, tmp_path):
    import csv

    from slqual.coding.sheet_import import import_sheet
    from slqual.coding.sheets import export_sheet

    _edit(coded, "when nobody else would do it", "when nobody else would")
    ingest(coded)
    path = tmp_path / "r1.csv"
    export_sheet(coded, "r1", "csv", path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {r["segment_id"]: r for r in rows}
    assert by_id["P01-0002"]["review"].startswith("words edited since you coded; type ok to keep the codes.")
    assert "when nobody else would do it" in by_id["P01-0002"]["review"]
    assert by_id["P01-0004"]["review"] == ""
    by_id["P01-0002"]["review"] = "ok"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = import_sheet(coded, path, "r1")
    assert result.valid, result.problems
    assert read_marks(coded, "r1") == {}


def test_a_coder_session_and_ingest_force_on_the_same_coder_lose_nothing(coded):
    from slqual.coding.session import coding_session

    _edit(
        coded,
        "Now I chair the board, which takes most of my Thursday afternoons.",
        "Something else entirely.",
    )
    with coding_session(coded, "r1", revisit=True) as (session, _note):
        with pytest.raises(CodingsError, match="'r1' is already coding"):
            ingest(coded, force=True)
        assert session.handle("2").kind == "saved"  # P01-0002 re-coded in the open session
    result = ingest(coded, force=True)  # the session has ended: now it may move rows
    assert result.orphaned[0].segment_ids == ("P01-0004",)
    rows = read_coding(coded.coder_path("r1"))
    assert list(rows["segment_id"]) == ["P01-0002"]
    assert [o.segment_id for o in list_orphans(coded)] == ["P01-0004"]
