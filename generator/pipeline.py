"""The whole core, load → validate → render → write, behind one call."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .load import load_content
from .models import KINDS
from .render import RenderedSite, render_site
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
        """`2 drugs, 4 procedures, …; 24 pages (3 written, 21 unchanged, 0 removed)`."""
        counts = ", ".join(f"{len(self.catalogue.entities[kind])} {kind}" for kind in KINDS)
        w = self.written
        return f"{counts}; {len(self.site.pages)} pages ({len(w.written)} written, {w.unchanged} unchanged, {len(w.removed)} removed)"


def check(root: Path) -> Catalogue:
    """Load and validate all content under `root/content`; raise ContentError on problems."""
    return validate(load_content(root / "content", root))


def generate(root: Path, out_dir: Path) -> Generated:
    """Validate everything first, then render and write; a content error writes nothing."""
    start = time.perf_counter()
    catalogue = check(root)
    site = render_site(catalogue)
    written = write_tree(out_dir, site.pages)
    return Generated(catalogue, site, written, time.perf_counter() - start)
