"""What every engine writes after a build: robots.txt, and no sitemap for a site without an address."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

# The sitemap files MkDocs and Material write (Zensical writes the first).
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")


def robots_txt(site_url: str | None, preview: bool) -> str:
    """The robots.txt of a site served at `site_url`; a preview is closed to crawlers altogether.

    Without a public address there is no sitemap to point at (a sitemap needs absolute URLs).
    """
    base = urlsplit(site_url or "/").path or "/"
    rules = "Disallow: /\n" if preview else f"Disallow: {base}pr-preview/\n"
    sitemap = f"Sitemap: {site_url}sitemap.xml\n" if site_url and not preview else ""
    return f"User-agent: *\n{rules}{sitemap}"


def finish_site(site_dir: Path, site_url: str | None, preview: bool) -> None:
    """Write robots.txt; without a public address, remove the sitemap (its URLs would have no host)."""
    (site_dir / "robots.txt").write_text(robots_txt(site_url, preview), encoding="utf-8")
    if not site_url:
        for name in SITEMAPS:
            (site_dir / name).unlink(missing_ok=True)
