"""The one way this project replaces a file: write beside it, then rename over it.

A reader (a browser, the engine, a second build) sees the old file or the new one, never half of
one; a killed process leaves only a `*.tmp` file, which the next run ignores or removes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Call `write(temporary)` for a temporary path beside `target`, then rename it over `target`.

    The temporary name carries the process id, so two processes never write the same one.
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace `target` with `data` atomically."""
    atomic_write(target, lambda path: path.write_bytes(data))
