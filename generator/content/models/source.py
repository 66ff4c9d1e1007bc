"""The registry of source documents every fact is traced back to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from .common import ContentModel, Paragraphs, Slug, SourceFile, Text

# What kind of publisher a source is: it decides who a page says is speaking ("The product listing
# states ...") and what the top of every page based on it says it rests on.
SourceKind = Literal["product listing", "leaflet", "consumer drug page", "clinic website"]


@dataclass(frozen=True)
class KindWords:
    """How pages name a kind of source: `speaker` starts a sentence ("The product listing states:"),
    `what` says what such a source is, after "This page rests on"."""

    speaker: str
    what: str


SOURCE_KINDS: dict[SourceKind, KindWords] = {
    "product listing": KindWords("the product listing", "a product listing: the product's own description where it is offered, not an independent assessment"),
    "leaflet": KindWords("the short leaflet", "a short leaflet that does not say who published it"),
    "consumer drug page": KindWords(
        "the consumer drug page", "a consumer drug page: a website's description of the drug for the public, not the official product information"
    ),
    "clinic website": KindWords("the clinic's website", "a clinic's own website: the clinic's account of what it offers"),
}


class SourceDocument(ContentModel):
    """One source document, named by its file in the shared sources folder."""

    file: SourceFile
    """The document's file name in the shared sources folder; entities cite it by this name."""
    title: Text
    """A descriptive title shown on the Sources page."""
    kind: SourceKind
    """What kind of publisher it is; pages name it as the speaker and say near their top what they rest on."""
    publisher: Text | None = None
    """Who published the document, as the document itself shows it; leave out when it does not say (the Sources page then says so)."""
    description: Text
    """What the document is and what it covers."""
    defects: Paragraphs = []
    """Known defects of the document (translation, scraping, contradictions), one per entry."""
    provider: Slug | None = None
    """Slug of the clinic on this site (content/provider/) that wrote or published the document, when one did; pages based on it say so."""

    @property
    def words(self) -> KindWords:
        """How pages name this kind of source."""
        return SOURCE_KINDS[self.kind]


class SourceRegistry(ContentModel):
    """`content/sources.yaml`: every source an entity may cite."""

    documents: list[SourceDocument] = Field(min_length=1)
    """Every source document an entity may cite."""
