"""A procedure or therapy a provider offers, as the provider describes it."""

from __future__ import annotations

from collections.abc import Iterator

from .common import ContentModel, Entity, Paragraphs, Reference, Slug, Text


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


class ExpectedEffect(ContentModel):
    """An effect the provider expects, and when it appears."""

    effect: Text
    """The effect the provider expects."""
    timing: Text | None = None
    """When it appears, when stated."""


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
    expected_effects: list[ExpectedEffect] = []
    """Effects the provider expects, and when."""
    provider_claims: list[Text] = []
    """The provider's own evaluative statements, shown attributed to it and not verified."""

    def names(self) -> list[str]:
        return [self.title, *self.also_known_as]

    def references(self) -> Iterator[Reference]:
        yield ("provider",), "provider", self.provider
