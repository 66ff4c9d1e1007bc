"""At catalogue scale, listings and the navigation split by initial letter (generator/pages/letters.py),
so no page lists, and no navigation renders, a number of entries that grows with the catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import copy_project, run

from generator.pages.generate import generate
from generator.pages.letters import SPLIT_AT, by_letter, letter_of, letter_path
from generator.project import PACKAGE_ROOT as ROOT
from generator.project import Project
from generator.tools.synth import synthesise

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
def test_no_listing_or_navigation_section_grows_past_the_limit(catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.at(ROOT, catalogue)
    site = generate(project, tmp_path / "docs").site
    listings = re.compile(r"drugs/(index|letter-.*|compare.*|interactions.*)\.md")
    drugs = {path for path in site.pages if re.fullmatch(r"drugs/[a-z0-9-]+\.md", path) and not listings.fullmatch(path)}
    assert len(drugs) == DRUGS
    professional = {path.removesuffix(".md") + "/professional.md" for path in drugs}
    assert professional <= set(site.pages)
    # Reached from the letter pages and the A–Z index instead; each professional page from its drug's page.
    assert {path for path in site.not_in_nav if path.startswith("drugs/")} == drugs | professional
    drugs_nav = next(item["Drugs"] for item in site.nav if isinstance(item, dict) and "Drugs" in item)
    assert len(drugs_nav) <= 3 + 27  # index, comparison, interactions, one entry per letter
    linked = {m for path, text in site.pages.items() if re.match(r"drugs/letter-", path) for m in re.findall(r"\]\(([a-z0-9-]+)\.md\)", text)}
    assert drugs <= {f"drugs/{slug}.md" for slug in linked}  # every drug is on its letter page
    for path in ("drugs/index.md", "drugs/compare.md", "a-z.md", "drugs/interactions.md"):
        assert len(re.findall(r"\]\(", site.pages[path])) < SPLIT_AT, path
        assert "search:\n  exclude: true" not in site.pages[path]
    # Letter pages stay out of the search index (the entities they list are in it).
    assert "search:\n  exclude: true\n---" in site.pages["drugs/letter-a.md"]


@pytest.mark.slow
def test_a_split_catalogue_builds_in_strict_mode(catalogue: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = run(project, "--content", str(catalogue), "build", timeout=600)
    assert result.returncode == 0, result.stderr
    page = (project / "site/drugs/letter-a/index.html").read_text(encoding="utf-8")
    assert page.count('class="md-nav__link') < 4 * 40  # the navigation does not list the catalogue
    # The public site's search documents (search/shards/p/*.json: [location, title, text] each).
    locations = [doc[0] for path in (project / "site/search/shards/p").glob("*.json") for doc in json.loads(path.read_text(encoding="utf-8"))]
    assert not [loc for loc in locations if loc.startswith("drugs/letter-")] and [loc for loc in locations if loc.startswith("drugs/")]
