"""Step 4, write: put rendered pages on disk, touching only files whose bytes changed.

Unchanged files keep their modification time, so the site engine and any cache downstream see
only real changes. The step writes only into a folder that is its own: new, empty, or holding the
marker file (`MARKER`) a previous write left, which lists the files it wrote. A file it wrote and
no longer produces is removed; a file it did not write is never touched.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.files import atomic_write_bytes
from generator.words import counted

# In every folder this step fills: the files it wrote there, one relative path a line.
MARKER = ".generated-files"


class NotOurFolder(Exception):
    """The output folder holds files this step did not write; nothing was written or removed."""


@dataclass
class WriteResult:
    """What one write did, for the build summary."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


# The hash of the text this process last wrote or found at each path, with the file's mtime and size
# then: `serve` writes the same thousands of files on every edit, and reading each back is most of that step.
_WRITTEN: dict[Path, tuple[int, int, int]] = {}


def write_tree(out_dir: Path, pages: dict[str, str], generated_folder: bool = False) -> WriteResult:
    """Make `out_dir` hold `pages` (relative path → text) and no file a previous write left that
    `pages` lacks; raise NotOurFolder, touching nothing, if `out_dir` is not this step's own.

    `generated_folder` says `out_dir` lies in the project's generated `build/` folder, where a
    folder written before the marker existed holds only files this step wrote.
    """
    previous = _written_before(out_dir, generated_folder)
    result = WriteResult()
    out_dir.mkdir(parents=True, exist_ok=True)
    # Listed before writing, so that files of a write that is stopped half-way are still known as ours.
    _list_written(out_dir, previous | pages.keys())
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
    for relative in sorted(previous - pages.keys()):
        stale = out_dir / relative
        if stale.is_file():
            stale.unlink()
            result.removed.append(relative)
        for folder in stale.parents:  # folders left empty by the removal go too, never out_dir itself
            if folder == out_dir or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()
    _list_written(out_dir, pages.keys())
    return result


def _written_before(out_dir: Path, generated_folder: bool) -> set[str]:
    """The files a previous write left in `out_dir` (none if it is new or empty); NotOurFolder if it is not ours."""
    if not out_dir.exists():
        return set()
    if not out_dir.is_dir():
        raise NotOurFolder(f"{out_dir}: not a folder (choose a new or empty folder to write into)")
    if (out_dir / MARKER).is_file():
        return set((out_dir / MARKER).read_text(encoding="utf-8").splitlines())
    present = sorted(path.relative_to(out_dir).as_posix() for path in out_dir.rglob("*") if not path.is_dir())
    if present and not generated_folder:
        raise NotOurFolder(
            f"{out_dir}: holds {counted(len(present), 'file')} this tool did not write (e.g. {present[0]}) and no {MARKER} marker; "
            "nothing was written or removed (choose a new or empty folder)"
        )
    return set(present)


def _list_written(out_dir: Path, written: Iterable[str]) -> None:
    atomic_write_bytes(out_dir / MARKER, "".join(f"{path}\n" for path in sorted(written)).encode("utf-8"))
