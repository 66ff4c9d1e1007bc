"""The public address (SITE_URL): without it a build invents none; with it every absolute URL uses it.

A default `make site` (SITE_URL unset, which mkdocs.yml reads as "") writes no absolute URL to any
host: no canonical link, og:url, sitemap or print URL, a robots.txt without a sitemap line, and a
summary line that says so. With SITE_URL, canonical links, og:url, the sitemap, robots.txt, the 404
page and the print footer all use it. The offline bundle's README names the public address only
when there is one.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run

from generator.cli import NO_ADDRESS

pytestmark = pytest.mark.slow  # builds whole sites

ADDRESS = "https://reference.example.net/medicines/"
# Any absolute http(s) URL in a page's markup or a text file (the theme's own links to its makers
# are turned off: `extra.generator: false`), except names that are identifiers, never fetched:
# schema.org's vocabulary in JSON-LD, and the SVG and sitemap XML namespaces.
ABSOLUTE = re.compile(rb"https?://[^\s\"'<>)]+")
IDENTIFIERS = ("https://schema.org", "http://www.w3.org/2000/svg", "http://www.sitemaps.org/schemas/")


def build(tmp_path: Path, site_url: str) -> tuple[Path, str]:
    project = copy_project(tmp_path / "project")
    result = run(project, "build", env={"SITE_URL": site_url}, timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site", result.stdout


def absolute_urls(site: Path) -> dict[str, set[str]]:
    """Every absolute URL (not an identifier) in the site's HTML, XML and text files, by file."""
    found: dict[str, set[str]] = {}
    for path in sorted(site.rglob("*")):
        urls = {u.decode() for u in ABSOLUTE.findall(path.read_bytes())} if path.suffix in (".html", ".xml", ".txt") else set()
        if urls := {url for url in urls if not url.startswith(IDENTIFIERS)}:
            found[path.relative_to(site).as_posix()] = urls
    return found


def test_a_default_build_writes_no_absolute_address(tmp_path: Path) -> None:
    site, stdout = build(tmp_path, "")
    assert stdout.splitlines()[0].endswith(NO_ADDRESS), stdout
    assert absolute_urls(site) == {}
    page = (site / "drugs/cellex/index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in page and 'property="og:url"' not in page
    assert "Online version of this page" not in page and 'class="print-only"' not in page
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /pr-preview/\n"
    assert re.findall(r'<li><a href="([^"]*)">', (site / "404.html").read_text(encoding="utf-8")) == ["/", "/a-z/"]


def test_with_site_url_every_address_uses_it(tmp_path: Path) -> None:
    """The positive side: the same checks find the address where it belongs."""
    site, stdout = build(tmp_path, ADDRESS)
    assert NO_ADDRESS not in stdout
    page = (site / "drugs/cellex/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{ADDRESS}drugs/cellex/">' in page
    assert f'<meta property="og:url" content="{ADDRESS}drugs/cellex/">' in page
    assert f'<p class="print-only">Online version of this page: {ADDRESS}drugs/cellex/</p>' in page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{ADDRESS}drugs/cellex/</loc>" in sitemap
    assert (site / "robots.txt").read_text(encoding="utf-8") == f"User-agent: *\nDisallow: /medicines/pr-preview/\nSitemap: {ADDRESS}sitemap.xml\n"
    assert f'<a href="{ADDRESS}a-z/">' in (site / "404.html").read_text(encoding="utf-8")
    hosts = {re.sub(r"^(https?://[^/]+).*", r"\1", url) for urls in absolute_urls(site).values() for url in urls}
    assert hosts == {"https://reference.example.net"}


@pytest.mark.parametrize("site_url", ["", ADDRESS])
def test_the_offline_readme_names_the_public_address_only_when_set(tmp_path: Path, site_url: str) -> None:
    project = copy_project(tmp_path / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    for name in ("mkdocs-offline.yml", "pyproject.toml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    result = run(project, "offline", env={"SITE_URL": site_url}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(NO_ADDRESS) is (not site_url)
    (bundle,) = (project / "dist").glob("*.zip")
    with zipfile.ZipFile(bundle) as archive:
        readme = archive.read(f"{bundle.stem}/README.txt").decode("utf-8")
        pages = [archive.read(name) for name in archive.namelist() if name.endswith(".html")]
    if site_url:
        assert f"The public site: {site_url}\n" in readme
        assert any(f'rel="canonical" href="{site_url}'.encode() in page for page in pages)
    else:
        assert "public site:" not in readme and "http" not in readme
        assert not any(b'rel="canonical"' in page for page in pages)
