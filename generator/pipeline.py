"""The whole core, load → validate → render → write, behind one call."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .load import load_content
from .models import KINDS
from .render import TEMPLATES, RenderedSite, render_site
from .validate import validate
from .write import WriteResult, write_tree


@dataclass
class Generated:
    """What a generation produced, for the engine glue and the summary line."""

    catalogue: Catalogue
    site: RenderedSite
    written: WriteResult
    seconds: float

    def summary(self) -> str:
        """`drug 2, procedure 4, …; 24 pages (3 written, 21 unchanged, 0 removed)`."""
        counts = ", ".join(f"{kind} {len(self.catalogue.entities[kind])}" for kind in KINDS)
        w = self.written
        return f"{counts}; {len(self.site.pages)} pages ({len(w.written)} written, {w.unchanged} unchanged, {len(w.removed)} removed)"


def check(root: Path) -> Catalogue:
    """Load and validate all content under `root/content`; raise ContentError on problems."""
    return validate(load_content(root / "content", root))


def generate(root: Path, out_dir: Path, extra_pages: dict[str, str] | None = None) -> Generated:
    """Validate everything first, then render and write; a content error writes nothing.

    The CLI generates before it starts MkDocs (to report content errors cleanly) and the MkDocs
    hook generates again on every build; with the inputs unchanged the second call is free.
    `extra_pages` (path → Markdown) are added to the site and its navigation, e.g. a preview's
    list of changed pages.
    """
    extras = tuple(sorted((extra_pages or {}).items()))
    key = (root.resolve(), out_dir.resolve(), _fingerprint(root), extras)
    if key in _last:
        return _last[key]
    start = time.perf_counter()
    catalogue = check(root)
    site = render_site(catalogue)
    for path, text in extras:
        site.pages[path] = text
        site.nav.append(path)
    written = write_tree(out_dir, site.pages)
    _last.clear()
    _last[key] = Generated(catalogue, site, written, time.perf_counter() - start)
    return _last[key]


_last: dict[tuple[object, ...], Generated] = {}


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Path, size and modification time of every input file: cheap, and changes on any edit."""
    files = sorted(p for folder in (root / "content", TEMPLATES) if folder.is_dir() for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), (st := p.stat()).st_size, st.st_mtime_ns) for p in files)
