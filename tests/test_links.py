"""Links: every internal link and anchor of every target resolves; external links are listed, never fetched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, UNREACHABLE_PAGES, gated, run

from generator.tools.linkcheck import BrokenLink, check_links, declared_site_url


@gated
def test_every_internal_link_and_anchor_of_every_target_resolves(deliverable: Path, target: str) -> None:
    from_disk = target == "offline"
    site_url = None if from_disk else declared_site_url(deliverable)
    report = check_links(deliverable, site_url)
    broken = [str(link) for link in report.broken if link.page not in UNREACHABLE_PAGES.get(target, set())]
    assert broken == [], target
    # The check read the site (one that reads nothing passes everything): the navigation alone links every page.
    assert report.pages >= 2 and report.links >= 10 * report.pages, (report.pages, report.links)
    if target != "live":
        assert report.pages >= 23 and report.links >= 1000, (report.pages, report.links)  # the fixture catalogue's figures
    # Internal means internal: no page links to a file: URL or a bare host name by mistake.
    assert all(url.startswith("https://") for url in report.external), list(report.external)
    print(f"\n{target}: {report.pages} pages, {report.links} internal links checked, {len(report.external)} external listed")  # for `pytest -s`


def write(folder: Path, relative: str, html: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang=en><title>t</title>{html}</html>", encoding="utf-8")


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    """A hand-made site with one link of every kind that can break, and some that cannot."""
    site = tmp_path / "site"
    write(
        site,
        "index.html",
        """
        <a href="page.html">fine</a>
        <a href="page.html#dose">fine anchor</a>
        <a href="#top">fine anchor on this page</a>
        <a href="missing.html">broken file</a>
        <a href="page.html#no-such-heading">broken anchor</a>
        <a href="#nowhere">broken anchor on this page</a>
        <img src="img/missing.png" alt="">
        <img srcset="img/a.png 1x, img/gone.png 2x" alt="">
        <a href="sub/">folder</a>
        <a href="/medsite/page.html">root-absolute</a>
        <a href="../outside.html">leaves the site</a>
        <a href="https://example.com/x">external</a>
        <a href="mailto:editor@example.org">not a document</a>
        <p id="top">
        """,
    )
    write(site, "page.html", '<h2 id="dose">Dose</h2>')
    write(site, "sub/index.html", "")
    (site / "img").mkdir()
    (site / "img" / "a.png").write_bytes(b"")
    return site


def test_broken_files_and_anchors_are_reported_from_disk(tiny_site: Path) -> None:
    report = check_links(tiny_site)
    assert report.broken == [
        BrokenLink("index.html", "missing.html", "no file missing.html"),
        BrokenLink("index.html", "page.html#no-such-heading", "no element with id 'no-such-heading' in page.html"),
        BrokenLink("index.html", "#nowhere", "no element with id 'nowhere' in index.html"),
        BrokenLink("index.html", "img/missing.png", "no file img/missing.png"),
        BrokenLink("index.html", "img/gone.png", "no file img/gone.png"),
        BrokenLink("index.html", "sub/", "links to a folder: opened from disk it shows a file listing, not its index.html"),
        BrokenLink("index.html", "/medsite/page.html", "points outside the folder when opened from disk"),
        BrokenLink("index.html", "../outside.html", "points outside the folder when opened from disk"),
    ]
    assert report.external == {"https://example.com/x": ["index.html"]}
    assert (report.pages, report.links) == (3, 12)


def test_a_served_site_resolves_folders_and_its_own_root_absolute_links(tiny_site: Path) -> None:
    report = check_links(tiny_site, "https://example.org/medsite/")
    reasons = {link.href: link.reason for link in report.broken}
    assert "sub/" not in reasons and "/medsite/page.html" not in reasons
    assert reasons["../outside.html"] == "points outside the site (/medsite/)"
    assert reasons["missing.html"] == "no file missing.html"
    assert "https://example.org/medsite/sub/" in report.reached


def test_links_command_prints_one_line_per_broken_link_and_fails(tiny_site: Path) -> None:
    result = run(ROOT, "links", str(tiny_site), "--site-url", "https://example.org/medsite/")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "index.html: page.html#no-such-heading: no element with id 'no-such-heading' in page.html" in lines
    assert "index.html: missing.html: no file missing.html" in lines
    assert "External links (not fetched): 1" in lines and "  https://example.com/x (1 page)" in lines
    assert lines[-1] == "6 broken of 12 internal links on 3 pages (https://example.org/medsite/)"
    assert "Traceback" not in result.stderr


def test_links_command_passes_a_clean_site(targets: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "links", str(targets["preview"])], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 broken of ")
