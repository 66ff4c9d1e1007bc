"""Front matter of a hand-written Markdown page (home, about, disclaimer, editorial policy)."""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import Field

from .common import ContentModel, SourceFile, Text


class PageFrontMatter(ContentModel):
    """Hand-written pages carry the same trust fields as generated ones."""

    title: Text
    description: Annotated[Text, Field(max_length=300)]
    last_reviewed: datetime.date
    next_review: datetime.date
    sources: list[SourceFile] = []
    nav_order: int = 100
