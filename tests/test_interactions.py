"""The interaction overview: one row per interaction a monograph states, linked both ways, with
links that resolve in the built site, and a plain statement that it is not an interaction checker."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import pytest
from conftest import both_catalogues, run

from generator.content.catalogue import Catalogue
from generator.content.models import DrugMonograph
from generator.pages.render import RenderedSite, listing_path

OVERVIEW_PAGE = listing_path(DrugMonograph, "interactions")

ROW = re.compile(r"^\| \[(?P<drug>[^\]]+)\]\((?P<href>[^)]+)\) \| (?P<agent>.+?) \| (?P<effect>.+) \|$", re.M)
HREF = re.compile(r'href="([^"#]*)(?:#([^"]*))?"')


def rows(markdown: str) -> list[dict[str, str]]:
    return [match.groupdict() for match in ROW.finditer(markdown)]


def interactions_section(markdown: str) -> str:
    """The monograph's 4.5 section, up to the next `## ` heading."""
    return markdown.split("{#interactions}", 1)[1].split("\n## ", 1)[0]


@both_catalogues
def test_one_row_per_interaction_the_monographs_state(any_catalogue: Catalogue, any_rendered: RenderedSite) -> None:
    drugs = [d for d in any_catalogue.of_kind("drug") if isinstance(d, DrugMonograph)]
    expected = [(d.title, f"{any_catalogue.slug_of(d)}.md#interactions", i.effect) for d in drugs for i in d.interactions]
    shown = [(r["drug"], r["href"], html.unescape(r["effect"])) for r in rows(any_rendered.pages[OVERVIEW_PAGE])]
    assert shown == expected


def test_the_fixture_catalogue_states_four_interactions(rendered: RenderedSite) -> None:
    """The row check above can fail: the frozen catalogue's overview has exactly its four rows."""
    assert len(rows(rendered.pages[OVERVIEW_PAGE])) == 4


@both_catalogues
def test_overview_says_it_is_not_a_checker_and_is_in_the_drugs_section(any_rendered: RenderedSite) -> None:
    rendered = any_rendered
    page = rendered.pages[OVERVIEW_PAGE]
    assert '!!! warning "Not an interaction checker"' in page
    assert "reports only the interactions that the source documents of the monographs on this site state" in page
    drugs_section = next(item["Drugs"] for item in rendered.nav if isinstance(item, dict) and "Drugs" in item)
    assert OVERVIEW_PAGE in drugs_section


@both_catalogues
def test_every_monograph_links_back_from_its_interactions_section(any_catalogue: Catalogue, any_rendered: RenderedSite) -> None:
    catalogue, rendered = any_catalogue, any_rendered
    for drug in catalogue.of_kind("drug"):
        section = interactions_section(rendered.pages[catalogue.path_of(drug)])
        assert "[interaction overview](interactions.md)" in section, drug.title
        assert "[interaction overview]" not in rendered.pages[catalogue.path_of(drug)].replace(section, ""), "only in 4.5"


def add_interactions(project: Path) -> None:
    """Two synthetic interactions in a copy of Cellex: one naming Ceraxon by a trade-name spelling,
    one by slug. Test data only; never content."""
    path = project / "content/drug/cellex.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "interactions:\n"
    assert text.count(anchor) == 1
    added = (
        "  - agent: Ceraxone\n    effect: Synthetic test row by name.\n"
        "  - agent: Citicoline products\n    effect: Synthetic test row by slug.\n    drug: ceraxon\n"
    )
    path.write_text(text.replace(anchor, anchor + added), encoding="utf-8")


def test_an_added_interaction_adds_a_row_linking_to_the_other_drug(project: Path, rendered: RenderedSite) -> None:
    before = rows(rendered.pages[OVERVIEW_PAGE])
    add_interactions(project)
    result = run(project, "render", "--out", "out")
    assert result.returncode == 0, result.stderr
    after = rows((project / "out" / OVERVIEW_PAGE).read_text(encoding="utf-8"))
    assert len(after) == len(before) + 2
    added = {r["agent"]: r for r in after if r["effect"].startswith("Synthetic")}
    assert added["[Ceraxone](ceraxon.md)"]["drug"] == "Cellex"  # matched by one of Ceraxon's names
    assert added["[Citicoline products](ceraxon.md)"]["href"] == "cellex.md#interactions"  # matched by slug
    # Named agents without a page stay plain text (the check can fail: it is not "every agent links").
    assert {r["agent"] for r in after if r["agent"] == "Levodopa"} == {"Levodopa"}


@pytest.mark.slow
def test_links_resolve_in_the_built_site(project: Path) -> None:
    """Built in strict mode (a broken link or anchor fails it), then every link of the overview and
    of the monographs' back-links is followed to a file and an id in it."""
    add_interactions(project)
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    overview = (site / "drugs/interactions/index.html").read_text(encoding="utf-8")
    table = overview.split("<table>", 1)[1].split("</table>", 1)[0]
    links = HREF.findall(table)
    assert len(links) == 4 + 2 * 2  # each row's monograph, plus the other drug in the two added rows
    for href, anchor in links:
        assert resolve(site, "drugs/interactions/", href, anchor), (href, anchor)
    ceraxon = (site / "drugs/ceraxon/index.html").read_text(encoding="utf-8")
    back = re.search(r'href="([^"]*)">interaction overview</a>', ceraxon)
    assert back and resolve(site, "drugs/ceraxon/", back.group(1), "")
    # The resolver can fail: a link to a missing anchor or page does not resolve.
    assert not resolve(site, "drugs/interactions/", "../cellex/", "no-such-section")
    assert not resolve(site, "drugs/interactions/", "../no-such-drug/", "")


def resolve(site: Path, here: str, href: str, anchor: str) -> bool:
    """Whether `href#anchor`, followed from the page at `here`, reaches a built file with that id."""
    target = site / posixpath.normpath(posixpath.join(here, href)) / "index.html" if href.endswith("/") else site / posixpath.join(here, href)
    if not target.is_file():
        return False
    return not anchor or f'id="{anchor}"' in target.read_text(encoding="utf-8")
