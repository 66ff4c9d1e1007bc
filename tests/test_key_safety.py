"""The key safety box at the top of every drug and procedure page: derived from the data, text not
colour, every item linked to its section, "not stated" when the data is silent, the site's own advice
marked as the site's, and readable (axe-core's contrast rules in real Chromium)."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import recorded_page
from conftest import ROOT, run

from generator.content.catalogue import Catalogue
from generator.content.models import DrugMonograph, Procedure, Statement
from generator.content.models.common import Age
from generator.content.models.drug import ChildrenStatement, SideEffect
from generator.content.models.vocabulary import SafetyItem
from generator.pages.render import RenderedSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# An item of the box in the Markdown: `- **[Label](#anchor):** text` and its state on the next line.
# The box is an HTML block in the generated Markdown (no inline processing at catalogue scale).
ITEM = re.compile(r'^<li class="safety safety--(?P<state>[a-z-]+)"><strong><a href="#(?P<anchor>[a-z0-9-]+)">(?P<label>[^<]+)</a>:</strong>', re.M)
SITE_ADVICE = "This site's advice:"


def texts(items: list[SafetyItem]) -> dict[str, tuple[str, ...]]:
    return {item.label: item.lines for item in items}


def drug(catalogue: Catalogue, slug: str) -> DrugMonograph:
    found = catalogue.get("drug", slug)
    assert isinstance(found, DrugMonograph)
    return found


def test_drug_items_come_from_the_data(catalogue: Catalogue) -> None:
    cellex = texts(drug(catalogue, "cellex").key_safety())
    assert list(cellex) == ["Do not use", "Take special care", "Children", "Pregnancy and breastfeeding", "Driving", "Serious side effects", "Prescription"]
    assert len(cellex["Take special care"]) == len(drug(catalogue, "cellex").cautions)
    assert cellex["Children"] == ("Not for anyone under 18 years.",)  # one form, so no form named; the age with its unit
    assert cellex["Prescription"] == ("Not stated in sources.",)  # prescription_status: not stated
    ceraxon = texts(drug(catalogue, "ceraxon").key_safety())
    # The injection is not for under-18s; for the oral solution, the source's children's dose and daily limit.
    (dose,) = drug(catalogue, "ceraxon").children_doses()
    assert dose.amount and dose.daily_limit
    assert ceraxon["Children"] == (
        "Solution for injection: not for anyone under 18 years.",
        "Oral solution: give to children only as a doctor prescribes, at the dose the doctor sets; "
        f"the source gives {dose.amount}, and not more than {dose.daily_limit}, without saying for what age: ask the doctor which dose is your child's.",
    )
    # All of them are for the injection only: silence on the oral solution is not "none".
    assert ceraxon["Do not use"][-1] == "Oral solution: contraindications are given for the other forms only; none are stated for this one."
    assert ceraxon["Prescription"] == ("Required.",)


def test_silent_data_says_not_stated_never_a_guess(catalogue: Catalogue) -> None:
    cellex = drug(catalogue, "cellex")
    silent = cellex.model_copy(
        update={"children": [], "pregnancy_lactation": [], "driving": [], "side_effects": [], "contraindications": [Statement(text="Epilepsy")]}
    )
    items = {item.label: item for item in silent.key_safety()}
    for label in ("Children", "Pregnancy and breastfeeding", "Driving", "Side effects", "Prescription"):
        assert items[label].lines == ("Not stated in sources.",), label
        assert items[label].state == "not-stated", label
    assert items["Do not use"].lines == ("Epilepsy.",)


def test_a_contraindication_speaks_when_its_section_is_silent(catalogue: Catalogue) -> None:
    cellex = drug(catalogue, "cellex")
    pregnant = cellex.model_copy(update={"pregnancy_lactation": [], "contraindications": [*cellex.contraindications, Statement(text="Pregnancy")]})
    item = next(item for item in pregnant.key_safety() if item.label == "Pregnancy and breastfeeding")
    # "Pregnancy" says nothing about breastfeeding, so the two are told apart.
    assert item.lines == ("Pregnancy: listed under contraindications.", "Breastfeeding: not stated in sources.")
    assert item.state == "restricted"


def test_serious_side_effects_carry_the_sites_advice_unless_the_source_says_what_to_do(catalogue: Catalogue) -> None:
    cellex = drug(catalogue, "cellex")
    shock = SideEffect(effect="Anaphylactic shock", frequency="very rare")
    with_shock = cellex.model_copy(update={"side_effects": [SideEffect(effect="Headache"), shock]})
    item = next(item for item in with_shock.key_safety() if item.anchor == "serious-side-effects")
    assert item.lines[0] == "Anaphylactic shock, very rare."
    assert item.lines[1].startswith(SITE_ADVICE) and "severe allergic reaction" in item.lines[1] and "emergency number" in item.lines[1]
    assert [effect.effect for effect in with_shock.other_side_effects()] == ["Headache"]
    # The source's words take the place of the site's advice for a seizure...
    sourced = SideEffect(effect="Seizures", what_to_do="Stop the injection and call a doctor")
    said = cellex.model_copy(update={"side_effects": [sourced]})
    assert said.what_to_do() == ["Seizures: Stop the injection and call a doctor. (The source's advice.)"]
    assert not any(SITE_ADVICE in line for line in said.what_to_do())
    # ...but never for a severe allergic reaction: the source's words are shown beside the emergency advice.
    allergic = cellex.model_copy(update={"side_effects": [sourced.model_copy(update={"effect": "Anaphylactic shock"})]})
    assert allergic.what_to_do()[0] == "Anaphylactic shock: Stop the injection and call a doctor. (The source's advice.)"
    assert allergic.what_to_do()[1].startswith(SITE_ADVICE) and "emergency number" in allergic.what_to_do()[1]
    calm = cellex.model_copy(update={"side_effects": [SideEffect(effect="Headache")]})
    assert texts(calm.key_safety())["Side effects"] == ("See the list of side effects.",)


def test_procedure_items_are_the_providers_account(catalogue: Catalogue) -> None:
    by_slug = {slug: procedure for slug, procedure in catalogue.entities["procedure"].items()}
    assert all(isinstance(p, Procedure) for p in by_slug.values())
    msc = texts(by_slug["msc-therapy-course"].key_safety())
    assert msc["Pregnancy and breastfeeding"] == ("Listed under contraindications.",)  # "Pregnancy and breastfeeding"
    assert len(msc["Who must not have it"]) == len(by_slug["msc-therapy-course"].contraindications)  # type: ignore[attr-defined]
    m2 = texts(by_slug["m2-macrophage-therapy"].key_safety())
    assert m2["Ages"][0].startswith("From 1.5 years")
    assert m2["Pregnancy and breastfeeding"] == ("Not stated by the provider.",)
    assert {texts(p.key_safety())["Driving"] for p in by_slug.values()} == {("Not stated by the provider.",)}
    assert "Prescription" not in m2  # procedures have no prescription status


def test_other_kinds_have_no_box(catalogue: Catalogue) -> None:
    assert catalogue.of_kind("provider")[0].key_safety() == []


def test_every_drug_and_procedure_page_shows_the_box_linking_to_its_own_sections(catalogue: Catalogue, rendered: RenderedSite) -> None:
    checked = 0
    for entity in catalogue.of_kind("drug") + catalogue.of_kind("procedure"):
        text = rendered.pages[catalogue.path_of(entity)]
        shown = [match.groupdict() for match in ITEM.finditer(text)]
        expected = entity.key_safety()
        assert [(b["label"], b["anchor"], b["state"]) for b in shown] == [(b.label, b.anchor, b.state) for b in expected], entity.title
        for item in expected:
            assert f"{{#{item.anchor}}}" in text or f'id="{item.anchor}"' in text, (entity.title, item)
            for line in item.lines:
                assert line.replace(":", "&#58;") in text or line in text, (entity.title, line)
        assert text.index("{#key-safety}") < text.index("{#contraindications}")
        checked += 1
    assert checked == len(catalogue.of_kind("drug")) + len(catalogue.of_kind("procedure"))
    for other in catalogue.of_kind("condition") + catalogue.of_kind("provider"):
        assert "safety--" not in rendered.pages[catalogue.path_of(other)]


def set_cellex_age(project: Path, value: str, unit: str) -> tuple[int, subprocess.CompletedProcess[str]]:
    """Cellex's age limit (18 years, stated as "under 18 years" in its text) changed; (line of `minimum_age:`, `check`'s run)."""
    path = project / "content/drug/cellex.yaml"
    text = path.read_text(encoding="utf-8")
    stated = "    minimum_age:\n      value: 18\n      unit: years\n"
    assert text.count(stated) == 1
    path.write_text(text.replace(stated, f"    minimum_age:\n      value: {value}\n      unit: {unit}\n"), encoding="utf-8")
    return 1 + text.splitlines().index("    minimum_age:"), run(project, "check")


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        ("16", "years", "'16 years' is not in the statement's text (expected the number and its unit as the text gives them"),
        ("18", "months", "'18 months' but the text says '18 years' (expected the unit the text gives: years)"),
    ],
)
def test_an_age_limit_must_be_stated_with_its_unit_in_its_own_text(project: Path, value: str, unit: str, message: str) -> None:
    line, result = set_cellex_age(project, value, unit)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/drug/cellex.yaml:{line}: children[0].minimum_age: {message}" in result.stderr


def test_the_age_the_text_states_passes_and_the_box_prints_its_unit(project: Path) -> None:
    _, result = set_cellex_age(project, "18", "years")
    assert result.returncode == 0, result.stderr
    assert ChildrenStatement(text="Not for infants under 6 months.", verdict="must not use", minimum_age=Age(value=6, unit="months")).minimum_age
    assert Age(value=6, unit="months").problem_in("Not for infants under 6 months.") is None
    assert Age(value=6, unit="years").problem_in("Not for infants under 6 months.") == (
        "'6 years' but the text says '6 months' (expected the unit the text gives: months)"
    )
    assert str(Age(value=1, unit="years")) == "1 year" and str(Age(value=Decimal("1.5"), unit="years")) == "1.5 years"


def test_the_childrens_item_says_when_the_source_gives_no_childrens_dose(catalogue: Catalogue) -> None:
    ceraxon = drug(catalogue, "ceraxon")
    (dose,) = ceraxon.children_doses()
    lines = texts(ceraxon.key_safety())["Children"]
    assert dose.amount in lines[1] and dose.daily_limit in lines[1]
    no_limit = ceraxon.model_copy(update={"dosage": [d if d is not dose else d.model_copy(update={"daily_limit": None}) for d in ceraxon.dosage]})
    no_age = ", without saying for what age: ask the doctor which dose is your child's."
    assert texts(no_limit.key_safety())["Children"][1].endswith(f"the source gives {dose.amount} and no daily limit{no_age}")
    # A dose with an age band says nothing of ages; one without says that the source gives none.
    assert lines[1].endswith(no_age)
    banded = dose.model_copy(update={"population": dose.population.model_copy(update={"minimum_age": Age(value=1, unit="years")})})
    with_band = ceraxon.model_copy(update={"dosage": [d if d is not dose else banded for d in ceraxon.dosage]})
    assert not texts(with_band.key_safety())["Children"][1].endswith(no_age)
    no_dose = ceraxon.model_copy(update={"dosage": [d for d in ceraxon.dosage if d is not dose]})
    assert texts(no_dose.key_safety())["Children"][1].endswith("the source gives no children's dose.")
    assert dose.amount not in " ".join(texts(no_dose.key_safety())["Children"])


@pytest.fixture(scope="module")
def site_url(target_urls: dict[str, str]) -> str:
    """The session's built site, served over loopback (tests/conftest.py)."""
    return target_urls["site"]


def test_box_is_styled_readable_and_leads_to_its_sections(site_url: str, browser: Browser) -> None:
    with recorded_page(browser) as recorded:
        page = recorded.page
        page.goto(f"{site_url}drugs/ceraxon/")
        items = page.locator(".key-safety li.safety")
        assert items.count() >= 5
        # The stylesheet applied: each item is a tinted block with a coloured edge, not a plain list item.
        assert items.first.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
        page.add_script_tag(path=str(AXE))
        report = page.evaluate("async () => JSON.stringify(await axe.run('.key-safety', {runOnly: ['wcag2a', 'wcag2aa']}))")
        violations = json.loads(report)["violations"]
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
        # The check can fail: the same items made pale grey on white break the contrast rule.
        pale = "color: #c8c8c8 !important; background: #fff !important; transition: none !important"
        page.add_style_tag(content=f".md-typeset .key-safety li, .md-typeset .key-safety a {{ {pale} }}")
        report = page.evaluate("async () => JSON.stringify(await axe.run('.key-safety', {runOnly: ['wcag2aa']}))")
        assert "color-contrast" in {v["id"] for v in json.loads(report)["violations"]}
        page.locator(".key-safety a", has_text="Driving").click()
        assert page.url.endswith("#driving")
        assert page.locator("#driving").is_visible()
