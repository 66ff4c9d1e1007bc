"""robots.txt, the same for every engine: point crawlers at the sitemap, keep them out of previews."""

from __future__ import annotations

from urllib.parse import urlsplit


def robots_txt(site_url: str | None, preview: bool) -> str:
    """The robots.txt of a site served at `site_url`; a preview is closed to crawlers altogether."""
    base = urlsplit(site_url or "/").path or "/"
    rules = "Disallow: /\n" if preview else f"Disallow: {base}pr-preview/\n"
    sitemap = "" if preview else f"Sitemap: {site_url}sitemap.xml\n"
    return f"User-agent: *\n{rules}{sitemap}"
