"""Questions and answers, grouped."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from .common import ContentModel, Entity, Paragraphs, Reference, Slug, Text, refs


class Question(ContentModel):
    """One question and its answer."""

    question: Text
    answer: Paragraphs = Field(min_length=1)


class QuestionGroup(ContentModel):
    """A titled group of questions."""

    title: Text
    questions: list[Question] = Field(min_length=1)


class FaqPage(Entity):
    """A page of frequently asked questions."""

    kind = "faq"
    section = "faq"
    label = "Questions and answers"
    noun = "Questions and answers"

    provider: Slug | None = None
    groups: list[QuestionGroup] = Field(min_length=1)
    related_procedures: list[Slug] = []

    def references(self) -> Iterator[Reference]:
        if self.provider:
            yield ("provider",), "provider", self.provider
        yield from refs("related_procedures", "procedure", self.related_procedures)
