"""Renamed pages keep their address: `renamed_from:` writes a redirect at each old URL, `check`
refuses a rename that would hide a page or leave a link dead, and a preview lists the redirect.

The fixture catalogue's drug `cellex` is renamed to `cellex-injection` (file renamed, the old slug
listed under `renamed_from:`) in a copy of the project.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import TEST_SITE_URL, commit_all, copy_project, git, run, serve_directory

from generator.engines.redirects import page_url, write_redirects
from generator.tools.linkcheck import check_links

OLD, NEW = "cellex", "cellex-injection"
PROBLEM = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$")


def rename(project: Path, old: str = OLD, new: str = NEW, listed: tuple[str, ...] = (OLD,), kind: str = "drug") -> Path:
    """Rename content/<kind>/<old>.yaml to <new>.yaml and list `listed` under `renamed_from:`."""
    source = project / "content" / kind / f"{old}.yaml"
    target = source.with_name(f"{new}.yaml")
    text = source.read_text(encoding="utf-8")
    source.unlink()
    target.write_text(text + "renamed_from:\n" + "".join(f"  - {slug}\n" for slug in listed), encoding="utf-8")
    return target


def only_problem(project: Path) -> dict[str, str]:
    """The one problem `check` reports, as its parts; fails unless check refuses with exactly one line."""
    result = run(project, "check")
    assert result.returncode == 1, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[-1] == "1 problem found; nothing was built.", result.stderr
    match = PROBLEM.match(lines[0])
    assert match, lines[0]
    return match.groupdict()


def last_line_of(path: Path, text: str) -> str:
    """The number of the last line that is exactly `text` (`renamed_from:` is appended at the end)."""
    return str(max(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text))


# --- check ---------------------------------------------------------------------------------------


def test_a_rename_with_its_old_slug_passes_check(project: Path) -> None:
    rename(project)
    result = run(project, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("ceraxon", "drugs/ceraxon/ is still a page, content/drug/ceraxon.yaml"),  # would hide a page
        (NEW, "is this file's own slug"),
        ("compare", "is the name of a page the drugs/ section generates"),  # drugs/compare/
        ("Cellex", "renamed_from[0]"),  # not a slug
    ],
)
def test_a_rename_that_would_hide_a_page_is_refused(project: Path, listed: str, expected: str) -> None:
    path = rename(project, listed=(listed,))
    problem = only_problem(project)
    assert (problem["path"], problem["line"], problem["field"]) == (f"content/drug/{NEW}.yaml", last_line_of(path, f"  - {listed}"), "renamed_from[0]")
    assert expected in f"{problem['field']}: {problem['message']}", problem


def test_an_old_slug_claimed_twice_is_refused(project: Path) -> None:
    rename(project)
    ceraxon = project / "content/drug/ceraxon.yaml"
    ceraxon.write_text(ceraxon.read_text(encoding="utf-8") + f"renamed_from:\n  - {OLD}\n", encoding="utf-8")
    problem = only_problem(project)
    assert problem["field"] == "renamed_from[0]" and f"also listed by drugs/{NEW}" in problem["message"]
    assert problem["path"] in ("content/drug/ceraxon.yaml", f"content/drug/{NEW}.yaml")


def test_a_hand_written_link_to_the_old_address_names_the_new_one(project: Path) -> None:
    rename(project)
    about = project / "content/pages/about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\nSee [Cellex](drugs/{OLD}.md).\n", encoding="utf-8")
    problem = only_problem(project)
    assert problem["path"] == "content/pages/about.md" and problem["field"] == "(body)"
    assert problem["message"] == f"link 'drugs/{OLD}.md' leads to a renamed page (expected its new address: 'drugs/{NEW}.md')"


def test_a_reference_to_the_old_slug_names_the_new_one(project: Path) -> None:
    referring = [p for p in sorted((project / "content").rglob("*.yaml")) if re.search(r"^provider: iskitim-cp-centre$", p.read_text(encoding="utf-8"), re.M)]
    assert referring, "the fixture has procedures of this provider"
    rename(project, "iskitim-cp-centre", "iskitim-centre", ("iskitim-cp-centre",), kind="provider")
    result = run(project, "check")
    assert result.returncode == 1
    reported = [line for line in result.stderr.splitlines() if "was renamed" in line]
    assert {line.split(":")[0] for line in reported} >= {p.relative_to(project).as_posix() for p in referring}
    assert all(line.endswith("provider 'iskitim-cp-centre' was renamed to 'iskitim-centre' (expected its new slug)") for line in reported)


# --- the redirect pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "directory_urls", "url"),
    [("drugs/x.md", True, "drugs/x/"), ("drugs/x.md", False, "drugs/x.html"), ("drugs/x/professional.md", False, "drugs/x/professional.html")],
)
def test_page_urls_follow_the_sites_url_style(path: str, directory_urls: bool, url: str) -> None:
    assert page_url(path, directory_urls) == url


def test_from_disk_the_redirect_links_a_file(tmp_path: Path) -> None:
    """The offline bundle (file URLs): the old page's file points at the new page's file, relatively."""
    write_redirects(tmp_path, {"drugs/a/professional.md": ("drugs/b/professional.md", "B & co")}, False, None)
    text = (tmp_path / "drugs/a/professional.html").read_text(encoding="utf-8")
    assert 'content="0; url=../b/professional.html"' in text and '<link rel="canonical" href="../b/professional.html">' in text
    assert "<title>B &amp; co has moved</title>" in text


@pytest.mark.slow
def test_the_old_address_redirects_to_the_new_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    rename(project)
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for old, new in ((f"drugs/{OLD}/", f"drugs/{NEW}/"), (f"drugs/{OLD}/professional/", f"drugs/{NEW}/professional/")):
        assert (site / new / "index.html").is_file()
        text = (site / old / "index.html").read_text(encoding="utf-8")
        refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', text)
        assert refresh and not refresh[1].startswith(("/", "http")), text  # relative: works at any address and from disk
        assert urljoin(TEST_SITE_URL + old, refresh[1]) == TEST_SITE_URL + new
        assert f'<a href="{refresh[1]}">Cellex</a>' in text
        assert f'<link rel="canonical" href="{TEST_SITE_URL}{new}">' in text
        assert '<meta name="robots" content="noindex">' in text
    assert f"drugs/{OLD}/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    report = check_links(site, TEST_SITE_URL)
    assert [str(link) for link in report.broken] == []
    assert f"{TEST_SITE_URL}drugs/{NEW}/" in report.reached


@pytest.mark.slow
def test_a_reader_at_the_old_address_lands_on_the_new_page(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "project")
    rename(project)
    assert run(project, "build", env={"SITE_URL": ""}, timeout=300).returncode == 0
    with serve_directory(project / "site") as url:
        page = browser.new_page()
        try:
            page.goto(f"{url}drugs/{OLD}/")
            page.wait_for_url(f"{url}drugs/{NEW}/")
            assert page.locator("h1").inner_text().startswith("Cellex")
        finally:
            page.close()


@pytest.mark.slow
def test_the_preview_lists_the_redirect(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    commit_all(project, "base")
    git(project, "checkout", "-q", "-b", "rename")
    rename(project)
    commit_all(project, "rename cellex")
    result = run(project, "preview", "--pr", "5", "--base", "main", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "(2 removed now redirecting)" in result.stdout
    text = (project / "preview/pr-5/preview-changes/index.html").read_text(encoding="utf-8")
    removed = re.search(r'id="removed-2".*?<ul>(.*?)</ul>', text, re.S)
    assert removed, text
    assert f'(drugs/{OLD}.md): its address now redirects to <a href="../drugs/{NEW}/">Cellex</a>' in removed.group(1)
    assert f'(drugs/{OLD}/professional.md): its address now redirects to <a href="../drugs/{NEW}/professional/">' in removed.group(1)
