"""Reliability: full disks name the file, stale temporaries go, coder names stay in codings/,
slqual reads every file it writes, and hostile characters never reach the terminal raw."""

from __future__ import annotations

import errno
import os
import time

import pytest

from slqual.cli.main import app
from slqual.errors import CodebookError, CodingsError
from slqual.fileio import atomic_write_text


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_names_the_file_it_could_not_write(tmp_path, monkeypatch):
    target = tmp_path / "codings" / "r1.csv"
    atomic_write_text(target, "old\n")
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(OSError) as caught:
        atomic_write_text(target, "new\n")
    assert caught.value.filename == str(target)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_text() == "old\n"


def test_stale_temporary_files_of_killed_writes_are_cleaned_on_the_next_run(project):
    dead = 2**22 + 12345  # beyond the usual pid range: no such process
    stale = project.codings_dir / f".r1.csv.{dead}.x1y2.tmp"
    stale.write_text("half")
    legacy = project.root / ".segments.csv.abcd1234.tmp"  # the old naming, from before pids were in it
    legacy.write_text("half")
    old = time.time() - 7200
    os.utime(legacy, (old, old))
    live = project.codings_dir / f".r2.csv.{os.getpid()}.zz.tmp"  # a write in progress right now
    live.write_text("in progress")
    other = project.codings_dir / ".notes.txt"  # not slqual's naming: never touched
    other.write_text("mine")
    from slqual.project import open_project

    open_project(project.root)
    assert not stale.exists() and not legacy.exists()
    assert live.exists() and other.exists()


def test_a_lock_that_cannot_be_written_on_a_full_disk_leaves_no_empty_lock_behind(project, monkeypatch):
    from slqual.coding import lock

    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(CodingsError) as caught:
        lock.acquire_lock(project, "r1")
    path = lock.lock_path(project, "r1")
    assert str(path) in str(caught.value) and "space" in str(caught.value)
    assert not path.exists()
    monkeypatch.undo()
    lock.acquire_lock(project, "r1").release()  # nobody is told "another session is starting"


@pytest.mark.parametrize("name", ["../evil", "..", "a/b", "/etc/passwd", ""])
def test_coder_names_that_leave_codings_are_refused_everywhere(project, name):
    with pytest.raises(CodingsError, match="cannot be used"):
        project.coder_path(name)


def test_report_with_a_coder_path_outside_codings_is_refused(project, runner, tmp_path):
    (tmp_path / "evil.csv").write_text("segment_id,code\nx,y\n")
    result = runner.invoke(app, ["report", "--coder", "../evil", "-p", str(project.root)])
    assert result.exit_code == 2
    assert "coder name '../evil' cannot be used" in result.output


def test_a_cell_longer_than_the_csv_module_default_reads_back(project):
    from slqual.coding.sheets import read_sheet

    text = "word " * 40_000  # 200,000 characters: one 40,000-word turn
    sheet = project.root / "r1.csv"
    sheet.write_text(f"segment_id,text,codes\nP01-0001,{text},none\n", encoding="utf-8")
    rows, _, _ = read_sheet(sheet)
    assert rows[0][1]["text"] == text.strip()


def test_control_characters_in_a_codebook_are_listed_by_the_check(tmp_path):
    from slqual.codebook import check_codebook, load_codebook

    path = tmp_path / "codebook.yaml"
    path.write_text(
        'title: T\ncodes:\n  - id: a\n    name: "\\x1b[31mRed"\n    definition: "one\\vtwo"\n',
        encoding="utf-8",
    )
    report = check_codebook(path)
    messages = [i.message for i in report.errors]
    assert any("U+001B" in m and "'name'" in m for m in messages), messages  # an escape: refused
    warnings = [i.message for i in report.warnings]
    assert any("U+000B" in m and "'definition'" in m for m in warnings), warnings  # Word's break: read
    with pytest.raises(CodebookError):
        load_codebook(path)
    path.write_text(path.read_text(encoding="utf-8").replace("\\x1b[31m", ""), encoding="utf-8")
    assert load_codebook(path).node("a").definition == "one\ntwo"


def test_xml_safe_keeps_a_word_line_break_as_a_line_break():
    from slqual.cells import xml_safe

    assert xml_safe("one\vtwo\x1bthree") == "one\ntwothree"


def test_a_sheet_with_a_word_line_break_in_a_memo_exports(project, tmp_path):
    from slqual.coding.sheets import export_sheet

    (project.root / "segments.csv").write_text(
        "segment_id,document,participant_id,seq,speaker,speaker_role,start,end,text\n"
        "P01-0001,P01,P01,1,P01,participant,,,Some words here.\n",
        encoding="utf-8",
    )
    project.coder_path("r1").write_text(
        "segment_id,code,memo\nP01-0001,motivation,first\vsecond\n", encoding="utf-8"
    )
    export_sheet(project, "r1", output=tmp_path / "r1.xlsx")
    assert (tmp_path / "r1.xlsx").stat().st_size > 0


def test_a_full_disk_during_a_command_is_one_line_naming_the_file(project, runner, monkeypatch, tmp_path):
    project.coder_path("r1").parent.mkdir(exist_ok=True)
    project.coder_path("r1").write_text("segment_id,code\nP01-0002,motivation\n", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", _no_space)
    target = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["codebook", "export", "--format", "csv", "-o", str(target), "-p", str(project.root)]
    )
    assert result.exit_code == 2, result.output
    assert str(target) in " ".join(result.output.split())
    assert "No space left on device" in result.output
