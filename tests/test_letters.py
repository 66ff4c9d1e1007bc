"""At catalogue scale, listings and the navigation split by initial letter (generator/pages/letters.py),
so no page lists, and no navigation renders, a number of entries that grows with the catalogue."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, run

from generator.content.models import KINDS
from generator.pages.generate import check, generate
from generator.pages.letters import SPLIT_AT, by_letter, letter_of, letter_path
from generator.pages.render import CHANGES_PAGE, NAV_ENTITIES_UP_TO, SOURCES_PAGE, listing_parts
from generator.project import PACKAGE_ROOT as ROOT
from generator.project import Project
from generator.tools.synth import synthesise

sys.path.insert(0, str(ROOT / "bench"))
from site_shape import clicks_from_home  # bench/ holds scripts, not a package

DRUGS = 120  # more than SPLIT_AT: drugs split, the smaller kinds do not


def test_small_listings_stay_one_page() -> None:
    assert [(p.path, p.letter, len(p.items)) for p in by_letter("a-z.md", ["b", "a"], str)] == [("a-z.md", "", 2)]


def test_large_listings_become_a_page_per_letter() -> None:
    names = [f"{letter}{i}" for letter in "cab" for i in range(SPLIT_AT)] + ["9lives", "Éclair"]
    parts = by_letter("drugs/index.md", names, str)
    assert [(p.path, p.letter) for p in parts] == [
        ("drugs/index.md", ""),
        ("drugs/letter-other.md", "#"),
        ("drugs/letter-a.md", "A"),
        ("drugs/letter-b.md", "B"),
        ("drugs/letter-c.md", "C"),
        ("drugs/letter-e.md", "E"),
    ]
    assert parts[0].items == [] and parts[0].letters == parts[1].letters
    assert sorted(item for p in parts for item in p.items) == sorted(names)
    assert letter_of("éclair") == "E" and letter_path("a-z.md", "#") == "a-z-other.md"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("letters") / "catalogue"
    synthesise(out, DRUGS, seed=7)
    return out


@pytest.mark.slow  # renders a synthetic catalogue large enough to split
def test_no_listing_or_navigation_section_grows_past_the_limit(catalogue: Path, tmp_path: Path) -> None:
    project = Project.at(ROOT, catalogue)
    site = generate(project, tmp_path / "docs").site
    parsed = check(project)
    drugs = {parsed.path_of(drug) for drug in parsed.of_kind("drug")}
    assert len(drugs) == DRUGS
    professional = {path.removesuffix(".md") + "/professional.md" for path in drugs}
    assert professional <= set(site.pages)
    # The navigation is on every page: it holds each listing's first page, never its letter pages,
    # and a kind's entities only while they are few (the catalogue has kinds on both sides).
    in_nav = set(_paths(site.nav))
    assert not in_nav & site.not_in_nav
    assert in_nav | site.not_in_nav == set(site.pages)
    parts = [part for listing in listing_parts(parsed).values() for part in listing]
    assert {part.path for part in parts if part.letter} <= site.not_in_nav
    fixed = {part.path for part in parts if not part.letter} | {page.path for page in parsed.pages} | {CHANGES_PAGE, SOURCES_PAGE}
    entities_in_nav = in_nav - fixed
    sides = set()
    for kind in KINDS:
        entities = {parsed.path_of(entity) for entity in parsed.of_kind(kind)}
        few = len(entities) <= NAV_ENTITIES_UP_TO
        assert entities <= (entities_in_nav if few else site.not_in_nav), kind
        sides.add(few)
    assert sides == {True, False}
    assert entities_in_nav <= {parsed.path_of(entity) for entity in parsed.all()}
    # Each drug is on its letter page, and so is its professional page: three clicks from home.
    linked = {m for path, text in site.pages.items() if re.match(r"drugs/letter-", path) for m in re.findall(r"\]\(([a-z0-9/-]+)\.md\)", text)}
    assert drugs | professional <= {f"drugs/{slug}.md" for slug in linked}
    for path in ("drugs/index.md", "drugs/compare.md", "a-z.md", "drugs/interactions.md"):
        assert len(re.findall(r"\]\(", site.pages[path])) < SPLIT_AT, path
        assert "search:\n  exclude: true" not in site.pages[path]
    # Letter pages stay out of the search index (the entities they list are in it).
    assert "search:\n  exclude: true\n---" in site.pages["drugs/letter-a.md"]


def _paths(nav: list[Any]) -> Iterator[str]:
    """Every page path in a navigation tree of MkDocs' shape."""
    for item in nav:
        if isinstance(item, str):
            yield item
        else:
            for value in item.values():
                yield from _paths(value) if isinstance(value, list) else [value]


@pytest.mark.slow
def test_a_split_catalogue_builds_in_strict_mode(catalogue: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = run(project, "--content", str(catalogue), "build", timeout=600)
    assert result.returncode == 0, result.stderr
    page = (project / "site/drugs/letter-a/index.html").read_text(encoding="utf-8")
    assert page.count('class="md-nav__link') < 4 * 40  # the navigation does not list the catalogue
    drug = next((project / "site/drugs").glob("*/professional/index.html")).parent.parent / "index.html"
    assert "letter-" not in drug.read_text(encoding="utf-8")  # nor the letter pages
    # A reader still reaches every page within three clicks of the home page.
    depth = clicks_from_home(project / "site")
    assert [page for page, clicks in depth.items() if clicks is None or clicks > 3] == []
    # The public site's search documents (search/shards/p/*.json: [location, title, text] each).
    locations = [doc[0] for path in (project / "site/search/shards/p").glob("*.json") for doc in json.loads(path.read_text(encoding="utf-8"))]
    assert not [loc for loc in locations if loc.startswith("drugs/letter-")] and [loc for loc in locations if loc.startswith("drugs/")]
