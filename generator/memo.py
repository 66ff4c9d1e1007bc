"""Remember work whose inputs did not change, within one process.

`serve` regenerates the whole site on every edit; at catalogue scale, parsing, validating and
rendering a thousand unchanged files is most of that wait. Every entry is keyed by a digest of
everything the work read, so a hit returns exactly what the work would return; a new process
starts empty, so a one-off build is unaffected.

Memos remember only once `remember()` is called (by `serve`, and by a preview, which renders its
pages twice). A one-off build keeps nothing: the parsed YAML of thousands of files is freed as
soon as it is validated, instead of staying in memory through the whole build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")
_remembering = False


def remember(on: bool = True) -> None:
    """Make every memo in this process keep its results (or, with False, stop keeping new ones)."""
    global _remembering
    _remembering = on


class Memo(Generic[V]):
    """Results by key; forgets everything past `limit` entries (edits in a long session pile up)."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self.items: dict[str, V] = {}

    def get(self, key: str, make: Callable[[], V]) -> V:
        """The remembered result for `key`, else `make()` (remembered if memos are on)."""
        if key in self.items:
            return self.items[key]
        if not _remembering:
            return make()
        if len(self.items) >= self.limit:
            self.items.clear()
        value = self.items[key] = make()
        return value


def digest(*parts: str | bytes) -> str:
    """A collision-safe key for a sequence of strings and bytes (each part length-prefixed)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()
