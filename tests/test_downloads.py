"""The offline zip on the public site: the About page links to the Offline copy page, which links to
the zip published beside it at `downloads/medsite-offline-<version>-<date>.zip` (deploy.yml builds
the bundle, then the site with `--offline-zip`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import ROOT, copy_project, run

from generator.content.catalogue import Catalogue
from generator.tools.linkcheck import check_links

pytestmark = pytest.mark.slow  # builds the offline bundle and two sites

ADDRESS = "https://example.org/medsite/"


def href_of(html: str, text: str) -> str:
    """The href of the one link whose text is `text`."""
    found = re.findall(rf'<a href="([^"]+)"[^>]*>{re.escape(text)}</a>', html)
    assert len(found) == 1, (text, found)
    return found[0]


def resolve(site: Path, page_url: str, href: str) -> Path:
    """The file a link on the page at `page_url` (relative to the site) leads to."""
    target = urlsplit(urljoin(ADDRESS + page_url, href)).path.removeprefix(urlsplit(ADDRESS).path)
    path = site / target
    return path / "index.html" if target.endswith("/") or not target else path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("downloads") / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    for name in ("mkdocs-offline.yml", "pyproject.toml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    result = run(project, "offline", timeout=300)
    assert result.returncode == 0, result.stderr
    return project


def test_the_about_page_leads_to_the_published_zip(project: Path, catalogue: Catalogue) -> None:
    (bundle,) = (project / "dist").glob("*.zip")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    reviewed = max(entity.last_reviewed for entity in catalogue.all())
    assert bundle.name == f"medsite-offline-{version}-{reviewed.isoformat()}.zip"

    result = run(project, "build", "--offline-zip", str(bundle), timeout=300)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    downloads = resolve(site, "about/", href_of((site / "about/index.html").read_text(encoding="utf-8"), "offline copy"))
    assert downloads == site / "downloads/index.html"
    published = resolve(site, "downloads/", href_of(downloads.read_text(encoding="utf-8"), bundle.name))
    assert published == site / "downloads" / bundle.name
    assert published.read_bytes() == bundle.read_bytes()
    report = check_links(site, ADDRESS)
    assert [str(link) for link in report.broken] == []
    assert ADDRESS + "downloads/" + bundle.name in report.reached


def test_without_the_zip_the_page_says_so_and_links_nowhere(project: Path, tmp_path: Path) -> None:
    result = run(project, "build", "--site-dir", str(tmp_path / "site"), timeout=300)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site/downloads/index.html").read_text(encoding="utf-8")
    assert "This copy of the site does not include it." in page
    assert ".zip" not in page
    assert list((tmp_path / "site/downloads").iterdir()) == [tmp_path / "site/downloads/index.html"]


def test_a_missing_zip_is_refused_in_one_line(project: Path, tmp_path: Path) -> None:
    result = run(project, "build", "--site-dir", str(tmp_path / "site"), "--offline-zip", str(tmp_path / "nothing.zip"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"build: --offline-zip {tmp_path / 'nothing.zip'}: expected the zip"), result.stderr
    assert not (tmp_path / "site").exists()
