"""A drug monograph. Its fields follow the sections of an EU SmPC / Russian instruction for use; the
reader's page shows them in the order of the EU package leaflet (QRD), the professional page in SmPC order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from .common import (
    Age,
    ContentModel,
    Date,
    Entity,
    GroupStatement,
    Link,
    ListGroup,
    Location,
    Paragraphs,
    Reference,
    Slug,
    SourceFile,
    Statement,
    Text,
    link_refs,
    link_sources,
    listed,
)
from .vocabulary import (
    CONTRAINDICATED,
    NOT_STATED_DRUG,
    OTHER_SIDE_EFFECTS_ADVICE,
    OVERDOSE_ADVICE,
    SCHEMA_ORG,
    VERDICT_WORDS,
    JsonLd,
    SafetyItem,
    SectionListing,
    SeriousSign,
    State,
    Verdict,
    compact,
    mentions,
    paragraphs,
    place,
    sentence,
    serious_signs,
    site_advice,
    strictest,
    strictest_state,
)

if TYPE_CHECKING:
    from generator.content.catalogue import Catalogue

# Content values map onto the vocabulary's DrugPrescriptionStatus members; "not stated" maps to nothing.
PRESCRIPTION_STATUS = {"prescription": f"{SCHEMA_ORG}/PrescriptionOnly", "non-prescription": f"{SCHEMA_ORG}/OTC"}
# A strength that is exactly "<number> <unit>" (e.g. "0.1 mg/ml") is also given as value and unit.
_STRENGTH = re.compile(r"(\d+(?:\.\d+)?) (\S+)")


# How the key safety box words a form's verdict for children (the age limit and dose are added).
CHILDREN_WORDS: dict[Verdict, str] = {
    "must not use": "do not use in children",
    "not recommended": "not recommended for children",
    "only as prescribed": "give to children only as a doctor prescribes, at the dose the doctor sets",
    "caution": "use in children with caution",
    "no data": "no data on use in children",
    "no restriction stated": "no age limit stated",
}


class DosageForm(ContentModel):
    """One pharmaceutical form, referred to by its `id` wherever a fact is per form."""

    id: Slug
    """A short slug for this form (e.g. oral-solution), used in `forms:` lists where a fact applies to this form only."""
    name: Text
    """The form's name as the source gives it."""
    routes: list[Text] = Field(min_length=1)
    """Routes of administration of this form, as the source states them."""
    strengths: list[Text] = []
    """Strengths as the source states them, with their units."""
    appearance: Text | None = None
    """What the form looks like, as the source describes it."""
    packaging: Paragraphs = []
    """Paragraphs on containers and pack sizes (6.5 Packaging)."""


class Ingredient(ContentModel):
    """A substance with its amount exactly as the source states it."""

    name: Text
    """The substance's name as the source writes it."""
    amount: Text | None = None
    """The amount with its unit exactly as the source states it; leave out if not stated."""


class Composition(ContentModel):
    """What one unit (e.g. 1 ml) of some forms contains."""

    forms: list[Slug] = []
    """Ids of the dosage forms this composition is for; leave empty when it applies to every form."""
    basis: Text
    """What the amounts are given per, as the source says (e.g. 1 ml, 1 tablet)."""
    active: list[Ingredient] = Field(min_length=1)
    """Active substances, each with its amount."""
    excipients: list[Ingredient] = []
    """Excipients, each with its amount when the source gives one."""


# Whom a dose is for. "not stated" is what the source leaves open, and the page says so.
PopulationGroup = Literal["adults", "children", "elderly", "not stated"]
POPULATION_GROUPS: tuple[PopulationGroup, ...] = ("adults", "children", "elderly", "not stated")
POPULATION_WORDS: dict[PopulationGroup, str] = {
    "adults": "Adults",
    "children": "Children",
    "elderly": "Elderly patients",
    "not stated": "The source does not say for whom",
}


class Population(ContentModel):
    """Whom a dose is for: adults, children (with an age band when the source gives one), elderly, or not stated.

    A plain word is the group alone (`population: adults`). Ages, like every age, carry their unit
    and must appear in the dose's own text.
    """

    group: PopulationGroup
    """adults, children, elderly, or "not stated" when the source does not say whom the dose is for (the page says so)."""
    minimum_age: Age | None = None
    """The youngest age the dose is for, when the source gives one; it must appear in the dose's text."""
    maximum_age: Age | None = None
    """The oldest age the dose is for, when the source gives one; it must appear in the dose's text."""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_word(cls, value: Any) -> Any:
        return {"group": value} if isinstance(value, str) else value

    @classmethod
    def short_form_schema(cls) -> dict[str, Any] | None:
        """The group alone, as one word."""
        return {"enum": list(POPULATION_GROUPS), "description": "The group alone: adults, children, elderly or not stated."}

    def label(self) -> str:
        """How the page names the group: "Adults", "Children from 1 year to 3 years", "The source does not say for whom"."""
        ages = [f"from {self.minimum_age}" if self.minimum_age else "", f"to {self.maximum_age}" if self.maximum_age else ""]
        band = " ".join(part for part in ages if part)
        return f"{POPULATION_WORDS[self.group]} {band}" if band else POPULATION_WORDS[self.group]


class Dosage(Statement):
    """A dose for some forms, population and indication. Every dose says whom it is for (`population`)."""

    plain_text = False

    population: Population
    """Whom the dose is for: adults, children, elderly, or "not stated" when the source does not say (shown as such)."""
    indication: Text | None = None
    """The indication this dose is for, when the source gives doses per indication."""
    amount: Text | None = None
    """The dose itself, word for word from `text` (e.g. 1 ml (100 mg) twice a day); a children's dose's amount is shown in the key safety box."""
    daily_limit: Text | None = None
    """The most per day, word for word from `text` (e.g. 5-20 ml of the drug per day), when the source gives one."""

    @model_validator(mode="before")
    @classmethod
    def _says_for_whom(cls, value: Any) -> Any:
        if isinstance(value, str) or (isinstance(value, dict) and "population" not in value):
            groups = ", ".join(POPULATION_GROUPS)
            raise ValueError(f"a dose without a population (expected `population:` one of: {groups}; 'not stated' when the source does not say)")
        return value

    def label(self) -> str:
        """The dose's heading: population and indication; the indication first when the source does not say for whom."""
        who = self.population.label()
        if self.population.group == "not stated" and self.indication:
            return f"{self.indication} ({who[0].lower()}{who[1:]})"
        return ", ".join([who, *([_lower_first(self.indication)] if self.indication else [])])


def _lower_first(text: str) -> str:
    """ "Acute conditions" → "acute conditions", set inside a phrase; an acronym ("TBI") stays as it is."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


class ChildrenStatement(GroupStatement):
    """A statement on use in children, with its verdict; `minimum_age` when it sets an age limit.

    The age, with its unit, must appear in the statement's own text, so the structured field only
    repeats what the source says (it feeds the key safety box).
    """

    minimum_age: Age | None = None
    """The age limit when the statement sets one, with its unit (`{value: 18, unit: years}`); both must appear in the text."""


class PregnancyStatement(GroupStatement):
    """A statement on pregnancy, breastfeeding or both, with its verdict."""

    groups: list[Literal["pregnancy", "breastfeeding"]] = Field(default=["pregnancy", "breastfeeding"], min_length=1)
    """Whom it is about: pregnancy, breastfeeding, or both (the default)."""


class AdministrationRule(ContentModel):
    """How to give a form: ordered steps and general rules."""

    forms: list[Slug] = []
    """Ids of the dosage forms these instructions are for; leave empty for every form."""
    steps: list[Text] = []
    """How to give it, one step per entry, in the source's order."""
    rules: list[Text] = []
    """General rules for giving it that are not steps."""


class SideEffect(ContentModel):
    """An undesirable effect, with its frequency when the source gives one."""

    effect: Text
    """The undesirable effect as the source names it."""
    frequency: Text | None = None
    """How often it occurs, in the source's terms; leave out if not stated."""
    what_to_do: Text | None = None
    """What the source says to do if it occurs, in its words; leave out if it says nothing (the page then gives the site's advice for serious ones)."""


class Interaction(ContentModel):
    """What happens with another drug or class; `drug` links when we have its page."""

    agent: Text
    """The other drug or drug class, as the source names it."""
    effect: Text
    """What happens when they are combined, as the source states it."""
    drug: Slug | None = None
    """Slug of the other drug's page on this site, when there is one; the page links to it."""


class AnalogueGroup(ContentModel):
    """Analogues the source lists for one dosage form."""

    form: Text
    """The dosage form these analogues are listed for."""
    names: list[Text] = Field(min_length=1)
    """Analogue names as the source lists them; names of drugs on this site become links."""


# A price is money: whole units and cents, below this. `1e400` or `1e-400` (valid numbers to
# pydantic) are a slip, not a price.
MAX_AMOUNT = Decimal(10) ** 12


def _plain_amount(amount: Decimal) -> Decimal:
    if amount >= MAX_AMOUNT:
        raise ValueError(f"{amount} is not a plausible price (expected an amount below {MAX_AMOUNT:,})")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{amount} has more than 2 decimal places (expected an amount like 1234.50)")
    return amount


class Price(ContentModel):
    """A price as the source states it. `as_of` must be given, even if only as null."""

    product: Text
    """The product and pack the price is for, as the source names them."""
    amount: Annotated[Decimal, Field(gt=0), AfterValidator(_plain_amount)]
    """The price as a number (e.g. 1234.50)."""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    """Three-letter ISO 4217 currency code, e.g. EUR."""
    basis: Text
    """What the price is for, as the source states it (e.g. per pack)."""
    as_of: Date | None
    """Date (YYYY-MM-DD) the source gives the price for; write it empty (null) when the source gives none."""
    source: SourceFile
    """File name of the source document the price comes from."""


def _plain(text: str) -> str:
    """Text compared as words: case and runs of white space ignored."""
    return " ".join(text.split()).casefold()


def _conflict(first: GroupStatement, second: GroupStatement) -> bool:
    """True when two verdicts for the same group and form cannot both hold (see `DrugMonograph.label_conflicts`)."""
    verdicts = {first.verdict, second.verdict}
    if len(verdicts) == 1:
        return False
    if "no restriction stated" in verdicts:
        return True
    forbids = any(s.verdict == "must not use" and getattr(s, "minimum_age", None) is None for s in (first, second))
    return forbids and bool(verdicts & {"only as prescribed", "caution"})


# Fields whose items may be limited to some dosage forms by a `forms:` list.
PER_FORM_FIELDS = (
    "composition",
    "dosage",
    "administration",
    "children",
    "contraindications",
    "cautions",
    "pregnancy_lactation",
    "special_instructions",
    "shelf_life",
    "storage",
)


class DrugMonograph(Entity):
    """A drug's monograph. Fields follow SmPC order (4.1–4.9, 5.x, 6.x); the reader's page shows them in
    package-leaflet order, and `drugs/<slug>/professional/` in SmPC order."""

    kind = "drug"
    section = "drugs"
    label = "Drugs"
    noun = "Drug"
    views = ("professional",)
    note_places = (
        place("analogues", r"analogues?\b", "analogues"),
        place("patient-reports", r"(patient )?reviews?\b|patient reports?\b|experiences?\b", "patient_reports"),
        place("price", r"prices?\b", "prices"),
        place("key-facts", r"names?\b|spellings?\b|trade names?\b|active substance"),
        place("indications", r"used for\b|indications?\b|indicated\b"),
        place("contraindications", r"contraindicat"),
        place("children", r"child|paediatric|pediatric|adolescen"),
        place("pregnancy", r"pregnan|breast-?feed|lactation"),
        place("driving", r"driv|machines?\b|machinery"),
        place("interactions", r"interact"),
        place("warnings", r"warnings?\b|cautions?\b|precautions?\b"),
        place("dosage-forms", r"forms?\b|strengths?\b|routes?\b|appearance"),
        place("composition", r"composition|excipients?\b|ingredients?\b"),
        place("dosage", r"dos(e|es|ing|age)\b|administration"),
        place("side-effects", r"side effects?\b|adverse|undesirable"),
        place("overdose", r"overdos"),
        place("pharmacodynamics", r"pharmacodynamic|how it works|mechanism"),
        place("pharmacokinetics", r"pharmacokinetic|absorption|metaboli"),
        place("shelf-life", r"shelf life|expiry"),
        place("storage", r"storage|store\b"),
        place("packaging", r"packag|packs?\b|ampoules?\b"),
    )
    listings = (
        SectionListing(
            "compare",
            "Drug comparison",
            "Drugs on this site side by side: substance, group, forms, routes, prescription status and key restrictions.",
            "drug-comparison.md.j2",
        ),
        SectionListing(
            "interactions",
            "Interaction overview",
            "The interactions the drug monographs on this site state, in one table. Not an interaction checker.",
            "interactions.md.j2",
            rows=lambda drugs, catalogue: interaction_rows(drugs, catalogue),
            entity_of=lambda row: row.drug,
        ),
    )
    # Two brands of one substance (two citicoline drugs) share its name without a note.
    shareable_names: ClassVar[dict[str, str]] = {"active_substance": "active substance", "active_substance_aliases": "active substance"}

    trade_names: list[Text] = Field(min_length=1)
    """The names the drug is sold under."""
    aliases: list[Text] = []
    """Other spellings of the drug's names readers may search for; each appears in the A-Z index."""
    active_substance: Text
    """The active substance, as the source names it."""
    active_substance_aliases: list[Text] = []
    """Other spellings of the active substance."""
    pharmacotherapeutic_group: Text
    """The pharmacotherapeutic group, as the source states it."""
    prescription_status: Literal["prescription", "non-prescription", "not stated"]
    """What the sources say about prescription: prescription, non-prescription, or not stated."""
    description: Paragraphs = []
    """Introductory paragraphs shown before the sections."""
    dosage_forms: list[DosageForm] = Field(min_length=1)
    """Every pharmaceutical form, each with a short `id` that `forms:` lists refer to."""
    composition: list[Composition] = Field(min_length=1)
    """What one unit of each form contains."""
    indications: list[ListGroup] = Field(min_length=1)
    """4.1 Indications, grouped as the source groups them."""
    dosage: list[Dosage] = Field(min_length=1)
    """4.2 Doses: one entry per dose, with the population, indication and forms it applies to."""
    administration: list[AdministrationRule] = []
    """4.2 How to give each form: steps and rules."""
    children: list[ChildrenStatement] = []
    """Use in children: age limits and children's doses, as the source states them."""
    contraindications: list[Statement] = Field(min_length=1)
    """4.3 Contraindications."""
    cautions: list[Statement] = []
    """4.4 Special warnings and precautions."""
    interactions: list[Interaction] = []
    """4.5 Interactions with other drugs and drug classes."""
    pregnancy_lactation: list[PregnancyStatement] = []
    """4.6 Pregnancy and breastfeeding, each statement with its verdict."""
    driving: list[GroupStatement] = []
    """4.7 Effects on driving and using machines, each statement with its verdict."""
    side_effects: list[SideEffect] = []
    """4.8 Side effects, with their frequency when the source gives it."""
    side_effect_notes: Paragraphs = []
    """Paragraphs that go with the side effects."""
    overdose: Paragraphs = []
    """4.9 Overdose: symptoms and what to do."""
    pharmacodynamics: Paragraphs = []
    """5.1 Pharmacodynamics."""
    pharmacokinetics: Paragraphs = []
    """5.2 Pharmacokinetics."""
    special_instructions: list[Statement] = []
    """Special instructions from the source that fit no other section."""
    shelf_life: list[Statement] = []
    """6.3 Shelf life."""
    storage: list[Statement] = []
    """6.4 Storage conditions."""
    analogues: list[AnalogueGroup] = []
    """Analogues the source lists, per dosage form."""
    source_claims: list[Text] = []
    """Benefits and assurances the source states about the product ("does not contain viruses"), in its words; shown as its statements, never as warnings."""
    prices: list[Price] = []
    """Prices the sources state, each with its source and date."""
    patient_reports: Paragraphs = []
    """What patients report in reviews, unverified, with no names or personal details."""
    related_conditions: list[Link] = []
    """Condition pages on this site the drug is for, each with the source statement that says so."""
    related_procedures: list[Link] = []
    """Procedure pages on this site the drug is used with, each with the source statement that says so."""

    def check(self) -> Iterator[tuple[Location, str]]:
        yield from super().check()
        known = [form.id for form in self.dosage_forms]
        for i, form_id in enumerate(known):
            if form_id in known[:i]:
                yield ("dosage_forms", i, "id"), f"{form_id!r} is used by two forms (expected a unique id)"
        for field in PER_FORM_FIELDS:
            for i, item in enumerate(getattr(self, field)):
                for j, form_id in enumerate(item.forms):
                    if form_id not in known:
                        yield (field, i, "forms", j), f"unknown dosage form {form_id!r} (expected one of: {', '.join(known)})"
        for i, statement in enumerate(self.children):
            if statement.minimum_age and (problem := statement.minimum_age.problem_in(statement.text)):
                yield ("children", i, "minimum_age"), problem
        for i, dose in enumerate(self.dosage):
            for field in ("minimum_age", "maximum_age"):
                age = getattr(dose.population, field)
                if age and (problem := age.problem_in(dose.text, "the dose's text")):
                    yield ("dosage", i, "population", field), problem
            for field in ("amount", "daily_limit"):
                words = getattr(dose, field)
                if words and _plain(words) not in _plain(dose.text):
                    yield ("dosage", i, field), f"{words!r} is not in the dose's text (expected the words exactly as the text gives them)"
        own = {name.casefold() for name in self.names()}
        # An interaction with a `drug:` is located there (a link to the drug's own page is refused across files).
        for i, interaction in enumerate(self.interactions):
            if not interaction.drug and interaction.agent.casefold() in own:
                expected = "expected another drug or class: a drug does not interact with itself"
                yield ("interactions", i, "agent"), f"{interaction.agent!r} is a name of this drug itself ({expected})"
        for i, group in enumerate(self.analogues):
            for j, name in enumerate(group.names):
                if name.casefold() in own:
                    yield ("analogues", i, "names", j), f"{name!r} is a name of this drug itself (expected other drugs only: a drug is not its own analogue)"
        yield from self.label_conflicts()

    def label_conflicts(self) -> Iterator[tuple[Location, str]]:
        """Two statements about the same group and form whose verdicts cannot both hold, each pair reported once at the later one.

        "No restriction stated" beside any other verdict; "must not use" with no age limit beside a
        verdict that allows use ("only as prescribed", "caution"). A must-not-use with an age limit is
        about the younger children only, so it may stand beside a verdict for the older ones.
        """
        reported = set()
        for field, group, statements in self._statements_by_group():
            for form in self.dosage_forms:
                about = [(i, s) for i, s in statements if not s.forms or form.id in s.forms]
                for n, (i, first) in enumerate(about):
                    for j, second in about[n + 1 :]:
                        if (field, i, j) in reported or not _conflict(first, second):
                            continue
                        reported.add((field, i, j))
                        yield (
                            (field, j, "verdict"),
                            (
                                f"{second.verdict!r} contradicts {first.verdict!r} of {field}[{i}] for {group} and the {self.short_name(form).lower()} "
                                f"(expected verdicts that agree: correct the one the source does not support, or limit each to its forms)"
                            ),
                        )

    def _statements_by_group(self) -> Iterator[tuple[str, str, list[tuple[int, GroupStatement]]]]:
        """(field, group, its statements with their indexes) for children, pregnancy, breastfeeding and driving."""
        yield "children", "children", list(enumerate(self.children))
        for group in ("pregnancy", "breastfeeding"):
            yield "pregnancy_lactation", group, [(i, s) for i, s in enumerate(self.pregnancy_lactation) if group in s.groups]
        yield "driving", "driving", list(enumerate(self.driving))

    def attributed_fields(self) -> frozenset[str]:
        return frozenset({"pharmacodynamics", "pharmacokinetics", "source_claims", "patient_reports"})

    def warning_fields(self) -> frozenset[str]:
        return frozenset({"cautions", "special_instructions"})

    def adverse_effects(self) -> list[str]:
        return [item.effect for item in self.side_effects]

    def form_names(self, ids: list[str]) -> list[str]:
        """Names of the given dosage forms (all forms when `ids` is empty)."""
        return [f.name for f in self.dosage_forms if not ids or f.id in ids]

    def named(self) -> Iterator[tuple[Location, str]]:
        yield from super().named()
        yield from listed("trade_names", self.trade_names)
        yield from listed("aliases", self.aliases)
        yield ("active_substance",), self.active_substance
        yield from listed("active_substance_aliases", self.active_substance_aliases)

    def references(self) -> Iterator[Reference]:
        yield from link_refs("related_conditions", "condition", self.related_conditions)
        yield from link_refs("related_procedures", "procedure", self.related_procedures)
        for i, interaction in enumerate(self.interactions):
            if interaction.drug:
                yield ("interactions", i, "drug"), "drug", interaction.drug

    def source_files(self) -> Iterator[tuple[Location, str]]:
        yield from super().source_files()
        for i, price in enumerate(self.prices):
            yield ("prices", i, "source"), price.source
        yield from link_sources("related_conditions", self.related_conditions)
        yield from link_sources("related_procedures", self.related_procedures)

    def group(self) -> str:
        return self.pharmacotherapeutic_group

    def group_statements(self) -> Iterator[tuple[Location, GroupStatement]]:
        for field in ("children", "pregnancy_lactation", "driving"):
            for i, statement in enumerate(getattr(self, field)):
                yield (field, i), statement

    def key_safety(self) -> list[SafetyItem]:
        """Who must not use it, children per form, pregnancy and breastfeeding, driving, serious side effects, prescription.

        From the data only: the contraindications, the statements' verdicts, the doses, and the side
        effects this site treats as serious (`vocabulary.SERIOUS_SIGNS`), with the source's words on
        what to do where it gives them and the site's standard advice, marked as the site's, otherwise.
        """
        prescription: dict[str, tuple[str, State]] = {
            "prescription": ("Required.", "restricted"),
            "non-prescription": ("Not required.", "stated"),
            "not stated": (f"{NOT_STATED_DRUG.capitalize()}.", "not-stated"),
        }
        words, state = prescription[self.prescription_status]
        return [
            SafetyItem("Do not use", tuple(self.contraindication_lines()), "contraindications", "restricted"),
            *([SafetyItem("Take special care", tuple(sentence(self.with_forms(c)) for c in self.cautions), "warnings", "caution")] if self.cautions else []),
            self._children_item(),
            self._pregnancy_item(),
            self._verdict_item("Driving", strictest(s.verdict for s in self.driving), "driving", "driving"),
            self._side_effects_item(),
            SafetyItem("Prescription", (words,), "key-facts", state),
        ]

    def contraindication_lines(self) -> list[str]:
        """The contraindications, one line each when they apply to every form, else one line per group of forms;
        a form none of them is limited to, when all are limited, is named as having none listed."""
        lines: list[str] = []
        by_forms: dict[tuple[str, ...], list[str]] = {}
        for item in self.contraindications:
            if self.forms_only(item.forms):
                by_forms.setdefault(tuple(item.forms), []).append(item.text.rstrip("."))
            else:
                lines.append(sentence(item.text))
        for forms, texts in by_forms.items():
            lines.append(f"{self.forms_only(list(forms))}: {'; '.join(texts)}.")
        silent = "contraindications are given for the other forms only; none are stated for this one."
        lines += [f"{name}: {silent}" for name in self.forms_without_contraindications()]
        return lines

    def forms_without_contraindications(self) -> list[str]:
        """Short names of the forms no contraindication applies to (none when one applies to every form)."""
        if any(not self.forms_only(item.forms) for item in self.contraindications):
            return []
        covered = {form for item in self.contraindications for form in item.forms}
        return [self.short_name(form) for form in self.dosage_forms if form.id not in covered]

    def _verdict_item(self, label: str, verdict: Verdict | None, anchor: str, topic: str) -> SafetyItem:
        """A group's strictest verdict; when the section is silent, the contraindications if they mention the group."""
        if verdict is not None:
            words, state = VERDICT_WORDS[verdict]
            return SafetyItem(label, (f"{words.capitalize()}.",), anchor, state)
        if mentions(topic, [item.text for item in self.contraindications]):
            return SafetyItem(label, (f"{CONTRAINDICATED.capitalize()}.",), "contraindications", "restricted")
        return SafetyItem(label, (f"{NOT_STATED_DRUG.capitalize()}.",), anchor, "not-stated")

    def _pregnancy_item(self) -> SafetyItem:
        """One line when pregnancy and breastfeeding have the same verdict, else one each."""
        items = [
            self._verdict_item(label, strictest(s.verdict for s in self.pregnancy_lactation if group in s.groups), "pregnancy", group)
            for group, label in (("pregnancy", "Pregnancy"), ("breastfeeding", "Breastfeeding"))
        ]
        if items[0].lines == items[1].lines and items[0].anchor == items[1].anchor:
            return SafetyItem("Pregnancy and breastfeeding", items[0].lines, items[0].anchor, items[0].state)
        lines = tuple(f"{item.label}: {item.value[0].lower()}{item.value[1:]}" for item in items)
        anchor = "pregnancy" if self.pregnancy_lactation else items[0].anchor
        return SafetyItem("Pregnancy and breastfeeding", lines, anchor, strictest_state(item.state for item in items))

    def children_by_form(self) -> list[tuple[list[str], Verdict, str]]:
        """Per group of forms alike for children: (form names, strictest verdict, what the key safety box says).

        One entry when every form is alike (names empty then), else one per form the sources speak of.
        """
        rows = []
        for form in self.dosage_forms:
            about = [s for s in self.children if not s.forms or form.id in s.forms]
            verdict = strictest(s.verdict for s in about)
            if verdict is not None:
                rows.append(([self.short_name(form)], verdict, self._children_words(form, verdict, about)))
        if len(rows) == len(self.dosage_forms) and len({row[1:] for row in rows}) == 1:
            return [([], *rows[0][1:])]
        return rows

    def _children_words(self, form: DosageForm, verdict: Verdict, about: list[ChildrenStatement]) -> str:
        """What the box says for children and one form: the verdict with its age limit, and the source's children's dose
        and daily limit, or that it gives none."""
        if verdict == "must not use":
            ages = [s.minimum_age for s in about if s.minimum_age is not None and s.verdict == verdict]
            return f"not for anyone under {max(ages, key=Age.days)}" if ages else CHILDREN_WORDS[verdict]
        doses = [dose for dose in self.children_doses() if not dose.forms or form.id in dose.forms]
        amounts = [dose.amount for dose in doses if dose.amount]
        limits = [dose.daily_limit for dose in doses if dose.daily_limit]
        if not amounts:
            given = "the source gives no children's dose"
        elif limits:
            given = f"the source gives {' or '.join(amounts)}, and not more than {' or '.join(limits)}"
        else:
            given = f"the source gives {' or '.join(amounts)} and no daily limit"
        if amounts and not any(dose.population.minimum_age or dose.population.maximum_age for dose in doses):
            # A dose with no age band must not read as every child's dose: a parent of an infant reads this box first.
            given += ", without saying for what age: ask the doctor which dose is your child's"
        return f"{CHILDREN_WORDS[verdict]}; {given}"

    def children_lines(self) -> list[str]:
        """For each form (or all forms alike): who must not use it by age, or the verdict with the source's children's dose.

        E.g. "Solution for injection: not for anyone under 18 years." and "Oral solution: give to children only
        as a doctor prescribes, ...; the source gives 1 ml (100 mg) twice a day, and not more than ...".
        Empty when the sources say nothing on children.
        """
        return [f"{names[0]}: {words}." if names else f"{words[0].upper()}{words[1:]}." for names, _, words in self.children_by_form()]

    def _children_item(self) -> SafetyItem:
        """Per form: the strictest verdict with its age limit, and the source's children's dose or that it gives none.

        Links to the children's dose when there is one (the dose section repeats the age limits), else
        to the section on children.
        """
        rows = self.children_by_form()
        if not rows:
            return self._verdict_item("Children", None, "children", "children")
        states = [VERDICT_WORDS[verdict][1] for _, verdict, _ in rows]
        state = states[0] if len(set(states)) == 1 else "caution"  # forms differ: neither "no" nor "yes" for every form
        anchor = "children-dose" if self.children_doses() else "children"
        return SafetyItem("Children", tuple(self.children_lines()), anchor, state)

    def serious_side_effects(self) -> list[tuple[SeriousSign, list[SideEffect]]]:
        """The side effects this site treats as serious, grouped by sign (`vocabulary.SERIOUS_SIGNS`)."""
        by_name = {item.effect: item for item in self.side_effects}
        return [(sign, [by_name[name] for name in names]) for sign, names in serious_signs(by_name)]

    def other_side_effects(self) -> list[SideEffect]:
        """The side effects not among the serious ones, in the source's order."""
        serious = {id(item) for _, items in self.serious_side_effects() for item in items}
        return [item for item in self.side_effects if id(item) not in serious]

    def what_to_do(self) -> list[str]:
        """What to do about the serious side effects: the source's words for each that has them, then the site's
        standard advice for the rest (marked as the site's), and for a severe allergic reaction always (no content
        field can take it away). Empty when none is serious."""
        serious = self.serious_side_effects()
        lines = [f"{item.effect}: {sentence(item.what_to_do)} (The source's advice.)" for _, items in serious for item in items if item.what_to_do]
        rest = [sign for sign, items in serious if not sign.replaceable or any(not item.what_to_do for item in items)]
        return [*lines, site_advice(rest)] if rest else lines

    def other_side_effects_advice(self) -> str:
        """The site's advice under the other side effects (marked as the site's): the grouping is the site's."""
        return OTHER_SIDE_EFFECTS_ADVICE

    def overdose_advice(self) -> str:
        """The site's advice on overdose, marked as the site's; shown under the source's words, never instead of them."""
        return OVERDOSE_ADVICE

    def _side_effects_item(self) -> SafetyItem:
        """The serious side effects and what to do; otherwise a pointer to the list, or "not stated"."""
        serious = [item for _, items in self.serious_side_effects() for item in items]
        if serious:
            names = "; ".join(f"{item.effect}, {item.frequency}" if item.frequency else item.effect for item in serious)
            return SafetyItem("Serious side effects", (sentence(names), *self.what_to_do()), "serious-side-effects", "restricted")
        if self.side_effects:
            return SafetyItem("Side effects", ("See the list of side effects.",), "side-effects", "stated")
        return SafetyItem("Side effects", (f"{NOT_STATED_DRUG.capitalize()}.",), "side-effects", "not-stated")

    def is_for_children(self, dose: Dosage) -> bool:
        """True for a children's dose."""
        return dose.population.group == "children"

    def children_doses(self) -> list[Dosage]:
        """The children's doses, in the source's order."""
        return [dose for dose in self.dosage if self.is_for_children(dose)]

    def doses_by_form(self) -> list[tuple[str, list[Dosage]]]:
        """The other doses grouped by the forms they apply to, groups in order of first appearance.

        Each group is named by its forms ("" when the drug has one form, "All forms" for a dose that
        applies to every form).
        """
        groups: dict[tuple[str, ...], list[Dosage]] = {}
        for dose in self.dosage:
            if not self.is_for_children(dose):
                groups.setdefault(tuple(dose.forms), []).append(dose)
        named = []
        for forms, doses in groups.items():
            if len(self.dosage_forms) == 1:
                name = ""
            elif not forms or set(forms) >= {form.id for form in self.dosage_forms}:
                name = "All forms"
            else:
                name = " and ".join(self.form_names(list(forms)))
            named.append((name, doses))
        return named

    def short_name(self, form: DosageForm) -> str:
        """A form's name without the source's explanation in brackets: "Solution for injection"."""
        return form.name.split(" (", 1)[0]

    def forms_only(self, ids: list[str]) -> str:
        """Which forms a fact is limited to, as the page says it: "Solution for injection only"; "" for every form."""
        forms = [form for form in self.dosage_forms if form.id in ids]
        if not ids or len(forms) == len(self.dosage_forms):
            return ""
        names = [self.short_name(form) for form in forms]
        text = " and ".join(names[:1] + [name[0].lower() + name[1:] for name in names[1:]])
        return f"{text} only"

    def with_forms(self, item: Statement) -> str:
        """A statement's text, with the forms it is limited to: "Severe vagotonia (solution for injection only)"."""
        only = self.forms_only(item.forms)
        return f"{item.text.rstrip('.')} ({only[0].lower()}{only[1:]})." if only else item.text

    def schema_org(self, catalogue: Catalogue) -> JsonLd:
        """A `Drug`. schema.org's Drug has no indication or contraindication property, so
        contraindications and cautions go into `warning`, each labelled as what it is.

        `nonProprietaryName` is not given: the model's `active_substance` is sometimes a description
        (e.g. "Proteins and polypeptides of the embryonic brain of animal origin") rather than a
        generic name, and the data does not say which; `activeIngredient` carries it as stated.
        """
        routes = list(dict.fromkeys(route for form in self.dosage_forms for route in form.routes))
        return compact(
            {
                "@type": "Drug",
                "name": self.title,
                "proprietaryName": self.trade_names,
                "alternateName": self.aliases,
                "activeIngredient": self.active_substance,
                "drugClass": {"@type": "DrugClass", "name": self.pharmacotherapeutic_group},
                "prescriptionStatus": PRESCRIPTION_STATUS.get(self.prescription_status),
                "dosageForm": [form.name for form in self.dosage_forms],
                "administrationRoute": routes,
                "availableStrength": [self._strength(form.id, text) for form in self.dosage_forms for text in form.strengths],
                "doseSchedule": [self._dose(dose) for dose in self.dosage],
                "warning": [
                    *(f"Contraindication: {self.with_forms(item)}" for item in self.contraindications),
                    *(f"Caution: {self.with_forms(item)}" for item in self.cautions),
                ],
                "pregnancyWarning": [self.with_forms(item) for item in self.pregnancy_lactation if "pregnancy" in item.groups],
                "interactingDrug": [{"@type": "Drug", "name": item.agent, "description": item.effect} for item in self.interactions],
                "overdosage": paragraphs(self.overdose),
                # The page shows these as the source's statements; so does the data, with its speaker.
                "clinicalPharmacology": paragraphs(
                    [f"{catalogue.sources[self.sources[0]].words.speaker.capitalize()} states:", *self.pharmacodynamics, *self.pharmacokinetics]
                )
                if self.pharmacodynamics or self.pharmacokinetics
                else None,
            }
        )

    def _strength(self, form_id: str, text: str) -> JsonLd:
        """A `DrugStrength` named as the source states it; its ingredient, value and unit only when the
        form has exactly one active ingredient whose stated amount agrees with the strength (when the
        sources disagree, the page's editorial note explains it and the data asserts neither)."""
        actives = {(item.name, item.amount) for part in self.composition if not part.forms or form_id in part.forms for item in part.active}
        strength: JsonLd = {"@type": "DrugStrength", "name": text}
        match = _STRENGTH.fullmatch(text)
        if len(actives) != 1:
            return strength
        ((name, amount),) = actives
        if amount and match and not re.search(rf"(?<![\d.]){re.escape(match[1])}(?![\d.])", amount):
            return strength
        strength["activeIngredient"] = name
        if match:
            strength["strengthValue"] = float(match[1]) if "." in match[1] else int(match[1])
            strength["strengthUnit"] = match[2]
        return strength

    def _dose(self, dose: Dosage) -> JsonLd:
        """A `DoseSchedule`: the dose text, prefixed by the forms and indication it is for."""
        scope = "; ".join([*(self.form_names(dose.forms) if dose.forms else []), *([dose.indication] if dose.indication else [])])
        return compact(
            {
                "@type": "DoseSchedule",
                "description": f"{scope}: {dose.text}" if scope else dose.text,
                "targetPopulation": None if dose.population.group == "not stated" else dose.population.label(),
            }
        )


@dataclass(frozen=True)
class InteractionRow:
    """`drug`'s monograph says that with `agent`, `effect`; `other` is the agent's page when we have one."""

    drug: DrugMonograph
    agent: str
    effect: str
    other: DrugMonograph | None


def interaction_rows(drugs: list[Any], catalogue: Catalogue) -> list[InteractionRow]:
    """The interaction overview: every interaction a monograph on this site states, one row each.

    It reports what the sources say, in their words; it does not infer, combine or rate
    interactions (it is not an interaction checker, and the page says so). Rows follow `drugs`,
    each monograph's interactions in the order it gives them. The other agent links to a page when
    the interaction names its slug (`drug:`) or when the agent is exactly one of a drug's names
    (title, trade name, alias, substance), never to itself.
    """
    by_slug = catalogue.entities[DrugMonograph.kind]
    by_name = catalogue.by_name(DrugMonograph.kind)
    rows = []
    for drug in drugs:
        for item in drug.interactions:
            other = by_slug.get(item.drug) if item.drug else by_name.get(item.agent.casefold())  # a slug not found is its own problem
            rows.append(InteractionRow(drug, item.agent, item.effect, other if other is not drug else None))
    return rows
