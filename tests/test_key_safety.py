"""At-a-glance restriction badges: derived from the data, text not colour, linked to their sections,
"not stated" when the data is silent, and readable (axe-core's contrast rules in real Chromium)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import recorded_page
from conftest import ROOT, run
from playwright.sync_api import Browser

from generator.content.catalogue import Catalogue
from generator.content.models import DrugMonograph, Procedure, Statement
from generator.content.models.vocabulary import Badge
from generator.pages.render import RenderedSite

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BADGE = re.compile(r"^- \[\*\*(?P<label>[^*]+):\*\* (?P<value>.+)\]\(#(?P<anchor>[a-z0-9-]+)\)\{ \.restriction \.restriction--(?P<state>[a-z-]+) \}$", re.M)


def texts(badges: list[Badge]) -> dict[str, str]:
    return {badge.label: badge.value for badge in badges}


def drug(catalogue: Catalogue, slug: str) -> DrugMonograph:
    found = catalogue.get("drug", slug)
    assert isinstance(found, DrugMonograph)
    return found


def test_drug_badges_come_from_the_data(catalogue: Catalogue) -> None:
    assert texts(drug(catalogue, "cellex").badges()) == {
        "Children": "not under 18",  # one form, so no form named
        "Pregnancy": "see section",
        "Breastfeeding": "see section",
        "Driving": "see section",
        "Prescription": "not stated in sources",  # prescription_status: not stated
    }
    ceraxon = texts(drug(catalogue, "ceraxon").badges())
    assert ceraxon["Children"] == "not under 18 (Solution for injection)"  # the oral solution is given to children
    assert ceraxon["Prescription"] == "required"


def test_silent_data_says_not_stated_never_a_guess(catalogue: Catalogue) -> None:
    cellex = drug(catalogue, "cellex")
    silent = cellex.model_copy(update={"children": [], "pregnancy_lactation": [], "driving": [], "contraindications": [Statement(text="Epilepsy")]})
    badges = silent.badges()
    assert texts(badges) == {
        "Children": "not stated in sources",
        "Pregnancy": "not stated in sources",
        "Breastfeeding": "not stated in sources",
        "Driving": "not stated in sources",
        "Prescription": "not stated in sources",
    }
    assert {badge.state for badge in badges} == {"not-stated"}


def test_children_without_an_age_field_point_to_the_section(catalogue: Catalogue) -> None:
    cellex = drug(catalogue, "cellex")
    no_age = cellex.model_copy(update={"children": [item.model_copy(update={"minimum_age_years": None}) for item in cellex.children]})
    assert texts(no_age.badges())["Children"] == "listed under contraindications"  # "Age under 18 years" is one
    no_age = no_age.model_copy(update={"contraindications": [Statement(text="Epilepsy")]})
    assert texts(no_age.badges())["Children"] == "see section"


def test_a_contraindication_outranks_the_section(catalogue: Catalogue) -> None:
    cellex = drug(catalogue, "cellex")
    pregnant = cellex.model_copy(update={"contraindications": [*cellex.contraindications, Statement(text="Pregnancy")]})
    badges = {badge.label: badge for badge in pregnant.badges()}
    assert badges["Pregnancy"] == Badge("Pregnancy", "listed under contraindications", "contraindications", "restricted")
    assert badges["Breastfeeding"].value == "see section"  # "Pregnancy" says nothing about breastfeeding


def test_procedure_badges_are_the_providers_account(catalogue: Catalogue) -> None:
    by_slug = {slug: procedure for slug, procedure in catalogue.entities["procedure"].items()}
    assert all(isinstance(p, Procedure) for p in by_slug.values())
    msc = texts(by_slug["msc-therapy-course"].badges())
    assert msc["Pregnancy"] == msc["Breastfeeding"] == "listed under contraindications"  # "Pregnancy and breastfeeding"
    m2 = texts(by_slug["m2-macrophage-therapy"].badges())
    assert m2["Ages"].startswith("From 1.5 years")
    assert m2["Pregnancy"] == "not stated by the provider"
    assert {texts(p.badges())["Driving"] for p in by_slug.values()} == {"not stated by the provider"}
    assert "Prescription" not in m2  # procedures have no prescription status


def test_other_kinds_have_no_badges(catalogue: Catalogue) -> None:
    assert catalogue.of_kind("provider")[0].badges() == []


def test_every_drug_and_procedure_page_shows_badges_linking_to_its_own_sections(catalogue: Catalogue, rendered: RenderedSite) -> None:
    checked = 0
    for entity in catalogue.of_kind("drug") + catalogue.of_kind("procedure"):
        text = rendered.pages[catalogue.path_of(entity)]
        shown = [match.groupdict() for match in BADGE.finditer(text)]
        expected = entity.badges()
        assert [(b["label"], b["anchor"], b["state"]) for b in shown] == [(b.label, b.anchor, b.state) for b in expected], entity.title
        for badge in shown:
            assert f"{{#{badge['anchor']}}}" in text or f'id="{badge["anchor"]}"' in text, (entity.title, badge)
        checked += 1
    assert checked == 6
    for other in catalogue.of_kind("condition") + catalogue.of_kind("provider"):
        assert "restriction--" not in rendered.pages[catalogue.path_of(other)]


def test_age_limit_must_be_stated_in_its_own_text(project: Path) -> None:
    path = project / "content/drug/cellex.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    minimum_age_years: 18\n") == 1
    path.write_text(text.replace("    minimum_age_years: 18\n", "    minimum_age_years: 16\n"), encoding="utf-8")
    line = 1 + path.read_text(encoding="utf-8").splitlines().index("    minimum_age_years: 16")
    result = run(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/drug/cellex.yaml:{line}: children[0].minimum_age_years: 16 does not appear in the statement's text" in result.stderr


@pytest.fixture(scope="module")
def site_url(target_urls: dict[str, str]) -> str:
    """The session's built site, served over loopback (tests/conftest.py)."""
    return target_urls["site"]


def test_badges_are_styled_readable_and_lead_to_their_section(site_url: str, browser: Browser) -> None:
    with recorded_page(browser) as recorded:
        page = recorded.page
        page.goto(f"{site_url}drugs/ceraxon/")
        badges = page.locator("a.restriction")
        assert badges.count() == 5
        # The stylesheet applied: a badge is a boxed inline-block, not a plain underlined link.
        assert badges.first.evaluate("e => getComputedStyle(e).display") == "inline-block"
        page.add_script_tag(path=str(AXE))
        report = page.evaluate("async () => JSON.stringify(await axe.run('.restrictions', {runOnly: ['wcag2a', 'wcag2aa']}))")
        violations = json.loads(report)["violations"]
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
        # The check can fail: the same badges made pale grey on white break the contrast rule.
        # Material animates link colour; without `transition: none` axe may read the old colour mid-fade.
        page.add_style_tag(content=".md-typeset a.restriction { color: #c8c8c8 !important; background: #fff !important; transition: none !important }")
        report = page.evaluate("async () => JSON.stringify(await axe.run('.restrictions', {runOnly: ['wcag2aa']}))")
        assert "color-contrast" in {v["id"] for v in json.loads(report)["violations"]}
        page.locator("a.restriction", has_text="Driving").click()
        assert page.url.endswith("#driving")
        assert page.locator("h2#driving").is_visible()
