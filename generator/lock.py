"""One build at a time per checkout.

`build`, `offline`, `preview`, `serve` and `render` write the generated Markdown into `build/docs`
and keep caches in `build/cache`; two at once would write over each other. Each holds an exclusive
lock on `build/.lock` (released by the OS however the process ends, even by SIGKILL); a second one
refuses at once, naming the process that holds it. `check` reads only, and never waits.

The lock is portable: `fcntl.flock` on POSIX, `msvcrt.locking` on Windows, each imported only when a
build takes the lock, so `check` (and importing the CLI) needs neither.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from generator.errors import display_path
from generator.project import Project

LOCK_FILE = ".lock"


class BuildRunning(Exception):
    """Another build holds the checkout's lock (or the lock cannot be taken); the message is one line."""


@contextlib.contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """Hold the checkout's build lock for the block; BuildRunning if another process holds it."""
    path = project.build / LOCK_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise BuildRunning(f"cannot create the build lock {display_path(path, project.root)}: {error.strerror or error}") from None
    try:
        if not _lock_exclusive(descriptor):
            raise BuildRunning(f"another build is running (pid {_holder(descriptor)})")
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(descriptor)  # releases the lock; the file stays (removing it would race a process waiting on it)


def _lock_exclusive(descriptor: int) -> bool:
    """Take the OS's exclusive lock on the open file without waiting; False if another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: lock the file's first byte (released when the descriptor closes)
        import msvcrt

        os.lseek(descriptor, 0, os.SEEK_SET)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(descriptor: int) -> str:
    """The process id the lock's holder wrote into the file ("unknown" if it cannot be read)."""
    try:
        os.lseek(descriptor, 0, os.SEEK_SET)
        return os.read(descriptor, 32).decode("ascii", "replace").strip() or "unknown"
    except OSError:  # Windows refuses to read a locked byte range
        return "unknown"
