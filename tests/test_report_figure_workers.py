"""Figures drawn two at a time in forked workers: the same results, the same errors, a safe fallback."""

from __future__ import annotations

import os
import threading

import pytest

from slqual.errors import ReportError
from slqual.reports import figures_workers as workers

forks = pytest.mark.skipif(
    workers.worker_count(2) < 2, reason="needs fork, two cores and no other thread alive"
)


def _square(i: int) -> tuple[int, int]:
    return i * i, os.getpid()


@forks
def test_each_result_comes_back_once_and_the_work_is_shared():
    started = []
    results = workers.run_each(_square, [3, 0, 2, 1], started.append)
    assert {i: value for i, (value, _) in results.items()} == {0: 0, 1: 1, 2: 4, 3: 9}
    assert sorted(started) == [0, 1, 2, 3]
    assert os.getpid() not in {pid for _, pid in results.values()}


def _fail(i: int) -> None:
    if i == 1:
        raise ReportError("participants.csv: row 3 has no participant_id; give every row one")
    if i == 2:
        raise OSError(28, "No space left on device", "figures/heatmap.png")


@forks
def test_an_error_in_a_worker_is_raised_here_with_its_message():
    with pytest.raises(ReportError, match=r"^participants\.csv: row 3 has no participant_id"):
        workers.run_each(_fail, [0, 1])
    with pytest.raises(OSError) as caught:
        workers.run_each(_fail, [0, 2])
    assert (caught.value.errno, caught.value.filename) == (28, "figures/heatmap.png")


@forks
def test_a_worker_that_dies_leaves_its_figures_to_this_process():
    parent = os.getpid()

    def die_in_a_worker(i: int) -> int:
        if os.getpid() != parent:
            os._exit(1)
        return i

    assert workers.run_each(die_in_a_worker, [0, 1, 2]) == {0: 0, 1: 1, 2: 2}


def test_with_another_thread_alive_the_figures_are_drawn_here():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers.worker_count(4) == 1
        assert {value for value, _ in workers.run_each(_square, [0, 1]).values()} == {0, 1}
        assert {pid for _, pid in workers.run_each(_square, [0, 1]).values()} == {os.getpid()}
    finally:
        stop.set()
        other.join()


def test_without_fork_or_a_second_core_the_figures_are_drawn_here(monkeypatch):
    import multiprocessing

    assert workers.worker_count(1) == 1
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert workers.worker_count(4) == 1
    monkeypatch.undo()
    monkeypatch.setattr("sys.platform", "darwin")
    assert workers.worker_count(4) == 1
    monkeypatch.undo()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert workers.worker_count(4) == 1
