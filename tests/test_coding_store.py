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


def _start_coding(project):
    """'slqual code --coder r1' in a separate process, reading its answers from a pipe."""
    return subprocess.Popen(
        [sys.executable, "-m", "slqual", "code", "--coder", "r1", "-p", str(project.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        text=True,
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_between_answers_leaves_a_valid_csv_with_every_earlier_answer(project):
    process = _start_coding(project)
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
    process = _start_coding(project)
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


def test_a_coder_file_saved_by_european_excel_is_read(project):
    """Excel in many languages saves CSV with ';' between cells, a byte-order mark and CRLF line ends."""
    path = project.coder_path("r1")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        "\ufeffsegment_id;code;coder;coded_at;memo;exemplar\r\n"
        "P01-0002;motivation;r1;2026-01-01T00:00:00Z;first, then; second;1\r\n".replace(
            "first, then; second", '"first, then; second"'
        ).encode("utf-8")
    )
    frame = read_coding(path)
    assert frame.to_dict("records") == [
        {
            "segment_id": "P01-0002",
            "code": "motivation",
            "coder": "r1",
            "coded_at": "2026-01-01T00:00:00Z",
            "memo": "first, then; second",
            "exemplar": "1",
            "quote": "",
        }
    ]


def test_columns_a_researcher_added_survive_answers(project):
    path = project.coder_path("r1")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "segment_id,code,coder,coded_at,memo,exemplar,notes,\n"
        "P01-0002,motivation,r1,2026-01-01T00:00:00Z,,,ask Sam,\n"
        "P01-0004,,r1,2026-01-01T00:00:00Z,,,,\n",
        encoding="utf-8",
    )
    with CodingStore(project, "r1") as store:
        assert store.extra_columns == ["notes"]  # the empty, unnamed trailing column is not kept
        store.save(Answer("P01-0005", ("barriers",)))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "segment_id,code,coder,coded_at,memo,exemplar,quote,notes"
    assert lines[1].endswith(",ask Sam") and lines[3].startswith("P01-0005,barriers,r1,")
    assert lines[3].endswith(",")


def test_ctrl_c_during_a_save_takes_effect_once_the_answer_is_saved(project, monkeypatch):
    store = CodingStore(project, "r1")
    write_csv = store._write_csv

    def interrupted_write() -> None:
        os.kill(os.getpid(), signal.SIGINT)  # arrives while the answer is being saved
        write_csv()

    monkeypatch.setattr(store, "_write_csv", interrupted_write)
    # Ctrl-C raises KeyboardInterrupt (a shell may start background jobs with it ignored).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            store.save(Answer("P01-0002", ("motivation",)))
    finally:
        signal.signal(signal.SIGINT, previous)
    store.close()
    assert not journal_path(project, "r1").exists()  # folded: nothing left to replay
    assert read_coding(project.coder_path("r1"))["code"].tolist() == ["motivation"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "segment_id,code\nP01-0002,motivation\n,P01-0004,barriers\n",
            r"r1.csv, row 3: more cells than the header has columns; remove the extra ','",
        ),
        (
            "segment_id,code\n,P01-0002,motivation\nP01-0004,barriers\n",
            r"r1.csv, row 2: more cells than the header has columns; remove the extra ','",
        ),
        (
            'segment_id,code\nP01-0002,"motivation\nP01-0004,barriers\n',
            r"r1.csv: not a readable CSV file; check the quotes \(a quote opened and never closed\?\)",
        ),
    ],
)
def test_a_hand_edited_coder_file_with_a_stray_comma_or_quote_names_the_row(project, text, message):
    path = project.coder_path("r1")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodingsError, match=message) as caught:
        read_coding(path)
    assert "\n" not in str(caught.value)
