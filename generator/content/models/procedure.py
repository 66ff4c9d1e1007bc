"""A procedure or therapy a provider offers, as the provider describes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .common import ContentModel, Entity, Location, Paragraphs, Reference, Slug, Text, listed
from .vocabulary import (
    CONTRAINDICATED,
    NOT_STATED_PROCEDURE,
    JsonLd,
    SafetyItem,
    compact,
    mentions,
    named,
    paragraphs,
    see_section,
    sentence,
    serious_signs,
    site_advice,
)

if TYPE_CHECKING:
    from generator.content.catalogue import Catalogue


class Audience(ContentModel):
    """Who the provider says the procedure is for."""

    ages: Text | None = None
    """The ages the provider accepts, as it states them."""
    conditions: list[Text] = []
    """Conditions the provider says the procedure is for."""
    requirements: list[Text] = []
    """What a patient must meet to be treated."""


class ProcedureStep(ContentModel):
    """One step in the order the provider gives, with how long it takes when stated."""

    title: Text
    """The step, in a few words."""
    details: Paragraphs = []
    """Paragraphs describing the step."""
    items: list[Text] = []
    """What the step consists of, one item per entry."""
    duration: Text | None = None
    """How long the step takes, when stated."""


class Reaction(ContentModel):
    """A possible reaction, how often, and how long it lasts, when stated."""

    reaction: Text
    """The reaction as the provider names it."""
    frequency: Text | None = None
    """How often it occurs, when stated."""
    course: Text | None = None
    """How long it lasts or how it resolves, when stated."""


class ReportedEffect(ContentModel):
    """An effect or result the provider reports, always shown as the provider's statement.

    Write it in the source's words with its hedges ("can be noticed", "in some patients"); the
    page adds who says it, so do not write "according to the centre" here.
    """

    effect: Text
    """The effect or result, as the provider reports it."""
    timing: Text | None = None
    """When the provider says it appears, with the source's hedge; leave out if not stated."""


class Procedure(Entity):
    """A clinic procedure. Everything here is the provider's account, attributed to it."""

    kind = "procedure"
    section = "procedures"
    label = "Procedures"
    noun = "Procedure"

    provider: Slug
    """Slug of the clinic that offers the procedure (a file in content/provider/)."""
    also_known_as: list[Text] = []
    """Other names readers may search for; each appears in the A-Z index."""
    description: Paragraphs = []
    """Paragraphs describing the procedure, as the provider does."""
    status: Text | None = None
    """Its regulatory or research status, as a source states it."""
    routes: list[Text] = []
    """How it is given (routes of administration)."""
    audience: Audience = Audience()
    """Who the provider says it is for."""
    contraindications: list[Text] = []
    """Contraindications, one per entry."""
    contraindication_notes: Paragraphs = []
    """Paragraphs that go with the contraindications."""
    steps: list[ProcedureStep] = []
    """The steps in the provider's order."""
    length_of_stay: Text | None = None
    """How long the patient stays, when stated."""
    course_duration: Text | None = None
    """How long the whole course lasts, when stated."""
    sessions: Text | None = None
    """How many sessions, when stated."""
    reactions: list[Reaction] = []
    """Possible reactions, with how often and how long, when stated."""
    reaction_management: Paragraphs = []
    """Paragraphs on how reactions are managed."""
    aftercare: list[Text] = []
    """Aftercare instructions, one per entry."""
    aftercare_notes: Paragraphs = []
    """Paragraphs that go with the aftercare."""
    reported_effects: list[ReportedEffect] = []
    """Effects and results the provider reports (not verified), and when it says they appear."""
    provider_claims: list[Text] = []
    """The provider's own evaluative statements, shown attributed to it and not verified."""

    def named(self) -> Iterator[tuple[Location, str]]:
        yield from super().named()
        yield from listed("also_known_as", self.also_known_as)

    def attributed_fields(self) -> frozenset[str]:
        return frozenset({"provider_claims", "reported_effects"})

    def adverse_effects(self) -> list[str]:
        return [item.reaction for item in self.reactions]

    def references(self) -> Iterator[Reference]:
        yield ("provider",), "provider", self.provider

    def key_safety(self) -> list[SafetyItem]:
        """The provider's account only: who must not have it, ages, pregnancy and breastfeeding (from the
        contraindications), driving (from the aftercare), and the reactions with what is done about them."""
        contraindications = [*self.contraindications, *self.contraindication_notes]
        if self.contraindications:
            who = SafetyItem("Who must not have it", tuple(self.contraindications), "contraindications", "restricted")
        elif self.contraindication_notes:
            no_list = f"The provider gives no list of contraindications; {see_section('Who must not have it')}."
            who = SafetyItem("Who must not have it", (no_list,), "contraindications", "stated")
        else:
            who = SafetyItem("Who must not have it", (f"{NOT_STATED_PROCEDURE.capitalize()}.",), "contraindications", "not-stated")
        if self.audience.ages:
            ages = SafetyItem("Ages", (sentence(self.audience.ages),), "who-it-is-for", "stated")
        elif mentions("children", contraindications):
            ages = SafetyItem("Ages", (f"{CONTRAINDICATED.capitalize()}.",), "contraindications", "restricted")
        else:
            ages = SafetyItem("Ages", (f"{NOT_STATED_PROCEDURE.capitalize()}.",), "who-it-is-for", "not-stated")
        listed = {topic: mentions(topic, contraindications) for topic in ("pregnancy", "breastfeeding")}
        if listed["pregnancy"] == listed["breastfeeding"]:
            words = CONTRAINDICATED if listed["pregnancy"] else NOT_STATED_PROCEDURE
            pregnancy = SafetyItem(
                "Pregnancy and breastfeeding", (f"{words.capitalize()}.",), "contraindications", "restricted" if listed["pregnancy"] else "not-stated"
            )
        else:
            lines = tuple(f"{topic.capitalize()}: {CONTRAINDICATED if listed[topic] else NOT_STATED_PROCEDURE}." for topic in ("pregnancy", "breastfeeding"))
            pregnancy = SafetyItem("Pregnancy and breastfeeding", lines, "contraindications", "restricted")
        if mentions("driving", [*self.aftercare, *self.aftercare_notes]):
            driving = SafetyItem("Driving", ("See aftercare.",), "aftercare", "stated")
        else:
            driving = SafetyItem("Driving", (f"{NOT_STATED_PROCEDURE.capitalize()}.",), "aftercare", "not-stated")
        return [who, ages, pregnancy, driving, self._reactions_item()]

    def _reactions_item(self) -> SafetyItem:
        """The reactions the provider lists, the site's advice for any it treats as serious, and whether the provider says what is done."""
        if not self.reactions:
            return SafetyItem("Reactions", (f"{NOT_STATED_PROCEDURE.capitalize()}.",), "reactions", "not-stated")
        # Joined into one sentence: each part's own full stop would double the punctuation.
        names = [item.reaction.rstrip(".") + (f", {_lower_first(item.frequency).rstrip('.')}" if item.frequency else "") for item in self.reactions]
        lines = [f"The provider lists: {'; '.join(names)}."]
        advice = self.reaction_advice()
        if advice:
            lines.append(advice)
        lines += [sentence(text) for text in self.reaction_management]
        return SafetyItem("Reactions", tuple(lines), "reactions", "restricted" if advice else "stated")

    def reaction_advice(self) -> str:
        """The site's standard advice for the reactions it treats as serious (marked as the site's); "" for none."""
        serious = serious_signs(item.reaction for item in self.reactions)
        return site_advice(sign for sign, _ in serious) if serious else ""

    def schema_org(self, catalogue: Catalogue) -> JsonLd:
        """A `MedicalTherapy` (a kind of MedicalProcedure), given as its provider describes it.

        MedicalTherapy has no `provider` property; the clinic is linked the other way round, as the
        `MedicalClinic` whose `availableService` this therapy is (`@reverse`).
        """
        provider = catalogue.get("provider", self.provider)
        how = [
            *([f"Route of administration: {'; '.join(self.routes)}"] if self.routes else []),
            *(_step(step) for step in self.steps),
            *([f"Length of stay: {self.length_of_stay}"] if self.length_of_stay else []),
            *([f"Course duration: {self.course_duration}"] if self.course_duration else []),
            *([f"Number of sessions: {self.sessions}"] if self.sessions else []),
        ]
        return compact(
            {
                "@type": "MedicalTherapy",
                "name": self.title,
                "alternateName": self.also_known_as,
                "description": paragraphs(self.description),
                "status": self.status,
                "howPerformed": how,
                "contraindication": self.contraindications,
                "adverseOutcome": [_reaction(item) for item in self.reactions],
                "followup": [*self.aftercare, *self.aftercare_notes],
                "@reverse": {"availableService": named("MedicalClinic", provider.title)},
            }
        )


def _step(step: ProcedureStep) -> str:
    """One step as one text: title, duration, then its details and items."""
    head = f"{step.title} (duration: {step.duration})" if step.duration else step.title
    body = " ".join([*step.details, *(sentence(item) for item in step.items)])
    return f"{head}: {body}" if body else head


def _reaction(item: Reaction) -> JsonLd:
    """A possible reaction as a `MedicalSignOrSymptom`, with how often and how long when stated."""
    details = [*([f"How often: {item.frequency}"] if item.frequency else []), *([f"Course: {item.course}"] if item.course else [])]
    return compact({"@type": "MedicalSignOrSymptom", "name": item.reaction, "description": " ".join(map(sentence, details))})


def _lower_first(text: str) -> str:
    """ "May occur" → "may occur", for a phrase set inside a sentence."""
    return text[:1].lower() + text[1:]
