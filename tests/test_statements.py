"""The model says what the sources say: verdicts the text supports, provider reports as the
provider's, and no medical link without its basis. Each rule is shown with content that breaks it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.content.models.drug import DrugMonograph
from generator.errors import ContentError
from generator.pages.generate import check
from generator.pages.render import render_site
from generator.project import PACKAGE_ROOT, Project
from generator.tools.synth import synthesise


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A small synthetic catalogue (its drugs have verdicts and links with a basis)."""
    synthesise(tmp_path / "content", drugs=3, seed=11)
    return tmp_path / "content"


def first_drug(content: Path) -> Path:
    return sorted((content / "drug").glob("*.yaml"))[0]


def edit(path: Path, change: object) -> None:
    """Load the YAML, let `change` edit the data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def problems_of(content: Path, path: Path) -> list[str]:
    """The problem lines about the file at `path`."""
    with pytest.raises(ContentError) as raised:
        check(Project.at(PACKAGE_ROOT, content))
    return [line for line in str(raised.value).splitlines() if f"/{path.name}:" in line]


def test_a_verdict_the_text_does_not_support_is_refused(content: Path) -> None:
    path = first_drug(content)

    def soften(data: dict) -> None:  # type: ignore[type-arg]
        data["pregnancy_lactation"][0] = {
            "text": "The lack of studies does not allow the drug to be used in pregnancy.",
            "verdict": "no restriction stated",
            "groups": ["pregnancy"],
        }

    edit(path, soften)
    (line,) = problems_of(content, path)
    expected = r"pregnancy_lactation\[0\]\.verdict: 'no restriction stated' is weaker than the text: 'does not allow' calls for 'must not use' \(.*\)"
    assert re.fullmatch(rf".*{path.name}:\d+: {expected}", line), line


def test_a_group_statement_needs_a_verdict(content: Path) -> None:
    path = first_drug(content)
    edit(path, lambda data: data["driving"].__setitem__(0, "Patients should be careful when driving."))
    (line,) = problems_of(content, path)
    assert "driving[0]" in line and "verdict" in line, line


def test_a_medical_link_needs_its_basis(content: Path) -> None:
    def bare(data: dict) -> None:  # type: ignore[type-arg]
        data["related_conditions"] = [link["slug"] for link in data["related_conditions"]]

    path = first_drug(content)
    edit(path, bare)
    lines = problems_of(content, path)
    assert lines and all("related_conditions[" in line for line in lines), lines


def test_key_safety_comes_from_the_verdicts(content: Path) -> None:
    path = first_drug(content)

    def verdicts(data: dict) -> None:  # type: ignore[type-arg]
        data["pregnancy_lactation"] = [
            {"text": "There are no data on use in pregnancy.", "verdict": "no data", "groups": ["pregnancy"]},
            {"text": "Use during breastfeeding is contraindicated.", "verdict": "must not use", "groups": ["breastfeeding"]},
        ]
        data["driving"] = [{"text": "Patients should be careful when driving.", "verdict": "caution"}]
        data["children"] = [
            {"text": "Use in children under 12 years is contraindicated.", "verdict": "must not use", "minimum_age": {"value": 12, "unit": "years"}}
        ]

    edit(path, verdicts)
    drug = check(Project.at(PACKAGE_ROOT, content)).get("drug", path.stem)
    assert isinstance(drug, DrugMonograph)
    items = {item.label: (item.lines, item.state) for item in drug.key_safety()}
    assert items["Pregnancy and breastfeeding"] == (("Pregnancy: no data.", "Breastfeeding: do not use."), "restricted")
    assert items["Driving"] == (("Use with caution.",), "caution")
    assert items["Children"] == (("Not for anyone under 12 years.",), "restricted")


def test_children_item_says_per_form_when_forms_differ(content: Path) -> None:
    path = first_drug(content)

    def two_forms(data: dict) -> None:  # type: ignore[type-arg]
        first = data["dosage_forms"][0]
        data["dosage_forms"] = [
            {**first, "id": "injection", "name": "Solution for injection"},
            {**first, "id": "oral", "name": "Oral solution (syrup)"},
        ]
        for field in ("composition", "dosage", "administration"):
            for item in data.get(field, []):
                item["forms"] = []
        data["children"] = [
            {
                "forms": ["injection"],
                "text": "The injection is contraindicated under 18 years.",
                "verdict": "must not use",
                "minimum_age": {"value": 18, "unit": "years"},
            },
            {"forms": ["oral"], "text": "The syrup can be given to children.", "verdict": "no restriction stated"},
        ]
        data["dosage"].append({"forms": ["oral"], "population": "children", "text": "1 ml twice a day.", "amount": "1 ml twice a day"})

    edit(path, two_forms)
    drug = check(Project.at(PACKAGE_ROOT, content)).get("drug", path.stem)
    children = next(item for item in drug.key_safety() if item.label == "Children")
    assert children.lines == (
        "Solution for injection: not for anyone under 18 years.",
        "Oral solution: no age limit stated; the source gives 1 ml twice a day and no daily limit, "
        "without saying for what age: ask the doctor which dose is your child's.",
    )
    assert children.state == "caution"
    assert children.anchor == "children-dose"  # the dose section repeats the age limits above the dose


def test_provider_reports_are_always_the_providers(content: Path) -> None:
    catalogue = check(Project.at(PACKAGE_ROOT, content))
    site = render_site(catalogue)
    for procedure in catalogue.of_kind("procedure"):
        page = site.pages[catalogue.path_of(procedure)]
        provider = catalogue.get("provider", procedure.provider)  # type: ignore[attr-defined]
        section = page.split("{#reported-effects}", 1)[1].split("\n## ", 1)[0]
        assert f"Reported by {provider.title}, not verified by this site" in section
        for item in procedure.reported_effects:  # type: ignore[attr-defined]
            assert item.effect in section
