"""The whole core, load → validate → render → write, behind one call."""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .history import read_history
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
    engine: str = ""  # what the engine did with the pages, e.g. how many it reused from its cache

    def summary(self) -> str:
        """`drug 2, procedure 4, …; 24 pages (3 written, 21 unchanged, 0 removed)`."""
        counts = ", ".join(f"{kind} {len(self.catalogue.entities[kind])}" for kind in KINDS)
        pages = self.site.pages
        # The counts are of pages; data files (the JSON export, `site.files`) are written alongside.
        written = [path for path in self.written.written if path in pages]
        removed = [path for path in self.written.removed if path.endswith(".md")]
        line = f"{counts}; {len(pages)} pages ({len(written)} written, {len(pages) - len(written)} unchanged, {len(removed)} removed)"
        return f"{line}; {self.engine}" if self.engine else line

    @property
    def newest_review(self) -> datetime.date:
        """The date the content as a whole was last reviewed."""
        return max(e.last_reviewed for e in self.catalogue.all())

    def source_date_epoch(self) -> int:
        """Build date for everything that embeds one: SOURCE_DATE_EPOCH, else the newest review, never the clock."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        return int(epoch) if epoch else int(datetime.datetime.combine(self.newest_review, datetime.time(), datetime.UTC).timestamp())


# Builds another content folder (a synthetic catalogue, say) with this project's templates and config.
CONTENT_ENV = "MEDSITE_CONTENT"


def content_dir(root: Path) -> Path:
    """The content folder: `$MEDSITE_CONTENT` when set (`--content DIR`), else `root/content`."""
    override = os.environ.get(CONTENT_ENV)
    return Path(override).resolve() if override else root / "content"


def check(root: Path) -> Catalogue:
    """Load and validate all content of the project at `root`; raise ContentError on problems."""
    return validate(load_content(content_dir(root), root))


def generate(root: Path, out_dir: Path, extra_pages: dict[str, str] | None = None) -> Generated:
    """Validate everything first, then render and write; a content error writes nothing.

    `extra_pages` (path → Markdown) are added to the site and its navigation, e.g. a preview's
    list of changed pages.
    """
    start = time.perf_counter()
    catalogue = check(root)
    site = render_site(catalogue, read_history(content_dir(root)))
    for path, text in (extra_pages or {}).items():
        site.pages[path] = text
        site.nav.append(path)
    written = write_tree(out_dir, {**site.pages, **site.files})
    return Generated(catalogue, site, written, time.perf_counter() - start)
