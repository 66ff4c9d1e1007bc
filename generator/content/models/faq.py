"""Questions and answers, grouped."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from .common import ContentModel, Entity, Paragraphs, Reference, Slug, Text, refs


class Question(ContentModel):
    """One question and its answer."""

    question: Text
    """The question, as a reader would ask it."""
    answer: Paragraphs = Field(min_length=1)
    """The answer, one paragraph per entry."""


class QuestionGroup(ContentModel):
    """A titled group of questions."""

    title: Text
    """The group's heading."""
    questions: list[Question] = Field(min_length=1)
    """The questions in this group, in the source's order."""


class FaqPage(Entity):
    """A page of frequently asked questions."""

    kind = "faq"
    section = "faq"
    label = "Questions and answers"
    noun = "Questions and answers"

    provider: Slug | None = None
    """Slug of the clinic whose questions these are, when they come from one."""
    groups: list[QuestionGroup] = Field(min_length=1)
    """The questions, in titled groups."""
    related_procedures: list[Slug] = []
    """Slugs of procedure pages on this site the questions are about."""

    def references(self) -> Iterator[Reference]:
        if self.provider:
            yield ("provider",), "provider", self.provider
        yield from refs("related_procedures", "procedure", self.related_procedures)
