"""Front matter of a hand-written Markdown page (home, about, disclaimer, editorial policy)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import Field

from .common import ContentModel, Date, Location, SourceFile, Text, review_order


class PageFrontMatter(ContentModel):
    """Hand-written pages carry the same trust fields as generated ones."""

    title: Text
    description: Annotated[Text, Field(max_length=300)]
    last_reviewed: Date
    next_review: Date
    sources: list[SourceFile] = []
    nav_order: int = 100

    def check(self) -> Iterator[tuple[Location, str]]:
        """Rules that span fields, as for entities."""
        return review_order(self.last_reviewed, self.next_review)
