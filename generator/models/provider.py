"""A clinic or centre. Its services are the procedures that name it as their provider."""

from __future__ import annotations

from .common import ContentModel, Entity, Paragraphs, Text


class Address(ContentModel):
    """A postal address as the provider gives it."""

    country: Text
    region: Text | None = None
    locality: Text
    street: Text


class Provider(Entity):
    """A provider of procedures."""

    kind = "provider"
    section = "providers"
    label = "Clinics"
    noun = "Clinic"

    also_known_as: list[Text] = []
    description: Paragraphs = []
    address: Address | None = None
    phones: list[Text] = []
    languages: list[Text] = []
    partners: list[Text] = []
    provider_claims: list[Text] = []

    def names(self) -> list[str]:
        return [self.title, *self.also_known_as]
