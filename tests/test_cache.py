"""The page cache (generator/engines/mkdocs_adapter.py): a warm build re-renders exactly what changed and
equals a cold build byte for byte, whatever changed: content, a cross-referenced file, a template,
a theme override or mkdocs.yml."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_project, run, run_process, tree_digest

pytestmark = pytest.mark.slow  # every test builds a site, twice


def changed(before: dict[str, str], after: dict[str, str], suffix: str) -> set[str]:
    return {path for path in before.keys() | after.keys() if path.endswith(suffix) and before.get(path) != after.get(path)}


def page_of(path: str) -> str:
    """The page a Markdown or HTML file is: `drugs/cellex.md`, `drugs/cellex/index.html` → `drugs/cellex`."""
    return ("/" + path).removesuffix(".md").removesuffix(".html").removesuffix("/index").lstrip("/")


def build(project: Path, site: str = "site") -> tuple[int, int]:
    """Build into `site`; return how many pages MkDocs read and themed (the rest came from the cache).

    Always the copy's own `python -m generator`: one test edits the copy's template, and the cache
    keys name the code's files, which in-process are the checkout's.
    """
    result = run_process(project, "build", "--site-dir", str(project / site), timeout=300)
    assert result.returncode == 0, result.stderr
    read, themed = re.search(r"(\d+) read, (\d+) themed", result.stdout).groups()  # type: ignore[union-attr]
    return int(read), int(themed)


def cold_build_equals_warm(project: Path) -> None:
    """A build with an empty cache gives the same bytes as the warm build in site/."""
    shutil.rmtree(project / "build" / "cache" / "cold", ignore_errors=True)
    shutil.rmtree(project / "cold", ignore_errors=True)
    build(project, "cold")
    assert tree_digest(project / "cold") == tree_digest(project / "site")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("cache") / "project")
    build(project)
    return project


def test_nothing_changed_reuses_every_page(project: Path) -> None:
    before = tree_digest(project / "site")
    read, themed = build(project)
    assert (read, themed) == (0, 0)
    assert tree_digest(project / "site") == before


def _content_paragraph(project: Path) -> None:
    edit(project / "content/drug/cellex.yaml", "summary: ", "summary: Edited for the cache test. ")


def _cross_referenced_alias(project: Path) -> None:
    # A new alias changes the A–Z index and every page that shows or links by Ceraxon's names.
    edit(project / "content/drug/ceraxon.yaml", "aliases:\n", "aliases:\n  - Cacheproofin\n")


def _template(project: Path) -> None:
    edit(project / "generator/pages/templates/drug.md.j2", "## Related pages", "## Related pages (edited)")


@pytest.mark.parametrize("change", [_content_paragraph, _cross_referenced_alias, _template], ids=["content", "cross-reference", "template"])
def test_html_changes_exactly_where_the_markdown_changed(project: Path, change: Callable[[Path], None]) -> None:
    docs, site = tree_digest(project / "build" / "docs"), tree_digest(project / "site")
    change(project)
    read, themed = build(project)
    changed_markdown = {page_of(path) for path in changed(docs, tree_digest(project / "build" / "docs"), ".md")}
    changed_html = {page_of(path) for path in changed(site, tree_digest(project / "site"), ".html")}
    assert changed_markdown, "the change did not reach the Markdown"
    assert changed_html == changed_markdown
    assert read == themed == len(changed_markdown)
    cold_build_equals_warm(project)


def _override(project: Path) -> None:
    edit(project / "site-overrides/partials/disclaimer.html", "Not medical advice.", "Not medical advice (edited).")


def _config(project: Path) -> None:
    edit(project / "mkdocs.yml", "site_name: ", "site_name: Edited ")


@pytest.mark.parametrize("change", [_override, _config], ids=["override", "mkdocs.yml"])
def test_a_theme_or_config_change_rebuilds_every_page(project: Path, change: Callable[[Path], None]) -> None:
    site = tree_digest(project / "site")
    pages = {path for path in site if path.endswith(".html") and path != "404.html"}
    change(project)
    read, themed = build(project)
    assert read == themed == len(pages)
    assert changed(site, tree_digest(project / "site"), ".html") >= pages
    cold_build_equals_warm(project)


def test_entries_of_pages_a_build_did_not_use_are_pruned(tmp_path: Path) -> None:
    """A removed page's entries leave the cache: after each build it holds exactly the entries that build used."""
    project = copy_project(tmp_path / "project")
    cache = project / "build" / "cache" / "site"

    def keys_after_build() -> set[str]:
        result = run(project, "build", timeout=300)
        assert result.returncode == 0, result.stderr
        pages = int(re.search(r"MkDocs: (\d+) pages", result.stdout).group(1))  # type: ignore[union-attr]
        keys = {path.name.partition(".")[0] for path in cache.iterdir()}
        assert len(keys) == pages, "one entry per page of this build, none left from earlier ones"
        return keys

    before = keys_after_build()
    cellex = project / "content" / "drug" / "cellex.yaml"
    copy = cellex.with_name("cellex-copy.yaml")
    copy.write_text(cellex.read_text(encoding="utf-8").replace("title: Cellex", "title: Cellex copy", 1), encoding="utf-8")
    with_copy = keys_after_build()
    copy.unlink()
    after = keys_after_build()
    assert with_copy - before and not (with_copy - before) & after
    assert after == before  # the same content gives the same keys
