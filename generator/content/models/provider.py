"""A clinic or centre. Its services are the procedures that name it as their provider."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .common import ContentModel, Entity, Location, Paragraphs, Text, listed
from .vocabulary import JsonLd, compact, named, paragraphs

if TYPE_CHECKING:
    from generator.content.catalogue import Catalogue


class Address(ContentModel):
    """A postal address as the provider gives it."""

    country: Text
    """Country."""
    region: Text | None = None
    """Region, when the provider gives one."""
    locality: Text
    """Town or city."""
    street: Text
    """Street and building."""


class Provider(Entity):
    """A provider of procedures."""

    kind = "provider"
    section = "providers"
    label = "Clinics"
    noun = "Clinic"

    also_known_as: list[Text] = []
    """Other names readers may search for; each appears in the A-Z index."""
    description: Paragraphs = []
    """Paragraphs describing the clinic, as the provider does."""
    address: Address | None = None
    """Postal address, when the provider gives one."""
    phones: list[Text] = []
    """Phone numbers as the provider gives them."""
    languages: list[Text] = []
    """Languages the provider says it works in."""
    partners: list[Text] = []
    """Partners the provider names."""
    provider_claims: list[Text] = []
    """The provider's own evaluative statements, shown attributed to it and not verified."""

    def named(self) -> Iterator[tuple[Location, str]]:
        yield from super().named()
        yield from listed("also_known_as", self.also_known_as)

    def attributed_fields(self) -> frozenset[str]:
        return frozenset({"provider_claims"})

    def schema_org(self, catalogue: Catalogue) -> JsonLd:
        """A `MedicalClinic`. Its services are the procedures that name it.

        `languages` is not mapped to `knowsLanguage`: the content records the languages of the
        clinic's website, not the languages spoken there.
        """
        address = self.address
        postal = None
        if address:
            postal = compact(
                {
                    "@type": "PostalAddress",
                    "addressCountry": address.country,
                    "addressRegion": address.region,
                    "addressLocality": address.locality,
                    "streetAddress": address.street,
                }
            )
        return compact(
            {
                "@type": "MedicalClinic",
                "name": self.title,
                "alternateName": self.also_known_as,
                "description": paragraphs(self.description),
                "address": postal,
                "telephone": self.phones,
                "availableService": [named("MedicalTherapy", p.title) for p in catalogue.linked_from(self, "procedure")],
            }
        )
