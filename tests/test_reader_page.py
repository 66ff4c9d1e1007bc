"""The reader's page: safety first, findable on a phone.

On the built site in Chromium, on a 390 px phone and a 1280 px desktop: the key safety box leads to
its sections (the children item to the children's dose, fully on screen), who must not use a drug
comes before what it contains, no dose or warning is cut off or hidden in a sideways scroll, safety
text is at least body size, and a search for "ceraxon children" leads with Ceraxon's children
section. On the rendered Markdown: editorial notes sit beside what they qualify, once each; no
heading repeats in the contents list; and procedures and the condition say where their information
comes from. (The printed leaflet is tests/test_print.py.)
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import DESKTOP, MOBILE, recorded_page, search
from conftest import run

from generator.content.catalogue import Catalogue
from generator.pages.markdown import anchor_id
from generator.pages.notes import place_notes
from generator.pages.render import RenderedSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

VIEWPORTS = [MOBILE, DESKTOP]
VIEWPORT_IDS = ["mobile-390", "desktop-1280"]
BODY_PX = 16  # Material's body text on a phone and a desktop (0.8rem of 20 px)

# Text a reader must see whole: doses, warnings, safety items, notes, table cells.
READER_TEXT = ".md-typeset p, .md-typeset li, .md-typeset td, .md-typeset th, .md-typeset .admonition, .md-typeset .editorial-note, .md-typeset .dose"
# Every element of the article that is cut off at the right edge of the screen, or sits in a box scrolled sideways;
# a stacked table's header row is left out: it is visually hidden on purpose (each cell carries its column's name).
OVERFLOW = """(selector) => {
  const width = document.documentElement.clientWidth;
  const cut = [...document.querySelectorAll(selector)]
    .filter((e) => e.checkVisibility() && e.getBoundingClientRect().width > 0)
    .filter((e) => !e.closest("table[data-stacked] thead"))  // the header row a stacked table keeps for screen readers only
    .filter((e) => e.getBoundingClientRect().right > width + 0.5 || e.getBoundingClientRect().left < -0.5)
    .map((e) => e.tagName + ": " + e.textContent.trim().slice(0, 60));
  const scrolled = [...document.querySelectorAll("article *")]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
    .map((e) => e.className + ": " + e.textContent.trim().slice(0, 60));
  return {cut, scrolled, page: document.documentElement.scrollWidth, width};
}"""


@pytest.fixture(scope="module")
def site_url(target_urls: dict[str, str]) -> str:
    """The public site over loopback, at the path it was built for."""
    return target_urls["site"]


def top_of(page: Page, selector: str) -> float:
    """The element's distance from the top of the page, in CSS pixels."""
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top + window.scrollY")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_the_children_item_lands_with_the_childrens_dose_fully_on_screen(browser: Browser, site_url: str, viewport: dict[str, int]) -> None:
    with recorded_page(browser, viewport) as recorded:
        page = recorded.page
        page.goto(f"{site_url}drugs/ceraxon/")
        item = page.locator(".key-safety li.safety", has=page.locator("a", has_text="Children"))
        # The injection is not for under-18s; for the oral solution, the source's children's dose and daily limit: all plain in the box.
        assert re.search(r"injection: not for anyone under 18 years", item.inner_text(), re.I)
        oral = r"oral solution: give to children only as a doctor prescribes.* 1 ml \(100 mg\) twice a day, and not more than 5-20 ml"
        assert re.search(oral, item.inner_text(), re.I)
        item.locator("a", has_text="Children").click()
        page.wait_for_function("location.hash === '#children-dose'")
        page.wait_for_timeout(300)  # the jump has settled
        dose = page.locator("#children-dose ~ .dose").first
        box = dose.bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert box and header
        assert box["y"] >= header["y"] + header["height"] - 1, "the dose is hidden under the header"
        assert box["y"] + box["height"] <= viewport["height"], f"the dose runs off the screen: {box}"
        assert "twice a day" in dose.inner_text()  # Ceraxon's children's dose, "1 ml (100 mg) twice a day"
        # Above it, under the heading, the age limit that goes with it.
        assert page.locator("#children-dose + ul").inner_text().startswith("Solution for injection: not for anyone under 18")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_who_must_not_use_it_comes_before_what_it_contains(browser: Browser, site_url: str, viewport: dict[str, int]) -> None:
    with recorded_page(browser, viewport) as recorded:
        page = recorded.page
        for drug in ("ceraxon", "cellex"):
            page.goto(f"{site_url}drugs/{drug}/")
            safety = top_of(page, "#key-safety")
            assert safety < top_of(page, "#what-it-is"), drug
            assert top_of(page, ".key-safety a[href='#contraindications']") < top_of(page, "#composition"), drug
            assert top_of(page, "#contraindications") < top_of(page, "#dosage") < top_of(page, "#composition"), drug
            assert top_of(page, "#pregnancy") < top_of(page, "#composition"), drug


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_no_dose_or_warning_is_cut_off_or_hidden_in_a_sideways_scroll(browser: Browser, site_url: str, viewport: dict[str, int]) -> None:
    pages = [
        "drugs/ceraxon/",
        "drugs/ceraxon/professional/",
        "drugs/cellex/",
        "drugs/compare/",
        "procedures/m2-macrophage-therapy/",
        "conditions/cerebral-palsy/",
    ]
    with recorded_page(browser, viewport) as recorded:
        page = recorded.page
        for path in pages:
            page.goto(f"{site_url}{path}")
            page.wait_for_function("document.querySelectorAll('table[data-stacked]').length === document.querySelectorAll('article table').length")
            found = page.evaluate(OVERFLOW, READER_TEXT)
            assert found["cut"] == [], (path, found["cut"])
            assert found["scrolled"] == [], (path, found["scrolled"])
            assert found["page"] <= found["width"], (path, found)
            # Safety text and table cells at least body size (Material draws tables at 12.8 px).
            sizes = page.evaluate(
                """() => [...document.querySelectorAll('.key-safety li, .admonition.danger li, .md-typeset td, .dose li')]
                     .map((e) => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 40)])"""
            )
            small = [(size, text) for size, text in sizes if size < BODY_PX]
            assert not small, (path, small)


def test_the_check_can_fail_a_table_wider_than_the_phone(browser: Browser, site_url: str) -> None:
    """Without the stacking styles the dosage table scrolls sideways on a phone, and the check says so."""
    with recorded_page(browser, MOBILE) as recorded:
        page = recorded.page
        page.goto(f"{site_url}drugs/ceraxon/professional/")
        page.add_style_tag(content="table[data-stacked] { display: table !important } table[data-stacked] * { display: revert !important }")
        page.add_style_tag(content=".md-typeset .md-typeset__scrollwrap { overflow-x: auto !important }")
        found = page.evaluate(OVERFLOW, READER_TEXT)
        assert found["scrolled"] or found["cut"], found


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_ceraxon_children_search_leads_with_ceraxons_children_section(browser: Browser, site_url: str, viewport: dict[str, int]) -> None:
    with recorded_page(browser, viewport) as recorded:
        page = recorded.page
        page.goto(site_url)
        search(page, "ceraxon children")
        first = page.locator(".md-search-result__item").first
        links = first.locator(":scope > a.md-search-result__link")  # shown at once; the rest are under "more on this page"
        assert "drugs/ceraxon/" in (links.nth(0).get_attribute("href") or "")
        assert links.count() >= 2, "no section of Ceraxon is shown first"
        assert re.search(r"drugs/ceraxon/\?h=[^#]*#children(-dose)?$", links.nth(1).get_attribute("href") or ""), links.nth(1).get_attribute("href")
        assert "children" in links.nth(1).locator("h2").inner_text().lower()
        # Every result reads as a title and sentences, never a table dump.
        for text in page.locator(".md-search-result__item article").all_inner_texts():
            assert not text.strip().startswith(("Fact", "Fact Detail")), text[:80]
            assert "Fact Detail" not in text, text[:80]


def test_editorial_notes_sit_beside_their_sections_once_each_with_an_index_at_the_top(catalogue: Catalogue, rendered: RenderedSite) -> None:
    for entity in catalogue.all():
        if not entity.editorial_notes:
            continue
        path = catalogue.path_of(entity)
        pages = [path] + [f"{path.removesuffix('.md')}/{view}.md" for view in entity.views]
        for page in pages:
            text = rendered.pages[page]
            for note in entity.editorial_notes:
                anchor = f"note-{anchor_id(note.topic)}"
                assert text.count(f'id="{anchor}"') == 1, (page, note.topic)
                assert text.index(f"(#{anchor})") < text.index(f'id="{anchor}"'), (page, note.topic)  # the index comes first
    # The note on the children's dose is next to that dose, under "Dose for children", not at the end.
    ceraxon = rendered.pages["drugs/ceraxon.md"]
    dose = ceraxon.index("{#children-dose}")
    note = ceraxon.index('id="note-use-in-children"')
    next_heading = ceraxon.index("\n### ", dose + 1)
    assert dose < note < next_heading
    assert place_notes(catalogue.get("drug", "ceraxon"))["children"]


def test_no_heading_repeats_in_the_contents_list(catalogue: Catalogue, rendered: RenderedSite) -> None:
    """ "Use in children" and "Analogues" were each a section and an editorial note's heading."""
    for entity in catalogue.all():
        path = catalogue.path_of(entity)
        for page in [path] + [f"{path.removesuffix('.md')}/{view}.md" for view in entity.views]:
            headings = Counter(re.findall(r"^#{2,3} (.+?)(?: \{#[^}]+\})?$", rendered.pages[page], re.M))
            assert [h for h, n in headings.items() if n > 1] == [], page
            assert not [line for line in rendered.pages[page].splitlines() if line.startswith("#") and "Editorial note:" in line], page


def test_no_fact_detail_tables_or_doubled_brackets(rendered: RenderedSite) -> None:
    for path, text in rendered.pages.items():
        assert "| Fact | Detail |" not in text, path
        assert "(applies to:" not in text, path
        assert "))" not in re.sub(r"\(https?://[^)]*\)|\]\([^)]*\)", "", text.split("\n---\n", 1)[-1]), path
    ceraxon = rendered.pages["drugs/ceraxon.md"]
    assert "*(Solution for injection only)*" in ceraxon or "<em>(Solution for injection only)</em>" in ceraxon


def test_procedures_and_the_condition_say_where_their_information_comes_from(catalogue: Catalogue, rendered: RenderedSite) -> None:
    for procedure in catalogue.of_kind("procedure"):
        text = rendered.pages[catalogue.path_of(procedure)]
        statement = text.split('id="source-statement"', 1)[1].split("</div>", 1)[0]
        provider = catalogue.get("provider", procedure.provider)  # type: ignore[attr-defined]
        assert provider.title in statement and "the clinic that offers the procedure" in statement, procedure.title
        assert "no independent source on the procedure's safety or effectiveness" in statement, procedure.title
        # What kind of source it rests on, before the key safety box (issue 18).
        assert "This page rests on a clinic's own website" in statement, procedure.title
        assert text.index('id="source-statement"') < text.index("{#key-safety}") < text.index("{#about}")
    for condition in catalogue.of_kind("condition"):
        text = rendered.pages[catalogue.path_of(condition)]
        statement = text.split('id="source-statement"', 1)[1].split("</div>", 1)[0]
        publishers = catalogue.publishers_of(condition)
        assert publishers, "the condition's source names no publisher (content/sources.yaml)"
        for provider in publishers:
            assert provider.title in statement
        assert "no independent source" in statement and "This page rests on a clinic's own website" in statement
        assert "editorial statement" not in statement  # words meant for editors
        assert text.index('id="source-statement"') < text.index("{#definition}")


def test_a_source_provider_must_be_a_clinic_on_the_site(project: Path) -> None:
    path = project / "content/sources.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    provider: iskitim-cp-centre\n" in text
    path.write_text(text.replace("    provider: iskitim-cp-centre\n", "    provider: iskitim-centre\n"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("    provider: iskitim-centre")
    document = sum(text.startswith("  - file:") for text in lines[:line]) - 1
    result = run(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/sources.yaml:{line + 1}: documents[{document}].provider: no provider with slug 'iskitim-centre'" in result.stderr
