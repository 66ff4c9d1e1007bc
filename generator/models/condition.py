"""A condition article: what it is, its forms, causes, symptoms, treatment and figures."""

from __future__ import annotations

from collections.abc import Iterator

from .common import ContentModel, Entity, ListGroup, Paragraphs, Reference, Slug, Text, refs


class ConditionForm(ContentModel):
    """A form or type of the condition, with its share of cases when the source gives one."""

    name: Text
    also_known_as: list[Text] = []
    share: Text | None = None
    description: Paragraphs = []


class TreatmentPrinciple(ContentModel):
    """A principle treatment must follow."""

    name: Text
    description: Text | None = None


class PrevalenceFigure(ContentModel):
    """A figure with its population, region and year, as far as the source states them."""

    figure: Text
    population: Text
    region: Text
    year: int | None = None
    period_note: Text | None = None


class Condition(Entity):
    """A condition article."""

    kind = "condition"
    section = "conditions"
    label = "Conditions"
    noun = "Condition"

    also_known_as: list[Text] = []
    definition: Paragraphs = []
    characteristics: list[Text] = []
    forms_classification: Text | None = None
    forms: list[ConditionForm] = []
    causes: Paragraphs = []
    cause_groups: list[ListGroup] = []
    risk_factors: Paragraphs = []
    risk_factor_groups: list[ListGroup] = []
    risk_factor_notes: Paragraphs = []
    symptoms: Paragraphs = []
    symptom_list: list[Text] = []
    complications: Paragraphs = []
    treatment: Paragraphs = []
    treatment_principles: list[TreatmentPrinciple] = []
    treatment_methods: list[Text] = []
    treatment_notes: Paragraphs = []
    prevalence: list[PrevalenceFigure] = []
    prevalence_notes: Paragraphs = []
    related_procedures: list[Slug] = []

    def names(self) -> list[str]:
        return [self.title, *self.also_known_as]

    def references(self) -> Iterator[Reference]:
        yield from refs("related_procedures", "procedure", self.related_procedures)
