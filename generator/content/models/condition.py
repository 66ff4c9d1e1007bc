"""A condition article: what it is, its forms, causes, symptoms, treatment and figures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .common import ContentModel, Entity, Link, ListGroup, Location, Paragraphs, Reference, Text, link_refs, link_sources, listed
from .vocabulary import JsonLd, compact, named, paragraphs

if TYPE_CHECKING:
    from generator.content.catalogue import Catalogue


class ConditionForm(ContentModel):
    """A form or type of the condition, with its share of cases when the source gives one."""

    name: Text
    """The form's name as the source gives it."""
    also_known_as: list[Text] = []
    """Other names of this form."""
    share: Text | None = None
    """Its share of cases, when the source gives one."""
    description: Paragraphs = []
    """Paragraphs describing this form."""


class TreatmentPrinciple(ContentModel):
    """A principle treatment must follow."""

    name: Text
    """The principle, in a few words."""
    description: Text | None = None
    """What the principle means, as the source explains it."""


class PrevalenceFigure(ContentModel):
    """A figure with its population, region and year, as far as the source states them."""

    figure: Text
    """The figure exactly as the source states it."""
    population: Text
    """Who the figure counts."""
    region: Text
    """Where the figure applies."""
    year: int | None = None
    """The year the figure is for, when the source gives one."""
    period_note: Text | None = None
    """A remark on the period the figure covers."""


class Condition(Entity):
    """A condition article."""

    kind = "condition"
    section = "conditions"
    label = "Conditions"
    noun = "Condition"

    also_known_as: list[Text] = []
    """Other names readers may search for; each appears in the A-Z index."""
    definition: Paragraphs = []
    """What it is: paragraphs of definition."""
    characteristics: list[Text] = []
    """Defining characteristics, one per entry."""
    forms_classification: Text | None = None
    """How the source classifies the forms (e.g. by which sign)."""
    forms: list[ConditionForm] = []
    """The forms or types of the condition."""
    causes: Paragraphs = []
    """Paragraphs on causes."""
    cause_groups: list[ListGroup] = []
    """Causes as titled lists, grouped as the source groups them."""
    risk_factors: Paragraphs = []
    """Paragraphs on risk factors."""
    risk_factor_groups: list[ListGroup] = []
    """Risk factors as titled lists, grouped as the source groups them."""
    risk_factor_notes: Paragraphs = []
    """Paragraphs that go with the risk factors."""
    symptoms: Paragraphs = []
    """Paragraphs on symptoms."""
    symptom_list: list[Text] = []
    """Symptoms, one per entry."""
    complications: Paragraphs = []
    """Paragraphs on complications."""
    treatment: Paragraphs = []
    """Paragraphs on treatment."""
    treatment_principles: list[TreatmentPrinciple] = []
    """Principles treatment follows."""
    treatment_methods: list[Text] = []
    """Treatment methods, one per entry."""
    treatment_notes: Paragraphs = []
    """Paragraphs that go with the treatment."""
    prevalence: list[PrevalenceFigure] = []
    """How common it is: figures with their population, region and year."""
    prevalence_notes: Paragraphs = []
    """Paragraphs that go with the figures."""
    related_procedures: list[Link] = []
    """Procedure pages on this site a provider offers for the condition, each with the source statement that says so."""

    def named(self) -> Iterator[tuple[Location, str]]:
        yield from super().named()
        yield from listed("also_known_as", self.also_known_as)

    def references(self) -> Iterator[Reference]:
        yield from link_refs("related_procedures", "procedure", self.related_procedures)

    def source_files(self) -> Iterator[tuple[Location, str]]:
        yield from super().source_files()
        yield from link_sources("related_procedures", self.related_procedures)

    def schema_org(self, catalogue: Catalogue) -> JsonLd:
        """A `MedicalCondition`; list items become typed nodes where the property's range is a type."""
        # Only the article's treatment methods: a procedure a clinic offers for the condition is the
        # clinic's claim (shown on the page with its basis), not a treatment search engines should list.
        treatments = [named("MedicalTherapy", name) for name in self.treatment_methods]
        return compact(
            {
                "@type": "MedicalCondition",
                "name": self.title,
                "alternateName": self.also_known_as,
                "description": paragraphs(self.definition),
                "signOrSymptom": [{"@type": "MedicalSignOrSymptom", "name": name} for name in self.symptom_list],
                "riskFactor": [{"@type": "MedicalRiskFactor", "name": item} for group in self.risk_factor_groups for item in group.items],
                "possibleComplication": paragraphs(self.complications),
                "possibleTreatment": treatments,
                "epidemiology": [_prevalence(item) for item in self.prevalence],
            }
        )


def _prevalence(item: PrevalenceFigure) -> str:
    """A prevalence figure with its population, region and year as stated."""
    context = [item.population, item.region, *([str(item.year)] if item.year else []), *([item.period_note] if item.period_note else [])]
    return f"{item.figure} ({', '.join(context)})"
