"""Render a packet's documents in worker processes, so a packet uses every core.

WeasyPrint lays out pages in Python on one core; a packet is a dozen independent PDFs
(issue 11, "Speed": the motivating case's packet took ~8 s on one of two cores). Workers
are spawned, not forked: the parent may be a threaded WSGI server or a Huey worker, and
Pango/fontconfig state must not be copied mid-use. They live as long as the process
that started them, so their start-up (importing WeasyPrint, loading fonts) is paid once.
Documents travel to them through pipes, never through a file.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from caseprep.documents.pdf import render_pdf

# Each worker holds its own WeasyPrint, Pango font map and loaded fonts (about 150 MB), and a
# packet is a few dozen files: more than 4 workers would cost memory for little gain.
MAX_WORKERS = 4

_lock = threading.Lock()
_pool: dict = {"executor": None, "workers": 0}


def default_workers() -> int:
    """One worker per core this process may run on, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _executor(workers: int) -> ProcessPoolExecutor:
    with _lock:
        if _pool["executor"] is None or _pool["workers"] != workers:
            if _pool["executor"] is not None:
                _pool["executor"].shutdown(wait=False, cancel_futures=True)
            _pool["executor"] = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            _pool["workers"] = workers
        return _pool["executor"]


def _warm() -> None:
    """Load WeasyPrint and a CJK font in a worker (a tiny Chinese PDF)."""
    render_pdf('<html lang="zh-Hans"><body><p>预热</p></body></html>')


def warm_up(workers: int) -> None:
    """Start the workers and load fonts in them now rather than in the first request."""
    if workers > 1:
        executor = _executor(workers)
        for future in [executor.submit(_warm) for _ in range(workers * 2)]:
            future.result()


def warm_up_in_background(workers: int | None = None) -> threading.Thread:
    """`warm_up` in a daemon thread: for a process that will run document jobs (the task
    consumer), so that the first packet does not pay the workers' start-up (~1-2 s)."""
    thread = threading.Thread(target=warm_up, args=(workers or default_workers(),),
                              name="render-pool-warm-up", daemon=True)
    thread.start()
    return thread


def render_all(render: Callable, jobs: Sequence[tuple], workers: int,
               cost: Callable[[tuple], float] = lambda job: 0.0,
               on_done: Callable[[int, int], None] | None = None) -> list:
    """`[render(*job) for job in jobs]`, in up to `workers` processes, results in order.

    `render` must be a module-level function (it is pickled by name). The costliest jobs
    start first so that a long evidence list does not run alone at the end. One worker
    or one job: rendered here. A worker that died (out of memory) fails this call only.
    `on_done(done, total)` is called in this thread as each job finishes.
    """
    report = on_done or (lambda done, total: None)
    results: list = [None] * len(jobs)
    if workers <= 1 or len(jobs) < 2:
        for i, job in enumerate(jobs):
            results[i] = render(*job)
            report(i + 1, len(jobs))
        return results
    executor = _executor(workers)
    order = sorted(range(len(jobs)), key=lambda i: -cost(jobs[i]))
    try:
        futures = {executor.submit(render, *jobs[i]): i for i in order}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            report(done, len(jobs))
        return results
    except BrokenProcessPool:
        with _lock:
            _pool["executor"] = None  # start fresh workers next time
        raise
