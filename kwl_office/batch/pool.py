"""Worker processes for a round's steps (issue, collect, report): they never outlive the
command that started them, and small rounds need none.

On Linux the kernel kills a worker when its parent dies (``PR_SET_PDEATHSIG``), even by
SIGKILL; a worker that finds its parent gone already (the race before that call) exits.
Elsewhere :func:`parent_gone` is checked before every job that writes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import itertools
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: fewer light items (a workbook to read or write, a few ms) than this are done in the main
#: process: starting the workers costs more (~50 ms)
PARALLEL_FROM = 64

#: the process that started this worker (set by :func:`_worker_started`); 0 in the main one
_PARENT = 0
_PR_SET_PDEATHSIG = 1


def _worker_started(parent: int) -> None:
    """Runs first in every worker: die with the parent, never outlive it."""
    global _PARENT
    _PARENT = parent
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the check before every job still holds
    if os.getppid() != parent:
        os._exit(1)


def parent_gone() -> bool:
    """True in a worker whose command is gone (killed): its lock is gone too, so it must
    write nothing more."""
    return bool(_PARENT) and os.getppid() != _PARENT


def worker_count(workers: int | None, items: int, *, parallel_from: int | None = None) -> int:
    """How many workers to use for ``items`` items: ``workers`` (default: the cores), never
    more than there are items, and 1 (the main process) below ``parallel_from`` (default
    :data:`PARALLEL_FROM`; heavy items, such as an assessment's documents, pass 2)."""
    if items < (PARALLEL_FROM if parallel_from is None else parallel_from):
        return 1
    return max(1, min(workers or os.cpu_count() or 1, items))


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that die with this one; they start at once (a pool
    forks on its first submit), so they fork before the caller opens anything that must not
    cross a fork, such as a SQLite connection."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started,
                               initargs=(os.getpid(),))
    pool.submit(os.getpid).result()
    return pool


@contextlib.contextmanager
def pool_for(workers: int | None, items: int, *, parallel_from: int | None = None
             ) -> Iterator[tuple[ProcessPoolExecutor | None, int]]:
    """A pool for ``items`` items and its number of workers (see :func:`worker_count`);
    ``(None, 1)`` when they are better done here. Shut down on leaving: what has not started
    is cancelled (after an error), what runs finishes."""
    count = worker_count(workers, items, parallel_from=parallel_from)
    if count == 1:
        yield None, 1
        return
    pool = worker_pool(count)
    try:
        yield pool, count
    finally:
        pool.shutdown(cancel_futures=True)


def map_in(pool: Executor | None, func: Callable[[T], R], items: Iterable[T],
           *, workers: int = 1) -> Iterator[R]:
    """``func`` over ``items`` in order: in ``pool`` when there is one (in chunks, a few per
    worker, so a slow item does not hold the rest), else here."""
    if pool is None:
        return map(func, items)
    listed = list(items)
    chunk = max(1, len(listed) // (workers * 4))
    return pool.map(func, listed, chunksize=chunk)


def map_in_groups(pool: Executor | None, func: Callable[[list[T]], list[R]],
                  items: Iterable[T], *, workers: int = 1, size: int = 8) -> Iterator[R]:
    """:func:`map_in` for a ``func`` that takes a group of items (at most ``size``, fewer
    when that spreads the items better over the workers) and returns one result per item:
    the results of every item, in order. For work that runs faster a group at a time, such
    as reading workbooks (:func:`~kwl_office.excel.reader.read_workbooks`)."""
    listed = list(items)
    per = size if pool is None else max(1, min(size, len(listed) // (workers * 4)))
    groups = [listed[i:i + per] for i in range(0, len(listed), per)]
    # submitted now, as map_in does: the workers start while the caller does other work
    return itertools.chain.from_iterable(map_in(pool, func, groups, workers=workers))
