"""Work over many items on every core, in forked processes that inherit what the work reads.

Forking hands a worker the parent's memory as it is (the catalogue, the templates, the theme), so
nothing but the item's number goes to a worker and nothing but the result comes back.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import TypeVar

R = TypeVar("R")
# Fewer items than this are done in this process: forking costs more than it saves.
PARALLEL_FROM = 64

_WORK: Callable[[int], object] | None = None


def fork_map(work: Callable[[int], R], count: int, initializer: Callable[[], None] | None = None) -> Iterator[R]:
    """`work(0)`, …, `work(count - 1)` in order: in forked workers, one per core, when there are enough items."""
    global _WORK
    workers = os.cpu_count() or 1
    if workers < 2 or count < PARALLEL_FROM or multiprocessing.current_process().daemon:  # a worker cannot fork workers
        yield from map(work, range(count))
        return
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=initializer) as pool:
            yield from pool.imap(_run, range(count), chunksize=max(1, count // (workers * 8)))
    finally:
        _WORK = None


def _run(index: int) -> object:
    assert _WORK is not None
    return _WORK(index)
