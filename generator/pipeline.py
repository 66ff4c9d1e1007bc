"""The whole core, load → validate → render → write, behind one call."""

from __future__ import annotations

import datetime
import os
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
        """`drug 2, procedure 4, …; 24 pages (3 written, 21 unchanged, 0 removed)`."""
        counts = ", ".join(f"{kind} {len(self.catalogue.entities[kind])}" for kind in KINDS)
        w = self.written
        return f"{counts}; {len(self.site.pages)} pages ({len(w.written)} written, {w.unchanged} unchanged, {len(w.removed)} removed)"

    @property
    def newest_review(self) -> datetime.date:
        """The date the content as a whole was last reviewed."""
        return max(e.last_reviewed for e in self.catalogue.all())

    def source_date_epoch(self) -> int:
        """Build date for everything that embeds one: SOURCE_DATE_EPOCH, else the newest review, never the clock."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        return int(epoch) if epoch else int(datetime.datetime.combine(self.newest_review, datetime.time(), datetime.UTC).timestamp())


def check(root: Path) -> Catalogue:
    """Load and validate all content under `root/content`; raise ContentError on problems."""
    return validate(load_content(root / "content", root))


def generate(root: Path, out_dir: Path, extra_pages: dict[str, str] | None = None) -> Generated:
    """Validate everything first, then render and write; a content error writes nothing.

    `extra_pages` (path → Markdown) are added to the site and its navigation, e.g. a preview's
    list of changed pages.
    """
    start = time.perf_counter()
    catalogue = check(root)
    site = render_site(catalogue)
    for path, text in (extra_pages or {}).items():
        site.pages[path] = text
        site.nav.append(path)
    written = write_tree(out_dir, site.pages)
    return Generated(catalogue, site, written, time.perf_counter() - start)
