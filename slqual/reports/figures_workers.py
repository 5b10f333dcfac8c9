"""Drawing the report's figures side by side, in forked worker processes, when that is safe.

The figures of a large study take seconds of one core each, almost all of it
matplotlib laying out and rendering text. A worker forked after matplotlib is
imported starts in milliseconds and shares the parent's memory, so on two
cores two figures are drawn at once. Where forking is not safe or not possible
(another thread alive, not Linux, one core) the figures are drawn here, one
after another, with the same results.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

_task: Callable[[int], Any] | None = None  # the work of a forked worker, inherited from its parent


def worker_count(jobs: int) -> int:
    """How many processes should draw ``jobs`` figures; 1 means this process, one after another."""
    import multiprocessing
    import threading

    # Linux only: macOS offers fork, but its system libraries may start threads of their own.
    if (
        jobs < 2
        or not sys.platform.startswith("linux")
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    # A forked child keeps only the forking thread: a lock another thread held at that moment (the
    # stderr buffer a progress bar or a warning writes to) stays locked in the child forever. Native
    # BLAS threads are not a problem: OpenBLAS stops its pool before a fork and restarts it after.
    if threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, jobs)


def _adopt(task: Callable[[int], Any]) -> None:
    global _task
    _task = task


def _run(index: int) -> Any:
    assert _task is not None, "a worker runs only what its parent gave it"
    return _task(index)


def run_each(
    task: Callable[[int], Any],
    order: Sequence[int],
    starting: Callable[[int], None] | None = None,
) -> dict[int, Any]:
    """``task(i)`` for each ``i`` in ``order`` (longest first, for the best balance); ``starting(i)`` as
    each begins. An error in a worker is raised here, as the same exception with the same message."""
    workers = worker_count(len(order))
    if workers < 2:
        return _run_here(task, order, starting)
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    results: dict[int, Any] = {}
    # The task is handed to the workers as they are forked, not pickled: they share the report.
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_adopt, initargs=(task,)
    )
    try:
        pending = {pool.submit(_run, i): i for i in order}
        queued = list(order)
        for i in queued[:workers]:
            if starting:
                starting(i)
        queued = queued[workers:]
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                results[pending.pop(future)] = future.result()
                if queued and starting:  # the next one waiting takes the freed worker
                    starting(queued.pop(0))
    except BrokenProcessPool:
        # A worker died without a Python error (killed, out of memory): draw the rest here, where any
        # error is raised as it would be without workers.
        pool.shutdown(cancel_futures=True)
        rest = [i for i in order if i not in results]
        results.update(_run_here(task, rest, None))
    finally:
        pool.shutdown(cancel_futures=True)
    return results


def _run_here(
    task: Callable[[int], Any], order: Sequence[int], starting: Callable[[int], None] | None
) -> dict[int, Any]:
    results = {}
    for i in order:
        if starting:
            starting(i)
        results[i] = task(i)
    return results
