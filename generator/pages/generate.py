"""The whole core, load → validate → render → write, behind one call."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from generator.content.catalogue import Catalogue
from generator.content.lint import Finding, lint_validated
from generator.content.load import Unreadable, load_content, read_bounded
from generator.content.models import KINDS
from generator.content.validate import validate_all
from generator.errors import ContentError
from generator.files import atomic_write
from generator.memo import digest
from generator.pages.page_links import link_problems, unvalidated_pages
from generator.pages.proofread import proofread
from generator.pages.render import RenderedSite, render_site
from generator.pages.write import WriteResult, write_tree
from generator.project import Project
from generator.words import counted


@dataclass
class Generated:
    """What a generation produced, for the engine glue and the summary line."""

    site: RenderedSite
    written: WriteResult
    seconds: float
    counts: dict[str, int]  # entities by kind
    newest_review: datetime.date  # the date the content as a whole was last reviewed
    engine: str = ""  # what the engine did with the pages, e.g. how many it reused from its cache
    overdue: list[str] = dataclasses.field(default_factory=list)  # a warning per page whose review is overdue (`overdue_reviews`)

    def without_text(self) -> Generated:
        """What an engine needs (paths, navigation, dates), without the pages' text: it reads the written files."""
        site = RenderedSite(dict.fromkeys(self.site.pages, ""), self.site.nav, dict.fromkeys(self.site.files, ""), self.site.not_in_nav, self.site.redirects)
        return dataclasses.replace(self, site=site)

    def summary(self) -> str:
        """`drug 2, procedure 4, …; 24 pages (3 written, 21 unchanged, 1 removed; 1 data file removed)`."""
        counts = ", ".join(f"{kind} {self.counts[kind]}" for kind in KINDS)
        pages = self.site.pages
        # The counts are of pages; data files (the JSON export, `site.files`) are written alongside.
        written = [path for path in self.written.written if path in pages]
        removed = [path for path in self.written.removed if path.endswith(".md")]
        other = len(self.written.removed) - len(removed)
        data = f"; {counted(other, 'data file')} removed" if other else ""
        line = f"{counts}; {len(pages)} pages ({len(written)} written, {len(pages) - len(written)} unchanged, {len(removed)} removed{data})"
        return f"{line}; {self.engine}" if self.engine else line

    def source_date_epoch(self) -> int:
        """Build date for everything that embeds one: SOURCE_DATE_EPOCH, else the newest review, never the clock."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        return int(epoch) if epoch else int(datetime.datetime.combine(self.newest_review, datetime.time(), datetime.UTC).timestamp())


def check_content(project: Project, today: datetime.date | None = None, proofread_pages: bool = False) -> tuple[Catalogue, list[Finding]]:
    """What `python -m generator check` does: load and validate all content of `project`, check the
    hand-written pages' links and lint it against `today` (no lints without it); then, with
    `proofread_pages`, proofread the pages it renders to (`pages/proofread.py`).

    Every problem of every file is found in one run: a file that fails its model is left out of
    the checks that need it, and the others still run. ContentError holds the problems and the
    lints' errors together; otherwise the findings (warnings, and errors for `check` to report) are
    returned. Proofreading renders the whole site, so it waits for content without problems.
    """
    raw = load_content(project.content, project.root, project.sources)
    catalogue, problems = validate_all(raw)
    # One rendering for both anchor checks and proofreading, made only if either needs it.
    site = functools.cache(lambda: render_site(catalogue))
    problems += link_problems(catalogue, unvalidated_pages(raw, catalogue), None if problems else lambda: site().pages)
    findings = set(lint_validated(raw, catalogue, today)) if today else set()
    if problems:
        raise ContentError(problems + [finding.problem() for finding in findings if finding.severity == "error"])
    if proofread_pages:
        findings.update(proofread(catalogue, site()))
    return catalogue, sorted(findings)


def check(project: Project, today: datetime.date | None = None) -> Catalogue:
    """The valid content of `project`; ContentError on problems and, given `today`, on lint errors too.

    What `make check` refuses is never built: every build target passes `today`. Lint warnings
    (a review that is due) do not stop a build.
    """
    catalogue, findings = check_content(project, today)
    errors = [finding.problem() for finding in findings if finding.severity == "error"]
    if errors:
        raise ContentError(errors)
    return catalogue


def generate(
    project: Project,
    out_dir: Path,
    extra_pages: dict[str, str] | None = None,
    cache_file: Path | None = None,
    today: datetime.date | None = None,
    rendered: tuple[Catalogue, RenderedSite] | None = None,
) -> Generated:
    """Validate everything first (and lint it, given `today`), then render and write; a content error writes nothing.

    `extra_pages` (path → Markdown) are added to the site and its navigation, e.g. a preview's
    list of changed pages. With `cache_file`, a generation whose inputs (every content file, the
    generator's code and templates) are all unchanged is reloaded, not redone. `rendered` is
    `check(project, today)` and `render_site` of it, done already by the caller: not done again.
    """
    start = time.perf_counter()
    key = _inputs_key(project, extra_pages, today) if cache_file else None
    cached = _load_cached(cache_file, key) if cache_file and key else None
    if cached is not None:
        site, counts, newest_review, overdue = cached
    else:
        catalogue, rendered_site = rendered or (check(project, today), None)
        site = rendered_site or render_site(catalogue, today)
        overdue = overdue_reviews(catalogue, today)
        for path, text in (extra_pages or {}).items():
            if path not in site.pages:  # a new page joins the navigation; a replaced one keeps its place
                site.nav.append(path)
            site.pages[path] = text
        # What a reader reads, proofread on the Markdown every deliverable is built from.
        if findings := proofread(catalogue, site):
            raise ContentError([finding.problem() for finding in findings])
        counts = {kind: len(catalogue.entities[kind]) for kind in KINDS}
        newest_review = max(e.last_reviewed for e in catalogue.all())
    written = write_tree(out_dir, {**site.pages, **site.files}, generated_folder=out_dir.resolve().is_relative_to(project.build.resolve()))
    if cache_file and key and cached is None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)

        def store(path: Path) -> None:
            with path.open("wb") as stream:  # streamed: at catalogue scale the bytes would be a second copy in memory
                pickle.dump((key, site, counts, newest_review, overdue), stream, pickle.HIGHEST_PROTOCOL)

        atomic_write(cache_file, store)
    return Generated(site, written, time.perf_counter() - start, counts, newest_review, overdue=overdue)


def overdue_reviews(catalogue: Catalogue, today: datetime.date | None) -> list[str]:
    """`warning: drugs/cellex.md: review overdue since 2026-11-01 (…)` for each page whose next review is before `today`."""
    if today is None:
        return []
    dated = [(catalogue.path_of(entity), entity.next_review) for entity in catalogue.all()]
    dated += [(page.path, page.meta.next_review) for page in catalogue.pages]
    return [
        f"warning: {path}: review overdue since {due} (the page tells readers so; review it against its sources, then update last_reviewed and next_review)"
        for path, due in sorted(dated)
        if due < today
    ]


def _inputs_key(project: Project, extra_pages: dict[str, str] | None, today: datetime.date | None) -> str | None:
    """Digest of everything a generation reads, the date included (it decides which reviews are overdue).

    None if a content file cannot be read (the check then says why).
    """
    package = Path(__file__).resolve().parent.parent
    code = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".j2", ".yaml") and "__pycache__" not in p.parts)
    content = sorted(p for p in project.content.rglob("*") if p.is_file())
    parts: list[str | bytes] = [repr(sorted((extra_pages or {}).items())), str(today)]
    for path in code:
        parts += [path.as_posix(), path.read_bytes()]
    for path in content:
        try:
            parts += [path.as_posix(), read_bounded(path)]
        except Unreadable:
            return None
    return digest(*parts)


def _load_cached(cache_file: Path, key: str) -> tuple[RenderedSite, dict[str, int], datetime.date, list[str]] | None:
    """The rendered site, entity counts, newest review and overdue warnings stored under `key`, or None (the catalogue
    itself is not stored: loading thousands of models back costs more than the rest of a warm build)."""
    try:
        with cache_file.open("rb") as stream:
            stored_key, *stored = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if stored_key != key or len(stored) != 4:
        return None
    site, counts, newest_review, overdue = stored
    return site, counts, newest_review, overdue
