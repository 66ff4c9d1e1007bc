"""The registry of source documents every fact is traced back to."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from .common import ContentModel, Paragraphs, Reference, Slug, SourceFile, Text


class SourceDocument(ContentModel):
    """One source document, named by its file in the shared sources folder."""

    file: SourceFile
    """The document's file name in the shared sources folder; entities cite it by this name."""
    title: Text
    """A descriptive title shown on the Sources page."""
    publisher: Text | None = None
    """Who published the document, as the document itself shows it; leave out when it does not say (the Sources page then says so)."""
    description: Text
    """What the document is and what it covers."""
    defects: Paragraphs = []
    """Known defects of the document (translation, scraping, contradictions), one per entry."""
    provider: Slug | None = None
    """Slug of the clinic on this site (content/provider/) that wrote or published the document, when one did; pages based on it say so."""


class SourceRegistry(ContentModel):
    """`content/sources.yaml`: every source an entity may cite."""

    documents: list[SourceDocument] = Field(min_length=1)
    """Every source document an entity may cite."""

    def references(self) -> Iterator[Reference]:
        """The clinics the documents name as their publishers, checked like an entity's references."""
        for i, document in enumerate(self.documents):
            if document.provider:
                yield ("documents", i, "provider"), "provider", document.provider
