"""What a built site weighs and how deep its pages are, read off the built files (for `make bench`).

- `entity_page_sizes(site, section, slugs)`: the HTML size of each entity page, e.g. every drug's
  `drugs/<slug>/index.html` (the reader's page, not its further views);
- `site_bytes(site)`: every file of the site;
- `clicks_from_home(site)`: for every HTML page, the fewest link clicks from the home page, following
  the `<a href>` links the built pages hold (navigation included), as a reader would.

    python bench/site_shape.py SITE_DIR [CONTENT_DIR]   # the figures above (drug pages with CONTENT_DIR)
"""

from __future__ import annotations

import posixpath
import re
import sys
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Every link a reader can click: an <a> element's href (not stylesheets, scripts or icons).
_ANCHOR_HREF = re.compile(r"<a\s[^>]*?\bhref=\"([^\"]*)\"", re.IGNORECASE)
MB = 1000 * 1000
# Pages a reader never reaches by a link: the 404 page is what the server shows for a missing URL.
NOT_LINKED = frozenset({"404.html"})


def entity_page_sizes(site: Path, section: str, slugs: list[str]) -> dict[str, int]:
    """The size in bytes of each entity's own page, `<section>/<slug>/index.html`, by slug."""
    return {slug: (site / section / slug / "index.html").stat().st_size for slug in slugs}


def site_bytes(site: Path) -> int:
    """The size of every file of the built site."""
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


# Where each part of a Material page starts, in page order (for `page_parts`).
_PARTS = (
    ("head (metadata, JSON-LD, styles)", "<head>"),
    ("header and search box", "<body"),
    ("navigation (sidebar; the phone's menu drawer)", '<div class="md-sidebar md-sidebar--primary"'),
    ("table of contents", '<div class="md-sidebar md-sidebar--secondary"'),
    ("the page's own text", "<article"),
    ("footer and scripts", "</article>"),
)


def page_parts(html: str) -> list[tuple[str, int]]:
    """A Material page's size by part (bytes of UTF-8), in page order; a part the page lacks is left out."""
    starts = [(name, html.find(marker)) for name, marker in _PARTS]
    found = [(name, start) for name, start in starts if start >= 0]
    ends = [start for _, start in found[1:]] + [len(html)]
    return [(name, len(html[start:end].encode("utf-8"))) for (name, start), end in zip(found, ends, strict=True)]


def folder_sizes(site: Path) -> dict[str, int]:
    """Bytes under each top-level entry of the site, largest first."""
    sizes: dict[str, int] = {}
    for path in site.rglob("*"):
        if path.is_file():
            top = path.relative_to(site).parts[0]
            sizes[top] = sizes.get(top, 0) + path.stat().st_size
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def _page_of(site: Path, page: str, href: str) -> str | None:
    """The site-relative HTML file a link on `page` leads to, or None when it leaves the site or is not a page."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another site, mailto:, or a link within the page
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if target.startswith("../") or target == "..":
        return None
    if target == ".":
        target = ""
    candidate = posixpath.join(target, "index.html") if parts.path.endswith("/") or not posixpath.splitext(target)[1] else target
    candidate = candidate.lstrip("/")
    return candidate if candidate.endswith(".html") and (site / candidate).is_file() else None


def clicks_from_home(site: Path) -> dict[str, int | None]:
    """Every HTML page of the site (but the 404 page) with the fewest clicks from `index.html`; None when no link leads there."""
    pages = sorted(str(path.relative_to(site)) for path in site.rglob("*.html"))
    depth: dict[str, int | None] = {page: None for page in pages if page not in NOT_LINKED}
    depth["index.html"] = 0
    queue = deque(["index.html"])
    while queue:
        page = queue.popleft()
        html = (site / page).read_text(encoding="utf-8", errors="replace")
        for href in _ANCHOR_HREF.findall(html):
            target = _page_of(site, page, href.replace("&amp;", "&"))
            if target is not None and target in depth and depth[target] is None:
                depth[target] = depth[page] + 1  # type: ignore[operator]
                queue.append(target)
    return depth


def deepest(depth: dict[str, int | None]) -> int | None:
    """The most clicks any page needs from the home page; None when some page cannot be reached at all."""
    values = list(depth.values())
    return None if None in values else max(values, default=0)  # type: ignore[type-var]


def main() -> int:
    site = Path(sys.argv[1])
    depth = clicks_from_home(site)
    unreached = sorted(page for page, clicks in depth.items() if clicks is None)
    most = max((clicks for clicks in depth.values() if clicks is not None), default=0)
    print(f"{len(depth)} pages; most clicks from home: {most}; out of reach: {len(unreached)}")
    for page in unreached[:20]:
        print(f"  out of reach: {page}")
    size = site_bytes(site)
    print(f"site: {size / MB:.1f} MB; by folder: " + ", ".join(f"{top} {part / MB:.1f}" for top, part in list(folder_sizes(site).items())[:6]))
    if len(sys.argv) > 2:  # the content folder: its drugs' pages
        slugs = [path.stem for path in (Path(sys.argv[2]) / "drug").glob("*.yaml")]
        sizes = entity_page_sizes(site, "drugs", slugs)
        ordered = sorted(sizes.values())
        views = sum((site / "drugs" / slug / "professional" / "index.html").stat().st_size for slug in slugs)
        per_1000 = size / MB * 1000 / len(slugs)
        print(f"{len(slugs)} drugs: {per_1000:.1f} MB per 1,000 drugs; their pages {sum(ordered) / MB:.1f} MB, professional pages {views / MB:.1f} MB")
        print(f"drug page HTML: largest {ordered[-1] / 1024:.1f} KiB, median {ordered[len(ordered) // 2] / 1024:.1f} KiB")
        largest = max(sizes, key=sizes.__getitem__)
        for name, part in page_parts((site / "drugs" / largest / "index.html").read_text(encoding="utf-8")):
            print(f"  largest ({largest}): {name}: {part / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
