"""Nothing answered is lost: journal, atomic CSV rewrite, recovery, and a real kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from coding_fixtures import make_project

from slqual.coding.lock import acquire_lock, lock_holder, lock_path
from slqual.coding.store import Answer, CodingStore, journal_path
from slqual.codings import read_coding
from slqual.errors import CodingsError

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def test_each_answer_is_in_the_csv_at_once(project):
    store = CodingStore(project, "r1")
    store.save(Answer("P01-0002", ("barriers",), memo="m", exemplar=True))
    frame = read_coding(project.coder_path("r1"))
    assert frame.values.tolist()[0][:2] == ["P01-0002", "barriers"]
    assert frame["exemplar"].tolist() == ["1"]
    store.save(Answer("P01-0004", ()))
    assert read_coding(project.coder_path("r1"))["code"].tolist() == ["barriers", ""]
    store.close()
    assert not journal_path(project, "r1").exists()


def test_history_keeps_the_session_start_file_once(project):
    project.codings_dir.mkdir(exist_ok=True)
    original = "segment_id,code\nP01-0002,motivation\n"
    project.coder_path("r1").write_text(original)
    with CodingStore(project, "r1") as store:
        for sid in ("P01-0004", "P01-0005", "P02-0002"):
            store.save(Answer(sid, ("barriers",)))
    kept = list((project.internal_dir / "history").glob("r1.*.csv"))
    assert len(kept) == 1
    assert kept[0].read_text() == original


def test_an_answer_journalled_but_not_folded_is_recovered(project):
    with CodingStore(project, "r1") as store:
        store.save(Answer("P01-0002", ("motivation",)))
    journal = journal_path(project, "r1")
    journal.parent.mkdir(parents=True, exist_ok=True)
    # As if killed after the fsync of the journal but before the CSV was replaced,
    # with a last line cut short.
    lost = Answer("P01-0004", ("barriers.time_pressure",), coded_at="2026-11-26T10:00:00Z")
    journal.write_text(json.dumps({"answer": lost.to_json()}) + "\n" + '{"answer": {"segm')
    store = CodingStore(project, "r1")
    assert store.recovered == 1
    assert read_coding(project.coder_path("r1"))["code"].tolist() == ["motivation", "barriers.time_pressure"]
    store.close()


def test_folded_answers_are_not_replayed(project):
    store = CodingStore(project, "r1")
    store.save(Answer("P01-0002", ("motivation",)))
    store._handle.close()  # as if killed: no close(), the journal stays
    assert journal_path(project, "r1").exists()
    assert CodingStore(project, "r1").recovered == 0


def test_lock_refuses_a_live_holder_and_takes_over_a_dead_one(project):
    lock = acquire_lock(project, "r1")
    with pytest.raises(CodingsError, match="'r1' is already coding in another session"):
        acquire_lock(project, "r1")
    other = acquire_lock(project, "r2")  # another coder may work at the same time
    assert lock_holder(project, "r1")["pid"] == os.getpid()
    other.release()
    lock.release()
    assert lock_holder(project, "r1") is None
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_path(project, "r1").write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename}))
    taken = acquire_lock(project, "r1")
    assert f"process {dead.pid} is no longer running" in taken.note
    taken.release()
    assert not lock_path(project, "r1").exists()


def _wait_for_rows(path: Path, count: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) - 1 >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} did not reach {count} rows")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_between_answers_leaves_a_valid_csv_with_every_earlier_answer(project):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "slqual", "code", "--coder", "r1", "-p", str(project.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    path = project.coder_path("r1")
    try:
        for count, typed in enumerate(["2 5\n", "0\n", "3\n"], start=1):
            process.stdin.write(typed)
            process.stdin.flush()
            _wait_for_rows(path, count + 1)  # a header and one row per code given so far
        process.stdin.write("m a memo typed but never answered\n")
        process.stdin.flush()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    frame = read_coding(path)
    assert frame[["segment_id", "code"]].values.tolist() == [
        ["P01-0002", "motivation.not_career_goal"],
        ["P01-0002", "barriers.time_pressure"],
        ["P01-0004", ""],
        ["P01-0005", "motivation.duty_to_team"],
    ]
    # The next session takes over the dead session's lock and starts after the last answer.
    from slqual.coding.session import coding_session

    with coding_session(project, "r1") as (session, note):
        assert "no longer running" in note
        assert session.screen().segment.segment_id == "P02-0002"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP")
def test_a_closed_terminal_ends_the_session_cleanly(project):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "slqual", "code", "--coder", "r1", "-p", str(project.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        process.stdin.write("2\n")
        process.stdin.flush()
        _wait_for_rows(project.coder_path("r1"), 1)
        process.send_signal(signal.SIGHUP)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert not lock_path(project, "r1").exists()
    assert not journal_path(project, "r1").exists()
    assert read_coding(project.coder_path("r1"))["code"].tolist() == ["motivation.not_career_goal"]
