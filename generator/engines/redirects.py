"""Redirect pages at a renamed entity's old addresses, the same for every engine.

Each is a small HTML file at the old page's URL: a meta refresh and a link to the new page (so it
works with scripts off and from disk), a canonical link to the new page (absolute with SITE_URL,
else relative: never an invented host) and `noindex`. Written after the engine built the site, at
the URL style the site uses (`drugs/old/` or, in the offline bundle, `drugs/old.html`).
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from urllib.parse import urljoin

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} has moved</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>This page has moved: <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


def page_url(path: str, directory_urls: bool) -> str:
    """The URL (relative to the site) of the page written from docs path `path`."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem if directory_urls else f"{stem}index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def write_redirects(site_dir: Path, redirects: dict[str, tuple[str, str]], directory_urls: bool, site_url: str | None) -> None:
    """Write a redirect page at each old path's URL, pointing at its new page."""
    for old, (new, title) in redirects.items():
        old_url, new_url = page_url(old, directory_urls), page_url(new, directory_urls)
        file = old_url + "index.html" if old_url.endswith("/") or not old_url else old_url
        href = posixpath.relpath(new_url, posixpath.dirname(file) or ".") + ("/" if new_url.endswith("/") else "")
        canonical = urljoin(site_url, new_url) if site_url else href
        target = site_dir / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(PAGE.format(title=html.escape(title), href=html.escape(href), canonical=html.escape(canonical)), encoding="utf-8")
