"""PR previews: built for a sub-path, marked on every page, and listing exactly the changed pages."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
from conftest import commit_all, copy_project, git, mount, run, serve_directory

from generator.deliverables.preview import COMMIT_MARKER, PageChanges, flag_unnoted
from generator.pages.generate import check
from generator.project import Project
from generator.tools.linkcheck import check_links

pytestmark = pytest.mark.slow  # builds a preview

PR = 7
SUB_PATH = f"/pr-preview/pr-{PR}/"


@pytest.fixture(scope="module")
def server_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("www")


@pytest.fixture(scope="module")
def base_url(server_root: Path) -> Iterator[str]:
    """A loopback HTTP server for `server_root`; the preview is mounted at its sub-path."""
    with serve_directory(server_root) as url:
        yield url


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
    # The edit changes the reader's page and the professional page, both rendered from the same file.
    assert "0 added, 2 changed, 0 removed vs main (2 changed without a new change note)" in result.stdout
    mount(server_root, SUB_PATH, project / "preview" / f"pr-{PR}")
    return project / "preview" / f"pr-{PR}"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_changes_page_lists_exactly_the_edited_page(preview: Path) -> None:
    text = (preview / "preview-changes" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Pull request 7 at commit [0-9a-f]{7,} compared with main", text)
    changed = re.search(r'id="changed-2".*?<ul>(.*?)</ul>', text, re.S)
    assert changed, "no 'Changed (2)' section"
    assert re.findall(r'href="([^"]+)"', changed.group(1)) == ["../drugs/cellex/", "../drugs/cellex/professional/"]
    assert 'id="added-0"' in text and 'id="removed-0"' in text
    # The PR changed what readers see without telling them: flagged for the reviewer.
    assert "</a>: <strong>no new change note</strong></li>" in changed.group(1)
    assert "2 of the changed pages gained no change note" in text


def test_a_changed_page_is_flagged_until_its_change_notes_gain_an_entry(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    cellex = project / "content/drug/cellex.yaml"
    text = cellex.read_text(encoding="utf-8")
    note = "Overdose: the wording now says no cases are known."
    cellex.write_text(text.replace("changes: []\n", f"changes:\n  - date: 2026-11-22\n    note: '{note}'\n"), encoding="utf-8")
    catalogue = check(Project.at(project))
    pages = ["drugs/cellex.md", "drugs/cellex/professional.md", "drugs/ceraxon.md", "changes.md", "preview-changes.md"]

    def flagged(base_notes: dict[tuple[str, str], set[tuple[str, str]]]) -> list[str]:
        changes = PageChanges(changed=list(pages))
        flag_unnoted(changes, base_notes, catalogue)
        return changes.unnoted

    # Cellex gained its note (for its professional view too); Ceraxon changed with none; listing pages are never flagged.
    assert flagged({("drug", "cellex"): set(), ("drug", "ceraxon"): set()}) == ["drugs/ceraxon.md"]
    # The base already had the same note: nothing new for readers.
    assert flagged({("drug", "cellex"): {("2026-11-22", note)}}) == ["drugs/cellex.md", "drugs/cellex/professional.md", "drugs/ceraxon.md"]
    # A base that predates change notes (no entry at all) counts as having none.
    assert flagged({}) == ["drugs/ceraxon.md"]


def test_every_page_has_the_banner_with_pr_and_commit_and_noindex(preview: Path) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=preview.parent.parent, capture_output=True, text=True, check=True).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{7,}", commit)
    for page in pages(preview):
        text = page.read_text(encoding="utf-8")
        assert f"Preview of pull request #7</strong> at commit <code>{commit}</code>. Not the published site." in text, page
        assert COMMIT_MARKER not in text, page
        assert '<meta name="robots" content="noindex, nofollow">' in text, page
    assert (preview / "robots.txt").read_text(encoding="utf-8").splitlines()[1] == "Disallow: /"


def test_no_root_absolute_links_outside_the_sub_path(preview: Path) -> None:
    for page in pages(preview):
        for link in re.findall(r'(?:href|src)="(/[^"]*)"', page.read_text(encoding="utf-8")):
            assert link.startswith(SUB_PATH), (page, link)


def test_every_link_works_when_served_from_the_sub_path(preview: Path, base_url: str) -> None:
    """Every internal link and anchor resolves inside the preview, and every page and asset they
    reach answers 200 from the loopback server at the sub-path."""
    report = check_links(preview, urljoin(base_url, SUB_PATH.lstrip("/")))
    assert [str(link) for link in report.broken] == []
    assert report.external == {}, "a preview links only to itself"
    failed = []
    for url in sorted(report.reached):
        try:
            with urlopen(url, timeout=10) as response:
                response.read()
        except HTTPError as error:
            failed.append((url, error.code))
    assert failed == []
    assert len([url for url in report.reached if url.endswith("/")]) >= 20, "the links did not reach the site's pages"
