"""Safety text that cannot be silently wrong: verdicts checked both ways, labels for the same group and
form that cannot contradict, every dose saying for whom, and the reader's actions (overdose, a severe
allergic reaction) that no content field can empty or replace.

Each rule is shown with the broken input, refused with its one line `path:line: field: ...`, and the
fixed input, accepted. Edits run on a copy of the fixture catalogue (tests/fixtures/catalogue).
"""

from __future__ import annotations

import html
import itertools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE

from generator.content.catalogue import Catalogue
from generator.content.models import DrugMonograph
from generator.content.models.common import GroupStatement
from generator.content.models.drug import POPULATION_GROUPS, ChildrenStatement, Dosage, SideEffect
from generator.content.models.procedure import Procedure
from generator.content.models.vocabulary import AFTER_PROCEDURE_ADVICE, OVERDOSE_ADVICE, SERIOUS_SIGNS, VERDICT_EVIDENCE, VERDICTS, serious_signs, site_advice
from generator.content.yaml_source import parse_yaml
from generator.errors import ContentError
from generator.pages.generate import check
from generator.pages.render import RenderedSite, render_site
from generator.project import Project

CELLEX = "content/drug/cellex.yaml"
CERAXON = "content/drug/ceraxon.yaml"
SITE_ADVICE = "This site's advice:"

# Words that support exactly one verdict each (a new verdict needs its example here: a test says so).
SAYS = {
    "must not use": "Use in this group is contraindicated.",
    "not recommended": "Use in this group is not recommended.",
    "only as prescribed": "It is given to this group only as prescribed by a doctor.",
    "caution": "Patients in this group should be careful.",
    "no data": "There are no data on use in this group.",
    "no restriction stated": "No dose adjustment is needed in this group.",
}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture catalogue in `tmp_path/content` (the project root is `tmp_path`)."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "content"))


def edit(content: Path, relative: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load a content file's YAML, let `change` edit the data, write it back."""
    path = content.parent / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")


def problems(content: Path) -> list[str]:
    """Every problem line `check` reports for the content (none: an empty list)."""
    try:
        check(Project.at(content.parent, content))
    except ContentError as error:
        return str(error).splitlines()
    return []


def line_of(content: Path, relative: str, *location: str | int) -> int:
    """The line of a value in a content file, as `check` reports it."""
    return parse_yaml((content.parent / relative).read_text(encoding="utf-8")).line_of(location)


def drug(catalogue: Catalogue, slug: str) -> DrugMonograph:
    found = catalogue.get("drug", slug)
    assert isinstance(found, DrugMonograph)
    return found


# --- 1. verdicts checked both ways --------------------------------------------------------------


def test_every_verdict_has_words_that_support_it_alone() -> None:
    assert set(SAYS) == set(VERDICTS)
    for verdict, text in SAYS.items():
        assert [v for v in VERDICTS if VERDICT_EVIDENCE[v].search(text)] == [verdict], text


@pytest.mark.parametrize(("chosen", "said"), list(itertools.product(VERDICTS, VERDICTS)))
def test_a_verdict_is_checked_against_its_words_both_ways(chosen: str, said: str) -> None:
    """Every pair: the words' own verdict passes; a weaker one is refused naming the words and the verdict
    they call for; a stronger one is refused as not what the text says."""
    problem = GroupStatement(text=SAYS[said], verdict=chosen).verdict_problem()  # type: ignore[arg-type]
    words = VERDICT_EVIDENCE[said].search(SAYS[said])[0]  # type: ignore[index,literal-required]
    if chosen == said:
        assert problem is None
    elif VERDICTS.index(said) < VERDICTS.index(chosen):  # type: ignore[arg-type]
        expected = f"(expected {said!r}, or text without those words if the source does not say them)"
        assert problem == f"{chosen!r} is weaker than the text: {words!r} calls for {said!r} {expected}"
    else:
        assert problem == f"{chosen!r} is not what the text says (the text supports: {said}; expected a verdict the statement's own words support)"


def test_words_that_deny_a_contraindication_do_not_call_for_one() -> None:
    assert GroupStatement(text="Driving is not contraindicated; patients should be careful.", verdict="caution").verdict_problem() is None


def test_contraindicated_words_under_no_data_are_refused_at_their_line(content: Path) -> None:
    """The issue's case: "... is contraindicated" with `verdict: no data` built, and the box said "No data"."""
    edit(content, CELLEX, lambda data: data["children"][0].update(verdict="no data"))
    line = line_of(content, CELLEX, "children", 0, "verdict")
    assert problems(content) == [
        f"{CELLEX}:{line}: children[0].verdict: 'no data' is weaker than the text: 'contraindicated' calls for 'must not use' "
        "(expected 'must not use', or text without those words if the source does not say them)"
    ]
    edit(content, CELLEX, lambda data: data["children"][0].update(verdict="must not use"))
    assert problems(content) == []


# --- two labels for the same group and form -----------------------------------------------------


def statement(verdict: str, forms: list[str] | None = None, age: int | None = None) -> ChildrenStatement:
    text = SAYS[verdict] + (f" Not under {age} years." if age else "")
    minimum = {"value": age, "unit": "years"} if age else None
    return ChildrenStatement.model_validate({"text": text, "verdict": verdict, "forms": forms or [], "minimum_age": minimum})


def conflicts(catalogue: Catalogue, *statements: ChildrenStatement) -> list[str]:
    ceraxon = drug(catalogue, "ceraxon")
    return [f"{'.'.join(map(str, loc))}: {message}" for loc, message in ceraxon.model_copy(update={"children": list(statements)}).label_conflicts()]


@pytest.mark.parametrize("other", [v for v in VERDICTS if v != "no restriction stated"])
def test_no_restriction_stated_cannot_stand_beside_another_verdict(catalogue: Catalogue, other: str) -> None:
    (found,) = conflicts(catalogue, statement("no restriction stated", ["oral-solution"]), statement(other))
    assert found.startswith(f"children.1.verdict: {other!r} contradicts 'no restriction stated' of children[0] for children and the oral solution")
    # Limited to different forms, they do not meet.
    assert conflicts(catalogue, statement("no restriction stated", ["oral-solution"]), statement(other, ["injection"])) == []


@pytest.mark.parametrize("allowing", ["only as prescribed", "caution"])
def test_do_not_use_cannot_stand_beside_a_verdict_that_allows_use_unless_it_has_an_age_limit(catalogue: Catalogue, allowing: str) -> None:
    (found,) = conflicts(catalogue, statement("must not use"), statement(allowing))
    assert f"{allowing!r} contradicts 'must not use' of children[0] for children" in found
    # An age limit makes the first about the younger children only.
    assert conflicts(catalogue, statement("must not use", age=12), statement(allowing)) == []
    # Verdicts that agree, or that can both hold, are no conflict.
    assert conflicts(catalogue, statement(allowing), statement(allowing)) == []
    assert conflicts(catalogue, statement("must not use"), statement("no data"), statement("not recommended")) == []


def test_the_issues_no_restriction_label_above_only_as_prescribed_is_refused(content: Path) -> None:
    """The live page had "No restriction stated:" directly above "Only as a doctor prescribes:" for the oral solution."""
    oral = {"forms": ["oral-solution"], "text": "The syrup can be given to children.", "verdict": "no restriction stated"}
    edit(content, CERAXON, lambda data: data["children"].__setitem__(1, oral))
    line = line_of(content, CERAXON, "children", 2, "verdict")
    assert problems(content) == [
        f"{CERAXON}:{line}: children[2].verdict: 'only as prescribed' contradicts 'no restriction stated' of children[1] for children and the "
        "oral solution (expected verdicts that agree: correct the one the source does not support, or limit each to its forms)"
    ]
    # Fixed as the source says it: the syrup's treatment is prescribed individually by the doctor.
    fixed = {**oral, "text": "The syrup's treatment is prescribed individually by the doctor.", "verdict": "only as prescribed"}
    edit(content, CERAXON, lambda data: data["children"].__setitem__(1, fixed))
    assert problems(content) == []


# --- 3. every dose says for whom -----------------------------------------------------------------


def test_a_dose_without_a_population_is_refused(content: Path) -> None:
    edit(content, CELLEX, lambda data: data["dosage"][0].pop("population"))
    line = line_of(content, CELLEX, "dosage", 0)
    groups = ", ".join(POPULATION_GROUPS)
    assert problems(content) == [
        f"{CELLEX}:{line}: dosage[0]: a dose without a population (expected `population:` one of: {groups}; 'not stated' when the source does not say)"
    ]
    edit(content, CELLEX, lambda data: data["dosage"][0].update(population="not stated"))
    assert problems(content) == []


def test_a_population_is_one_of_the_groups(content: Path) -> None:
    edit(content, CELLEX, lambda data: data["dosage"][0].update(population="Grown-ups"))
    line = line_of(content, CELLEX, "dosage", 0, "population")
    assert problems(content) == [f"{CELLEX}:{line}: dosage[0].population.group: got 'Grown-ups' (expected 'adults', 'children', 'elderly' or 'not stated')"]
    edit(content, CELLEX, lambda data: data["dosage"][0].update(population={"group": "adults"}))
    assert problems(content) == []


def test_an_age_band_and_the_childrens_amounts_must_be_the_doses_own_words(content: Path) -> None:
    i = [d["population"] for d in yaml.safe_load((content.parent / CERAXON).read_text(encoding="utf-8"))["dosage"]].index("children")

    def band(data: dict[str, Any]) -> None:
        data["dosage"][i]["population"] = {"group": "children", "minimum_age": {"value": 1, "unit": "years"}}
        data["dosage"][i]["amount"] = "2 ml three times a day"

    edit(content, CERAXON, band)
    age_line = line_of(content, CERAXON, "dosage", i, "population", "minimum_age")
    amount_line = line_of(content, CERAXON, "dosage", i, "amount")
    assert sorted(problems(content)) == sorted(
        [
            f"{CERAXON}:{amount_line}: dosage[{i}].amount: '2 ml three times a day' is not in the dose's text "
            "(expected the words exactly as the text gives them)",
            f"{CERAXON}:{age_line}: dosage[{i}].population.minimum_age: '1 year' is not in the dose's text "
            "(expected the number and its unit as the text gives them, e.g. 'under 6 months')",
        ]
    )

    def stated(data: dict[str, Any]) -> None:
        dose = data["dosage"][i]
        dose["text"] = f"From 1 year of age: {dose['text']}"
        dose["amount"] = "1 ml (100 mg) twice a day"

    edit(content, CERAXON, stated)
    assert problems(content) == []
    dose = next(d for d in drug(check(Project.at(content.parent, content)), "ceraxon").dosage if d.population.minimum_age)
    assert dose.population.label() == "Children from 1 year"


def test_every_dose_is_shown_with_whom_it_is_for(catalogue: Catalogue, rendered: RenderedSite) -> None:
    """The live page showed an oral 1000 mg dose with no label right above the children's dose, and "Who: Not specified"."""
    checked = 0
    for entity in catalogue.of_kind("drug"):
        assert isinstance(entity, DrugMonograph)
        reader = html.unescape(rendered.pages[catalogue.path_of(entity)])
        professional = html.unescape(rendered.pages[catalogue.path_of(entity).replace(".md", "/professional.md")])
        for dose in entity.dosage:
            shown = f"**{dose.label()}:** {dose.text}" in reader or f"<strong>{dose.label()}:</strong> {dose.text}" in reader
            in_box = entity.is_for_children(dose) and f"<strong>Who:</strong> {dose.population.label()}</li>" in reader
            assert shown or in_box, (entity.title, dose.label())
            assert f"<td>{dose.population.label()}</td>" in professional
            checked += 1
    not_stated = [d for e in catalogue.of_kind("drug") for d in e.dosage if d.population.group == "not stated"]  # type: ignore[attr-defined]
    assert not_stated, "the fixture needs a dose whose source does not say for whom"
    assert all("the source does not say for whom" in d.label() for d in not_stated)
    assert checked == sum(len(e.dosage) for e in catalogue.of_kind("drug"))  # type: ignore[attr-defined]


def test_a_plain_word_is_the_group_alone() -> None:
    dose = Dosage.model_validate({"text": "1 tablet a day.", "population": "adults", "indication": "Pain"})
    assert dose.population.group == "adults" and dose.label() == "Adults, pain"
    unknown = Dosage.model_validate({"text": "1 tablet a day.", "population": "not stated", "indication": "Acute conditions"})
    assert unknown.label() == "Acute conditions (the source does not say for whom)"


# --- 11. reader actions ------------------------------------------------------------------------


def test_if_you_use_more_than_you_should_is_never_empty_and_keeps_the_sources_words(catalogue: Catalogue, rendered: RenderedSite) -> None:
    for entity in catalogue.of_kind("drug"):
        assert isinstance(entity, DrugMonograph)
        for path in (catalogue.path_of(entity), catalogue.path_of(entity).replace(".md", "/professional.md")):
            section = html.unescape(rendered.pages[path].split("{#overdose}", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0])
            assert OVERDOSE_ADVICE in section, (path, section)
            for paragraph in entity.overdose:  # the source's words stay, above the site's advice
                assert paragraph in section and section.index(paragraph) < section.index(SITE_ADVICE)
    silent = drug(catalogue, "cellex").model_copy(update={"overdose": []})
    assert silent.overdose_advice() == OVERDOSE_ADVICE and OVERDOSE_ADVICE.startswith(SITE_ADVICE)
    assert "poison centre" in OVERDOSE_ADVICE and "emergency number" in OVERDOSE_ADVICE


def test_no_content_field_can_replace_the_emergency_advice_for_a_severe_allergic_reaction(content: Path) -> None:
    """Every field a side effect has (and the notes beside them) tries to say "no need for help"; the
    site's emergency advice is still in the box and in the serious side effects, beside the source's words."""
    allergic = next(sign for sign in SERIOUS_SIGNS if not sign.replaceable)
    calm = "No need to call anyone; it passes by itself"
    fields = [name for name in SideEffect.model_fields if name != "effect"]

    def every_field(data: dict[str, Any]) -> None:
        for item in data["side_effects"]:
            if allergic.pattern.search(item["effect"]):
                item.update(dict.fromkeys(fields, calm))
        data["side_effect_notes"] = [calm]

    edit(content, CERAXON, every_field)
    catalogue = check(Project.at(content.parent, content))
    ceraxon = drug(catalogue, "ceraxon")
    assert any(allergic.pattern.search(item.effect) and item.what_to_do == calm for item in ceraxon.side_effects)
    advice = [line for line in ceraxon.what_to_do() if line.startswith(SITE_ADVICE)]
    assert len(advice) == 1 and allergic.what in advice[0] and "emergency number" in advice[0]
    box = next(item for item in ceraxon.key_safety() if item.anchor == "serious-side-effects")
    assert advice[0] in box.lines and any(calm in line for line in box.lines)
    pages = render_site(catalogue).pages
    serious = html.unescape(pages[catalogue.path_of(ceraxon)].split("{#serious-side-effects}", 1)[1].split("\n### ", 1)[0])
    assert advice[0] in serious and calm in serious
    # The professional view's side effects carry the same advice beside the source's words.
    professional = pages[catalogue.path_of(ceraxon).replace(".md", "/professional.md")]
    section = html.unescape(professional.split("{#side-effects}", 1)[1].split("\n## ", 1)[0])
    assert advice[0] in section and calm in section


def test_every_procedure_says_when_to_get_help_after_it(catalogue: Catalogue) -> None:
    """The reactions item ends with the site's advice: the emergency advice for a serious sign it lists, else the
    general advice after a procedure, also when the provider lists no reactions (derived from each fixture procedure)."""
    procedures = [entity for entity in catalogue.of_kind("procedure") if isinstance(entity, Procedure)]
    assert procedures
    for procedure in procedures:
        (reactions,) = [item for item in procedure.key_safety() if item.label == "Reactions"]
        serious = [sign for sign in SERIOUS_SIGNS if any(sign.pattern.search(item.reaction) for item in procedure.reactions)]
        assert reactions.lines[-1] == (site_advice(serious) if serious else AFTER_PROCEDURE_ADVICE), procedure.slug
        silent = procedure.model_copy(update={"reactions": []})
        (none,) = [item for item in silent.key_safety() if item.label == "Reactions"]
        assert none.lines[-1] == AFTER_PROCEDURE_ADVICE and none.state == "not-stated"
    # A serious sign gets the emergency advice, not the general one.
    listed = next(procedure for procedure in procedures if procedure.reactions)
    fits = listed.model_copy(update={"reactions": [listed.reactions[0].model_copy(update={"reaction": "Convulsions"})]})
    (item,) = [item for item in fits.key_safety() if item.label == "Reactions"]
    assert "a seizure" in item.lines[-1] and item.lines[-1] != AFTER_PROCEDURE_ADVICE


def test_a_procedure_without_contraindications_shows_its_requirements_in_the_box(catalogue: Catalogue) -> None:
    """Where the provider lists no contraindications, its requirements stand in the box, so it never reads as "no
    restriction"; a procedure with neither requirements nor notes says only that nothing is stated."""
    procedures = [entity for entity in catalogue.of_kind("procedure") if isinstance(entity, Procedure)]
    required = next(p for p in procedures if p.audience.requirements and not p.contraindications)
    (who,) = [item for item in required.key_safety() if item.label == "Who must not have it"]
    assert len(who.lines) == 1 + len(required.audience.requirements)
    assert all(line.startswith("It requires: ") for line in who.lines[1:])
    bare = required.model_copy(update={"audience": required.audience.model_copy(update={"requirements": []}), "contraindication_notes": []})
    (none,) = [item for item in bare.key_safety() if item.label == "Who must not have it"]
    assert not any("It requires" in line for line in none.lines) and none.state == "not-stated"


def test_other_side_effects_are_never_left_to_read_as_harmless(catalogue: Catalogue, rendered: RenderedSite) -> None:
    """Under the side effects the site does not count as serious, its advice says the grouping is its own and when
    to get help; a drug with no other side effects has no such line."""
    for entity in catalogue.of_kind("drug"):
        assert isinstance(entity, DrugMonograph)
        section = html.unescape(rendered.pages[catalogue.path_of(entity)].split("{#side-effects}", 1)[1].split("\n## ", 1)[0])
        assert (entity.other_side_effects_advice() in section) == bool(entity.other_side_effects()), entity.slug
        assert entity.other_side_effects_advice().startswith(SITE_ADVICE)
    # A drug whose side effects are all serious gets no such line (the template's other branch).
    ceraxon = drug(catalogue, "ceraxon")
    only_serious = [item for _, items in ceraxon.serious_side_effects() for item in items]
    assert ceraxon.other_side_effects() and only_serious
    assert ceraxon.model_copy(update={"side_effects": only_serious}).other_side_effects() == []


@pytest.mark.parametrize(
    ("effect", "serious"),
    [
        ("Rapid heartbeat, which may be accompanied by pain", "a racing heartbeat with pain"),
        ("Chest pain", "a racing heartbeat with pain"),
        ("Rapid heartbeat", None),  # a fast heartbeat alone stays with the other side effects (and their advice)
        ("Pain at the injection site", None),
        ("Quincke's edema (angioedema)", "signs of a severe allergic reaction"),
        ("Difficulty breathing (dyspnea)", "difficulty breathing"),
    ],
)
def test_the_serious_signs_are_told_by_their_names(effect: str, serious: str | None) -> None:
    found = serious_signs([effect])
    assert [sign.what for sign, _ in found] == ([serious] if serious else [])
