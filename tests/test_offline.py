"""The offline bundle, opened from disk in Chromium exactly as a reader with a USB stick would."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import recorded_page, search
from conftest import ROOT, copy_project, run

pytestmark = pytest.mark.slow  # builds the offline bundle

if TYPE_CHECKING:
    from playwright.sync_api import Browser

LOCAL = ("file:", "data:", "blob:")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundle in a copy of the project, unzip it, return the unpacked folder."""
    project = copy_project(tmp_path_factory.mktemp("offline") / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    for name in ("mkdocs-offline.yml", "pyproject.toml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    result = run(project, "offline", timeout=300)
    assert result.returncode == 0, result.stderr
    zips = list((project / "dist").glob("medsite-offline-*.zip"))
    assert len(zips) == 1
    unpacked = project / "unpacked"
    with zipfile.ZipFile(zips[0]) as archive:
        names = archive.namelist()
        assert len({name.split("/")[0] for name in names}) == 1, "the zip must unpack to one folder"
        archive.extractall(unpacked)
    return next(unpacked.iterdir())


def test_bundle_carries_a_readme_with_version_and_content_date(bundle: Path) -> None:
    readme = (bundle / "README.txt").read_text(encoding="utf-8")
    assert "version 0.1.0" in readme and "Content last reviewed: 2026-11-22" in readme and "index.html" in readme


def test_navigation_and_search_work_from_disk_with_no_request_leaving_it(bundle: Path, browser: Browser) -> None:
    with recorded_page(browser) as recorded:
        page = recorded.page
        page.goto((bundle / "index.html").as_uri())
        assert page.title().startswith("Medicines and procedures reference")
        page.locator("nav.md-nav--primary a", has_text="Ceraxon").first.click()
        page.wait_for_url("**/drugs/ceraxon.html")
        assert page.locator("h1").inner_text().startswith("Ceraxon")

        for query in ("citicoline", "Cerakson"):
            hits = search(page, query)
            assert any("drugs/ceraxon.html" in href for href in hits), (query, hits)
        hits = search(page, "macrophage")
        assert any("procedures/m2-macrophage-therapy.html" in href for href in hits), hits
        page.locator(".md-search-result__item a", has_text="macrophage").first.click()
        page.wait_for_url(re.compile(r".*/procedures/m2-macrophage-therapy\.html(\?.*)?$"))

        assert recorded.requests, "the recorder saw nothing: the test would prove nothing"
        assert recorded.foreign_requests(LOCAL) == []
