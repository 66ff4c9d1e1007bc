"""Links in hand-written pages must lead somewhere: checked against the pages the site will have.

MkDocs would refuse a dead link too (strict mode), but in its own words, after rendering, at the
generated Markdown. Checked here, `python -m generator check` reports it at the content file's line.
A link's anchor (`page.md#section`, `#section`) must be an id of the page it leads to: its
headings' ids, read off the rendered Markdown the way the engine makes them (`search_entries.anchor_ids`).
The site is rendered for this only when some link has an anchor.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Mapping
from urllib.parse import unquote, urlsplit

from generator.content.catalogue import Catalogue
from generator.content.load import RawContent, split_page
from generator.content.models import KINDS
from generator.content.page_body import links
from generator.errors import ContentProblem
from generator.pages.render import redirects, site_paths
from generator.pages.search_entries import anchor_ids


def link_problems(
    catalogue: Catalogue, unvalidated: frozenset[str] = frozenset(), rendered_pages: Callable[[], Mapping[str, str]] | None = None
) -> list[ContentProblem]:
    """One problem for every relative link or image in a hand-written page that leads to no page or file
    of the site, or to an anchor its page does not have.

    `unvalidated` are the pages (`drugs/cellex`) of content files that failed validation: they
    have their own problem lines, so a link to them, or below them, is not reported as well.
    Anchors are checked only given `rendered_pages`, called at the first link with an anchor: it
    renders the whole site, which needs content without problems (the caller shares that rendering).
    """
    known: set[str] | None = None
    moved = redirects(catalogue)
    problems = []
    for page in catalogue.pages:
        for link in links(page.body):
            target = _target(link.url, page.path)
            if target is None or _below(target, unvalidated):
                continue
            known = known if known is not None else site_paths(catalogue)
            if target in known:
                fragment = unquote(urlsplit(link.url).fragment)
                checked = rendered_pages is not None and fragment and target.endswith(".md")
                if checked and (problem := _anchor_problem(link.url, fragment, target, rendered_pages()[target])):
                    problems.append(ContentProblem(page.shown_path, page.body_line + link.line, "(body)", problem))
                continue
            what = "image" if link.image else "link"
            if target in moved:
                new = posixpath.relpath(moved[target][0], posixpath.dirname(page.path) or ".")
                message = f"{what} {link.url!r} leads to a renamed page (expected its new address: {new!r})"
                problems.append(ContentProblem(page.shown_path, page.body_line + link.line, "(body)", message))
                continue
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


def _anchor_problem(url: str, fragment: str, target: str, markdown: str) -> str | None:
    """Why `#fragment` leads nowhere on the rendered page `target`, or None."""
    front_matter = split_page(markdown)
    ids = anchor_ids(front_matter[1] if isinstance(front_matter, tuple) else markdown)
    if fragment in ids:
        return None
    close = difflib.get_close_matches(fragment, sorted(ids), n=1)
    hint = f"did you mean '#{close[0]}'?" if close else "e.g. " + ", ".join(f"'#{i}'" for i in sorted(ids)[:3])
    return f"link {url!r} leads to no anchor '#{fragment}' on {target} (expected the id of one of its headings: {hint})"


def _target(url: str, here: str) -> str | None:
    """The docs path a relative link points to (`here` for an anchor on the page itself), or None for a
    link this check leaves alone (another site, an absolute path)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        return None  # another site; an absolute path is refused with the page's body
    if not parts.path:
        return here if parts.fragment else None
    return posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(parts.path)))
