"""Broken internal links and anchors in a built site, found by reading its HTML; nothing is fetched.

Every ``href``/``src``/``srcset``/``poster``/``data`` of the elements that load or link something is
resolved the way a browser would, against the page's own URL. A link into the site must name a file
that exists (a folder URL needs its ``index.html``) and its ``#fragment`` must be an ``id`` on the
target page. Links elsewhere are collected as external and never requested.

Where the folder is published matters for root-absolute links (``/medsite/...``) and for absolute
links to the site's own address: pass ``site_url`` for a folder served over HTTP (the public site, a
preview). Without it the folder is taken as opened from disk (the offline bundle): a root-absolute
link then leaves the folder, and a link to a folder shows a file listing instead of its page.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# (element, attribute) pairs whose value is a URL the browser follows or loads.
URL_ATTRIBUTES = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("input", "src"),
    ("object", "data"),
    ("form", "action"),
    ("blockquote", "cite"),
    ("q", "cite"),
}
SRCSET_ELEMENTS = {"img", "source"}
# Schemes that name no document: nothing to check and nothing to report.
NOT_DOCUMENTS = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
# A stand-in address for a folder opened from disk: links that resolve outside it leave the folder.
DISK_ROOT = "file:///offline-folder/"


@dataclass(frozen=True)
class BrokenLink:
    """One link that does not reach its target, as `page: href: reason`."""

    page: str
    href: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.href}: {self.reason}"


@dataclass
class LinkReport:
    """What a check found: counts, broken internal links, and external links by URL."""

    pages: int = 0
    links: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)
    # Every internal URL the links lead to, without its fragment: what a crawler would request.
    reached: set[str] = field(default_factory=set)


@dataclass
class _Page:
    """The links and element ids of one HTML page."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    base: str | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.page.ids.add(value)
            elif tag == "base" and name == "href" and self.page.base is None:
                self.page.base = value.strip()
            elif (tag, name) in URL_ATTRIBUTES:
                self.page.links.append(value.strip())
            elif name == "srcset" and tag in SRCSET_ELEMENTS:
                # "a.png 1x, b.png 2x": the URL is each candidate's first word.
                self.page.links.extend(candidate.split()[0] for candidate in value.split(",") if candidate.strip())

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


def declared_site_url(site: Path) -> str | None:
    """The address the site says it is published at: the folder of its home page's canonical link."""
    home = site / "index.html"
    if not home.is_file():
        return None
    match = re.search(r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"']+)["']""", home.read_text(encoding="utf-8", errors="replace"))
    return urljoin(match.group(1), ".") if match else None


def check_links(site: Path, site_url: str | None = None) -> LinkReport:
    """Check every internal link and anchor of every HTML page under `site`.

    `site_url` is where the folder is served (e.g. ``https://example.org/medsite/``); ``None``
    means it is opened from disk. Returns the counts, each broken link (sorted by page) and
    the external links with the pages that use them.
    """
    root = urljoin(site_url or DISK_ROOT, ".")
    root_parts = urlsplit(root)
    pages = {path.relative_to(site).as_posix(): _parse(path) for path in sorted(site.rglob("*.html"))}
    report = LinkReport(pages=len(pages))
    external: defaultdict[str, set[str]] = defaultdict(set)
    for relative, page in pages.items():
        page_url = urljoin(root, relative)
        if page.base:
            page_url = urljoin(page_url, page.base)
        for href in page.links:
            if href.lower().startswith(NOT_DOCUMENTS):
                continue
            url = urljoin(page_url, href)
            parts = urlsplit(url)
            if (parts.scheme, parts.netloc) != (root_parts.scheme, root_parts.netloc):
                external[url].add(relative)
                continue
            report.links += 1
            report.reached.add(parts._replace(fragment="").geturl())
            reason = _problem(site, root_parts.path, parts.path, unquote(parts.fragment), pages, from_disk=site_url is None)
            if reason:
                report.broken.append(BrokenLink(relative, href, reason))
    report.external = {url: sorted(users) for url, users in sorted(external.items())}
    return report


def _problem(site: Path, root_path: str, path: str, fragment: str, pages: dict[str, _Page], *, from_disk: bool) -> str | None:
    """Why a link to `path#fragment` (a URL path on the site's host) fails, or None if it works."""
    if not path.startswith(root_path):
        where = "the folder when opened from disk" if from_disk else f"the site ({root_path})"
        return f"points outside {where}"
    relative = unquote(path[len(root_path) :])
    if "//" in path:
        return "empty segment '//' in the path"
    target = site / relative
    if relative == "" or relative.endswith("/") or target.is_dir():
        if from_disk:
            return "links to a folder: opened from disk it shows a file listing, not its index.html"
        relative = posixpath.join(relative, "index.html")
        target = site / relative
    if not target.is_file():
        return f"no file {relative}"
    if fragment and relative in pages and fragment not in pages[relative].ids:
        return f"no element with id '{fragment}' in {relative}"
    return None
