"""One build at a time per checkout.

`build`, `offline`, `preview`, `serve` and `render` write the generated Markdown into `build/docs`
and keep caches in `build/cache`; two at once would write over each other. Each holds an exclusive
lock on `build/.lock` (released by the OS however the process ends, even by SIGKILL); a second one
refuses at once, naming the process that holds it. `check` reads only, and never waits.
"""

from __future__ import annotations

import contextlib
import fcntl
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
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise BuildRunning(f"another build is running (pid {holder})") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(descriptor)  # releases the lock; the file stays (removing it would race a process waiting on it)
