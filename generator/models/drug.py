"""A drug monograph, in the section order of an EU SmPC / Russian instruction for use."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .common import ContentModel, Entity, ListGroup, Location, Paragraphs, Reference, Slug, SourceFile, Statement, Text, refs


class DosageForm(ContentModel):
    """One pharmaceutical form, referred to by its `id` wherever a fact is per form."""

    id: Slug
    name: Text
    routes: list[Text] = Field(min_length=1)
    strengths: list[Text] = []
    appearance: Text | None = None
    packaging: Paragraphs = []


class Ingredient(ContentModel):
    """A substance with its amount exactly as the source states it."""

    name: Text
    amount: Text | None = None


class Composition(ContentModel):
    """What one unit (e.g. 1 ml) of some forms contains."""

    forms: list[Slug] = []
    basis: Text
    active: list[Ingredient] = Field(min_length=1)
    excipients: list[Ingredient] = []


class Dosage(Statement):
    """A dose for some forms, population and indication."""

    population: Text | None = None
    indication: Text | None = None


class AdministrationRule(ContentModel):
    """How to give a form: ordered steps and general rules."""

    forms: list[Slug] = []
    steps: list[Text] = []
    rules: list[Text] = []


class SideEffect(ContentModel):
    """An undesirable effect, with its frequency when the source gives one."""

    effect: Text
    frequency: Text | None = None


class Interaction(ContentModel):
    """What happens with another drug or class; `drug` links when we have its page."""

    agent: Text
    effect: Text
    drug: Slug | None = None


class AnalogueGroup(ContentModel):
    """Analogues the source lists for one dosage form."""

    form: Text
    names: list[Text] = Field(min_length=1)


class Price(ContentModel):
    """A price as the source states it. `as_of` must be given, even if only as null."""

    product: Text
    amount: Decimal = Field(gt=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    basis: Text
    as_of: datetime.date | None
    source: SourceFile


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
    aliases: list[Text] = []
    active_substance: Text
    active_substance_aliases: list[Text] = []
    pharmacotherapeutic_group: Text
    prescription_status: Literal["prescription", "non-prescription", "not stated"]
    description: Paragraphs = []
    dosage_forms: list[DosageForm] = Field(min_length=1)
    composition: list[Composition] = Field(min_length=1)
    indications: list[ListGroup] = Field(min_length=1)
    dosage: list[Dosage] = Field(min_length=1)
    administration: list[AdministrationRule] = []
    children: list[Statement] = []
    contraindications: list[Statement] = Field(min_length=1)
    cautions: list[Statement] = []
    interactions: list[Interaction] = []
    pregnancy_lactation: list[Statement] = []
    driving: Paragraphs = []
    side_effects: list[SideEffect] = []
    side_effect_notes: Paragraphs = []
    overdose: Paragraphs = []
    pharmacodynamics: Paragraphs = []
    pharmacokinetics: Paragraphs = []
    special_instructions: list[Statement] = []
    shelf_life: list[Statement] = []
    storage: list[Statement] = []
    analogues: list[AnalogueGroup] = []
    prices: list[Price] = []
    patient_reports: Paragraphs = []
    related_conditions: list[Slug] = []
    related_procedures: list[Slug] = []

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
