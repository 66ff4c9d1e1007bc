"""Step 4, write: put rendered pages on disk, touching only files whose bytes changed.

Unchanged files keep their modification time, so the site engine and any cache downstream see
only real changes. Files this step did not produce are removed: the output folder is ours.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteResult:
    """What one write did, for the build summary."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_tree(out_dir: Path, pages: dict[str, str]) -> WriteResult:
    """Make `out_dir` hold exactly `pages` (relative path → text)."""
    result = WriteResult()
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    for relative, text in sorted(pages.items()):
        target = (out_dir / relative).resolve()
        # Paths come from validated slugs; this guards the guarantee, it is not the check.
        if not target.is_relative_to(root):
            raise ValueError(f"refusing to write outside {out_dir}: {relative}")
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            result.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        result.written.append(relative)
    wanted = {(out_dir / relative).resolve() for relative in pages}
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            result.removed.append(path.relative_to(root).as_posix())
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return result
