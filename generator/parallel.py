"""Work in forked processes that inherit what the work reads: over many items on every core
(`fork_map`), or once in a child whose memory is gone when it is done (`in_child`).

Forking hands a worker the parent's memory as it is (the catalogue, the templates, the theme), so
nothing but the item's number goes to a worker and nothing but the result comes back. An error
comes back with the frames it was raised through (`child_frames`), which pickling would otherwise
drop with its traceback: a template error still names its template's file and line.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

R = TypeVar("R")
# Fewer items than this are done in this process: forking costs more than it saves.
PARALLEL_FROM = 64

_WORK: Callable[[int], object] | None = None


def fork_map(work: Callable[[int], R], count: int, initializer: Callable[[], None] | None = None, smallest: int = PARALLEL_FROM) -> Iterator[R]:
    """`work(0)`, …, `work(count - 1)` in order: in forked workers, one per core, from `smallest` items on."""
    global _WORK
    if not forks(count, smallest):
        yield from map(work, range(count))
        return
    workers = os.cpu_count() or 1
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=initializer) as pool:
            yield from pool.imap(_run, range(count), chunksize=max(1, count // (workers * 8)))
    finally:
        _WORK = None


def forks(count: int, smallest: int = PARALLEL_FROM) -> bool:
    """Whether `fork_map` of `count` items forks: more than one core, enough items, and not in a worker (it cannot fork)."""
    return (os.cpu_count() or 1) > 1 and count >= smallest and not multiprocessing.current_process().daemon


def _run(index: int) -> object:
    assert _WORK is not None
    try:
        return _WORK(index)
    except BaseException as error:
        with_frames(error)
        raise


def with_frames(error: BaseException) -> BaseException:
    """`error` carrying, as `child_frames`, the (file, line) of every frame it was raised through, innermost last."""
    frames = [(frame.filename, frame.lineno or 1) for frame in traceback.extract_tb(error.__traceback__)]
    with contextlib.suppress(AttributeError):  # an exception type without a __dict__ goes without them
        error.child_frames = [*frames, *getattr(error, "child_frames", [])]  # type: ignore[attr-defined]
    return error


class ChildFailed(Exception):
    """The child process died without a result (killed, out of memory) or its error could not be sent."""


def in_child(work: Callable[[], R]) -> R:
    """`work()` in a forked child process; its result (pickled) comes back, its exception is raised here.

    Whatever the work allocates on the way (parsed YAML, every page's text) is the child's and is
    gone with it, instead of staying in this process, whose allocator would keep it.
    """
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_send_result, args=(work, writer))
    child.start()
    writer.close()
    try:
        succeeded, value = reader.recv()
    except EOFError:
        child.join()
        raise ChildFailed(f"the child process ended with exit code {child.exitcode} and no result") from None
    finally:
        reader.close()
    child.join()
    if succeeded:
        return value  # type: ignore[no-any-return]
    raise value


def _send_result(work: Callable[[], object], writer: Any) -> None:
    try:
        result: tuple[bool, object] = (True, work())
    except BaseException as error:
        result = (False, with_frames(error))
    try:
        writer.send(result)
    except Exception:  # an unpicklable result or error: send its description instead
        succeeded, value = result
        what = traceback.format_exc() if succeeded else "".join(traceback.format_exception(value))  # type: ignore[arg-type]
        writer.send((False, ChildFailed(what)))
