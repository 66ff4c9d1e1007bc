"""The registry of source documents every fact is traced back to."""

from __future__ import annotations

from pydantic import Field

from .common import ContentModel, Paragraphs, SourceFile, Text


class SourceDocument(ContentModel):
    """One source document, named by its file in the shared sources folder."""

    file: SourceFile
    title: Text
    description: Text
    defects: Paragraphs = []


class SourceRegistry(ContentModel):
    """`content/sources.yaml`: every source an entity may cite."""

    documents: list[SourceDocument] = Field(min_length=1)
