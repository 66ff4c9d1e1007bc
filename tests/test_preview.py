"""PR previews: built for a sub-path, marked on every page, and listing exactly the changed pages."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from conftest import commit_all, copy_project, git, run

PR = 7
SUB_PATH = f"/pr-preview/pr-{PR}/"


@pytest.fixture(scope="module")
def server_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("www")


@pytest.fixture(scope="module")
def base_url(server_root: Path) -> Iterator[str]:
    """A loopback HTTP server for `server_root`; the preview is mounted at its sub-path."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(server_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory, server_root: Path, base_url: str) -> Path:
    """A git history where a PR edits one YAML field, previewed against main."""
    project = copy_project(tmp_path_factory.mktemp("preview") / "project")
    commit_all(project, "base")
    git(project, "checkout", "-q", "-b", "edit-cellex")
    cellex = project / "content/drug/cellex.yaml"
    text = cellex.read_text(encoding="utf-8")
    assert "no reported cases of Cellex overdose" in text
    cellex.write_text(text.replace("no reported cases of Cellex overdose", "no known cases of Cellex overdose", 1), encoding="utf-8")
    git(project, "commit", "-q", "-am", "Cellex: clarify overdose")
    result = run(project, "preview", "--pr", str(PR), "--base", "main", timeout=300, env={"SITE_URL": base_url})
    assert result.returncode == 0, result.stderr
    assert "0 added, 1 changed, 0 removed vs main" in result.stdout
    mount = server_root / "pr-preview"
    mount.mkdir()
    (mount / f"pr-{PR}").symlink_to(project / "preview" / f"pr-{PR}")
    return project / "preview" / f"pr-{PR}"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_changes_page_lists_exactly_the_edited_page(preview: Path) -> None:
    text = (preview / "preview-changes" / "index.html").read_text(encoding="utf-8")
    changed = re.search(r'id="changed-1".*?<ul>(.*?)</ul>', text, re.S)
    assert changed, "no 'Changed (1)' section"
    assert re.findall(r'href="([^"]+)"', changed.group(1)) == ["../drugs/cellex/"]
    assert 'id="added-0"' in text and 'id="removed-0"' in text


def test_every_page_has_the_banner_and_noindex(preview: Path) -> None:
    short_commit = re.compile(r"Preview of pull request #7</strong> at commit [0-9a-f]{7,}")
    for page in pages(preview):
        text = page.read_text(encoding="utf-8")
        assert short_commit.search(text), page
        assert '<meta name="robots" content="noindex, nofollow">' in text, page
    assert (preview / "robots.txt").read_text(encoding="utf-8").splitlines()[1] == "Disallow: /"


def test_no_root_absolute_links_outside_the_sub_path(preview: Path) -> None:
    for page in pages(preview):
        for link in re.findall(r'(?:href|src)="(/[^"]*)"', page.read_text(encoding="utf-8")):
            assert link.startswith(SUB_PATH), (page, link)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("mailto:", "tel:", "javascript:", "data:")):
                self.links.append(value)


def test_every_link_works_when_served_from_the_sub_path(preview: Path, base_url: str) -> None:
    """Crawl from the preview's root over loopback; every internal link and asset must answer 200."""
    start = urljoin(base_url, SUB_PATH.lstrip("/"))
    seen: set[str] = set()
    queue = [start]
    broken: list[tuple[str, int]] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urlopen(url, timeout=10) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except HTTPError as error:
            broken.append((url, error.code))
            continue
        if kind != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urldefrag(urljoin(url, link)).url
            if urlsplit(target).netloc == urlsplit(start).netloc and urlsplit(target).path.startswith(SUB_PATH):
                queue.append(target)
    assert broken == []
    assert len([u for u in seen if u.endswith("/")]) >= 20, "the crawl did not reach the site's pages"
