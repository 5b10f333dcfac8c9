"""Special files and links in the transcripts folder (issue 11, items 7 and 8)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from slqual.errors import TranscriptError
from slqual.ingest import ingest
from slqual.transcripts.files import read_limited

DATA = Path(__file__).parent / "data" / "transcripts"
posix = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and symlinks as on POSIX")


@pytest.fixture
def study(project):
    shutil.copyfile(DATA / "P07.txt", project.transcripts_dir / "P07.txt")
    return project


def _texts(project) -> set[str]:
    return {line.split(",")[1] for line in project.segments_path.read_text(encoding="utf-8").splitlines()[1:]}


@posix
def test_a_fifo_named_like_a_transcript_is_skipped_with_a_reason_not_waited_on(study):
    import signal

    os.mkfifo(study.transcripts_dir / "P21.txt")

    def hung(*_args):
        raise AssertionError("ingest waited on the FIFO")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        result = ingest(study)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert any(
        w.startswith("P21.txt: a FIFO (named pipe), not a transcript file; skipped") for w in result.warnings
    )
    assert {d.document for d in result.documents} == {"P07"}


@posix
def test_a_link_to_dev_zero_is_not_read_without_bound(study):
    os.symlink("/dev/zero", study.transcripts_dir / "P22.txt")
    result = ingest(study, follow_links=True)  # even when links may be followed
    assert any(w.startswith("P22.txt: a device, not a transcript file; skipped") for w in result.warnings)


def test_the_byte_limit_holds_while_reading_not_only_by_the_claimed_size(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    class Small:  # a file system that reports 0 bytes, as for /dev/zero
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 0

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(TranscriptError, match="big.txt: larger than"):
        read_limited(path, 4096, "big.txt", "text")
    monkeypatch.undo()
    assert read_limited(path, 8192, "big.txt", "text") == b"x" * 5000


@posix
def test_a_link_out_of_the_folder_is_skipped_and_said_unless_follow_links(study, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Interviewer: Secret?\n\nP21: Not for you.\n", encoding="utf-8")
    os.symlink(outside, study.transcripts_dir / "P21.txt")
    result = ingest(study)
    [note] = [w for w in result.warnings if w.startswith("P21.txt")]
    assert f"a link to {outside.resolve()}, outside the transcripts folder; skipped" in note
    assert "--follow-links" in note
    assert "P21" not in _texts(study)
    assert "P21" in {d.document for d in ingest(study, follow_links=True).documents}


@posix
def test_a_link_inside_the_folder_is_followed(study):
    (study.transcripts_dir / "originals").mkdir()
    shutil.copyfile(DATA / "P07.txt", study.transcripts_dir / "originals" / "P08.txt")
    os.symlink(study.transcripts_dir / "originals" / "P08.txt", study.transcripts_dir / "P09.txt")
    result = ingest(study)
    assert {d.document for d in result.documents} == {"P07", "P08", "P09"}


@posix
def test_a_linked_folder_outside_is_named_not_skipped_silently(study, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copyfile(DATA / "P07.txt", batch / "P30.txt")
    os.symlink(batch, study.transcripts_dir / "batch2")
    result = ingest(study)
    assert any(
        w.startswith("batch2: a link to the folder") and "use --follow-links" in w for w in result.warnings
    )
    assert "P30" in {d.document for d in ingest(study, follow_links=True).documents}


def test_an_unreadable_subfolder_is_a_warning(study, monkeypatch):
    locked = study.transcripts_dir / "locked"
    locked.mkdir()
    shutil.copyfile(DATA / "P07.txt", locked / "P31.txt")
    real_scandir = os.scandir

    def scandir(path="."):  # as chmod 000 does for anyone but root
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = ingest(study)
    assert any(
        w.startswith("locked: folder cannot be read (Permission denied); its files were not ingested")
        for w in result.warnings
    )
    assert {d.document for d in result.documents} == {"P07"}
