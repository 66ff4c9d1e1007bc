"""Step 4, write: put rendered pages on disk, touching only files whose bytes changed.

Unchanged files keep their modification time, so the site engine and any cache downstream see
only real changes. Files this step did not produce are removed: the output folder is ours.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from generator.files import atomic_write_bytes


@dataclass
class WriteResult:
    """What one write did, for the build summary."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


# The hash of the text this process last wrote or found at each path, with the file's mtime and size
# then: `serve` writes the same thousands of files on every edit, and reading each back is most of that step.
_WRITTEN: dict[Path, tuple[int, int, int]] = {}


def write_tree(out_dir: Path, pages: dict[str, str]) -> WriteResult:
    """Make `out_dir` hold exactly `pages` (relative path → text)."""
    result = WriteResult()
    out_dir.mkdir(parents=True, exist_ok=True)
    for relative, text in sorted(pages.items()):
        # Paths come from validated slugs; this guards the guarantee, it is not the check.
        # (A string check, not Path.resolve: resolving thousands of paths is most of an unchanged write.)
        if posixpath.normpath(relative) != relative or relative.startswith("/") or relative.split("/")[0] == "..":
            raise ValueError(f"refusing to write outside {out_dir}: {relative}")
        target = out_dir / relative
        try:
            stat = target.stat()
            if _WRITTEN.get(target) == (hash(text), stat.st_mtime_ns, stat.st_size) or target.read_bytes() == text.encode("utf-8"):
                _WRITTEN[target] = (hash(text), stat.st_mtime_ns, stat.st_size)
                result.unchanged += 1
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, text.encode("utf-8"))
        stat = target.stat()
        _WRITTEN[target] = (hash(text), stat.st_mtime_ns, stat.st_size)
        result.written.append(relative)
    for path in sorted(out_dir.rglob("*"), reverse=True):
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif (relative := path.relative_to(out_dir).as_posix()) not in pages:
            path.unlink()
            result.removed.append(relative)
    return result
