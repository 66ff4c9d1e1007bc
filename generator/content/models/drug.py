"""A drug monograph, in the section order of an EU SmPC / Russian instruction for use."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from .common import ContentModel, Date, Entity, ListGroup, Location, Paragraphs, Reference, Slug, SourceFile, Statement, Text, refs
from .vocabulary import (
    CONTRAINDICATED,
    NOT_STATED_DRUG,
    SCHEMA_ORG,
    SEE_SECTION,
    Badge,
    JsonLd,
    State,
    compact,
    mentions,
    paragraphs,
)

if TYPE_CHECKING:
    from generator.content.catalogue import Catalogue

# Content values map onto the vocabulary's DrugPrescriptionStatus members; "not stated" maps to nothing.
PRESCRIPTION_STATUS = {"prescription": f"{SCHEMA_ORG}/PrescriptionOnly", "non-prescription": f"{SCHEMA_ORG}/OTC"}
# A strength that is exactly "<number> <unit>" (e.g. "0.1 mg/ml") is also given as value and unit.
_STRENGTH = re.compile(r"(\d+(?:\.\d+)?) (\S+)")


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


class Dosage(Statement):
    """A dose for some forms, population and indication."""

    population: Text | None = None
    """Who this dose is for, when the source says (e.g. adults)."""
    indication: Text | None = None
    """The indication this dose is for, when the source gives doses per indication."""


class ChildrenStatement(Statement):
    """A statement on use in children; `minimum_age_years` when it sets an age limit.

    The number must appear in the statement's own text, so the structured field only repeats
    what the source says (it feeds the at-a-glance badge).
    """

    minimum_age_years: int | None = Field(default=None, ge=0, le=120)
    """The age limit in years when the statement sets one; the number must appear in the text."""


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
    """A drug's monograph. Sections follow SmPC order (4.1–4.9, 5.x, 6.x)."""

    kind = "drug"
    section = "drugs"
    label = "Drugs"
    noun = "Drug"

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
    pregnancy_lactation: list[Statement] = []
    """4.6 Pregnancy and breastfeeding."""
    driving: Paragraphs = []
    """4.7 Effects on driving and using machines."""
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
    prices: list[Price] = []
    """Prices the sources state, each with its source and date."""
    patient_reports: Paragraphs = []
    """What patients report in reviews, unverified, with no names or personal details."""
    related_conditions: list[Slug] = []
    """Slugs of condition pages on this site the drug relates to."""
    related_procedures: list[Slug] = []
    """Slugs of procedure pages on this site the drug relates to."""

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
            age = statement.minimum_age_years
            if age is not None and not re.search(rf"\b{age}\b", statement.text):
                yield ("children", i, "minimum_age_years"), f"{age} does not appear in the statement's text (expected the age limit the text states)"

    def form_names(self, ids: list[str]) -> list[str]:
        """Names of the given dosage forms (all forms when `ids` is empty)."""
        return [f.name for f in self.dosage_forms if not ids or f.id in ids]

    def names(self) -> list[str]:
        return list(dict.fromkeys([self.title, *self.trade_names, *self.aliases, self.active_substance, *self.active_substance_aliases]))

    def references(self) -> Iterator[Reference]:
        yield from refs("related_conditions", "condition", self.related_conditions)
        yield from refs("related_procedures", "procedure", self.related_procedures)
        for i, interaction in enumerate(self.interactions):
            if interaction.drug:
                yield ("interactions", i, "drug"), "drug", interaction.drug

    def source_files(self) -> Iterator[tuple[Location, str]]:
        yield from super().source_files()
        for i, price in enumerate(self.prices):
            yield ("prices", i, "source"), price.source

    def group(self) -> str:
        return self.pharmacotherapeutic_group

    def badges(self) -> list[Badge]:
        """Children, pregnancy, breastfeeding, driving and prescription, from the data."""
        contraindications = [item.text for item in self.contraindications]
        badges = [self._children_badge(contraindications)]
        for topic, label in (("pregnancy", "Pregnancy"), ("breastfeeding", "Breastfeeding")):
            if mentions(topic, contraindications):
                badges.append(Badge(label, CONTRAINDICATED, "contraindications", "restricted"))
            elif self.pregnancy_lactation:
                # One combined section in the SmPC: any statement there is worth reading for either.
                badges.append(Badge(label, SEE_SECTION, "pregnancy", "stated"))
            else:
                badges.append(Badge(label, NOT_STATED_DRUG, "pregnancy", "not-stated"))
        if self.driving:
            badges.append(Badge("Driving", SEE_SECTION, "driving", "stated"))
        else:
            badges.append(Badge("Driving", NOT_STATED_DRUG, "driving", "not-stated"))
        prescription: dict[str, tuple[str, State]] = {
            "prescription": ("required", "restricted"),
            "non-prescription": ("not required", "stated"),
            "not stated": (NOT_STATED_DRUG, "not-stated"),
        }
        value, state = prescription[self.prescription_status]
        badges.append(Badge("Prescription", value, "key-facts", state))
        return badges

    def _children_badge(self, contraindications: list[str]) -> Badge:
        """The age limit when a statement gives one (per form), else a pointer, else "not stated"."""
        limits = [
            f"not under {item.minimum_age_years}" + (f" ({'; '.join(name.split(' (', 1)[0] for name in self.form_names(item.forms))})" if item.forms else "")
            for item in self.children
            if item.minimum_age_years is not None
        ]
        if limits:
            return Badge("Children", "; ".join(limits), "children", "restricted")
        if mentions("children", contraindications):
            return Badge("Children", CONTRAINDICATED, "contraindications", "restricted")
        if self.children:
            return Badge("Children", SEE_SECTION, "children", "stated")
        return Badge("Children", NOT_STATED_DRUG, "children", "not-stated")

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
                    *(f"Contraindication: {self.per_form(item)}" for item in self.contraindications),
                    *(f"Caution: {self.per_form(item)}" for item in self.cautions),
                ],
                "pregnancyWarning": [self.per_form(item) for item in self.pregnancy_lactation],
                "interactingDrug": [{"@type": "Drug", "name": item.agent, "description": item.effect} for item in self.interactions],
                "overdosage": paragraphs(self.overdose),
                "clinicalPharmacology": paragraphs([*self.pharmacodynamics, *self.pharmacokinetics]),
            }
        )

    def per_form(self, item: Statement) -> str:
        """A statement's text, with the forms it is limited to (as on the page)."""
        return f"{item.text} (applies to: {'; '.join(self.form_names(item.forms))})" if item.forms else item.text

    def _strength(self, form_id: str, text: str) -> JsonLd:
        """A `DrugStrength` named as the source states it; its ingredient when the form has exactly one."""
        actives = {item.name for part in self.composition if not part.forms or form_id in part.forms for item in part.active}
        strength: JsonLd = {"@type": "DrugStrength", "name": text}
        if len(actives) == 1:
            strength["activeIngredient"] = actives.pop()
        if match := _STRENGTH.fullmatch(text):
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
                "targetPopulation": dose.population,
            }
        )
