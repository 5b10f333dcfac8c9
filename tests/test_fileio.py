"""Atomic writes and kept history."""

from __future__ import annotations

import os

import pytest

from slqual.fileio import atomic_write_bytes, atomic_write_text, keep_history


def test_atomic_write_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.csv"
    atomic_write_text(target, "old\n")
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_new_files_follow_the_umask_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "r.md", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "r.md").stat().st_mode & 0o777 == 0o644


def test_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "c.csv"
    target.write_text("x")
    target.chmod(0o640)
    atomic_write_text(target, "y")
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "c.csv"
    atomic_write_text(target, "precious\n")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write_text(target, "half")
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.csv"]


def test_keep_history_copies_the_old_file(tmp_path):
    target = tmp_path / "codings" / "r1.csv"
    target.parent.mkdir()
    assert keep_history(tmp_path, target) is None
    target.write_text("rows\n")
    kept = keep_history(tmp_path, target)
    assert kept.parent == tmp_path / ".slqual" / "history"
    assert kept.read_text() == "rows\n" and kept.name.startswith("r1.")
