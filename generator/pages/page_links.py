"""Links in hand-written pages must lead somewhere: checked against the pages the site will have.

MkDocs would refuse a dead link too (strict mode), but in its own words, after rendering, at the
generated Markdown. Checked here, `python -m generator check` reports it at the content file's line.
Anchors (`page.md#section`) are left to MkDocs: they are known only once pages are rendered.
"""

from __future__ import annotations

import difflib
import posixpath
from urllib.parse import unquote, urlsplit

from generator.content.catalogue import Catalogue
from generator.content.load import RawContent
from generator.content.models import KINDS
from generator.content.page_body import links
from generator.errors import ContentProblem
from generator.pages.render import site_paths


def link_problems(catalogue: Catalogue, unvalidated: frozenset[str] = frozenset()) -> list[ContentProblem]:
    """One problem for every relative link or image in a hand-written page that leads to no page or file of the site.

    `unvalidated` are the pages (`drugs/cellex`) of content files that failed validation: they
    have their own problem lines, so a link to them, or below them, is not reported as well.
    """
    known: set[str] | None = None
    problems = []
    for page in catalogue.pages:
        for link in links(page.body):
            target = _target(link.url, page.path)
            if target is None or _below(target, unvalidated):
                continue
            known = known if known is not None else site_paths(catalogue)
            if target in known:
                continue
            what = "image" if link.image else "link"
            close = difflib.get_close_matches(target, sorted(p for p in known if p.endswith(".md")), n=1)
            hint = f"did you mean {posixpath.relpath(close[0], posixpath.dirname(page.path) or '.')!r}?" if close else "e.g. drugs/index.md"
            message = f"{what} {link.url!r} leads to no page of the site (expected a .md page of the site relative to this one: {hint})"
            problems.append(ContentProblem(page.shown_path, page.body_line + link.line, "(body)", message))
    return problems


def unvalidated_pages(raw: RawContent, catalogue: Catalogue) -> frozenset[str]:
    """The pages (`drugs/cellex`, `about`) of the content files that failed validation."""
    entities = {f"{KINDS[kind].section}/{slug}" for kind, slug in raw.found if kind in KINDS and slug not in catalogue.entities[kind]}
    valid_pages = {page.slug for page in catalogue.pages}
    return frozenset(entities | {page.slug for page in raw.pages if page.slug not in valid_pages})


def _below(target: str, pages: frozenset[str]) -> bool:
    """Whether `target` is one of `pages` (`drugs/cellex.md`) or inside one (`drugs/cellex/professional.md`)."""
    stem = target.removesuffix(".md")
    return any(stem == page or stem.startswith(page + "/") for page in pages)


def _target(url: str, here: str) -> str | None:
    """The docs path a relative link points to, or None for a link this check leaves alone (another site, an anchor, an absolute path)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/") or not parts.path:
        return None  # another site, this page's own anchor; an absolute path is refused with the page's body
    return posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(parts.path)))
