"""A procedure or therapy a provider offers, as the provider describes it."""

from __future__ import annotations

from collections.abc import Iterator

from .common import ContentModel, Entity, Paragraphs, Reference, Slug, Text


class Audience(ContentModel):
    """Who the provider says the procedure is for."""

    ages: Text | None = None
    conditions: list[Text] = []
    requirements: list[Text] = []


class ProcedureStep(ContentModel):
    """One step in the order the provider gives, with how long it takes when stated."""

    title: Text
    details: Paragraphs = []
    items: list[Text] = []
    duration: Text | None = None


class Reaction(ContentModel):
    """A possible reaction, how often, and how long it lasts, when stated."""

    reaction: Text
    frequency: Text | None = None
    course: Text | None = None


class ExpectedEffect(ContentModel):
    """An effect the provider expects, and when it appears."""

    effect: Text
    timing: Text | None = None


class Procedure(Entity):
    """A clinic procedure. Everything here is the provider's account, attributed to it."""

    kind = "procedure"
    section = "procedures"
    label = "Procedures"
    noun = "Procedure"

    provider: Slug
    also_known_as: list[Text] = []
    description: Paragraphs = []
    status: Text | None = None
    routes: list[Text] = []
    audience: Audience = Audience()
    contraindications: list[Text] = []
    contraindication_notes: Paragraphs = []
    steps: list[ProcedureStep] = []
    length_of_stay: Text | None = None
    course_duration: Text | None = None
    sessions: Text | None = None
    reactions: list[Reaction] = []
    reaction_management: Paragraphs = []
    aftercare: list[Text] = []
    aftercare_notes: Paragraphs = []
    expected_effects: list[ExpectedEffect] = []
    provider_claims: list[Text] = []

    def names(self) -> list[str]:
        return [self.title, *self.also_known_as]

    def references(self) -> Iterator[Reference]:
        yield ("provider",), "provider", self.provider
