"""Questions and answers, grouped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from .common import ContentModel, Entity, Paragraphs, Reference, Slug, Text, refs
from .vocabulary import JsonLd, compact, named, paragraphs

if TYPE_CHECKING:
    from generator.content.catalogue import Catalogue


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

    def attributed_fields(self) -> frozenset[str]:
        """With a provider, every answer is shown as the clinic's ("Answers by ..., not verified by this site")."""
        return frozenset({"groups"}) if self.provider else frozenset()

    def references(self) -> Iterator[Reference]:
        if self.provider:
            yield ("provider",), "provider", self.provider
        yield from refs("related_procedures", "procedure", self.related_procedures)

    def schema_org_page(self, page: JsonLd, catalogue: Catalogue) -> JsonLd:
        """An `FAQPage` whose `mainEntity` is every question, its answer credited to the provider if any."""
        author = named("MedicalClinic", catalogue.get("provider", self.provider).title) if self.provider else None
        questions = [
            {
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": compact({"@type": "Answer", "text": paragraphs(item.answer), "author": author}),
            }
            for group in self.groups
            for item in group.questions
        ]
        about = [named("MedicalTherapy", catalogue.get("procedure", slug).title) for slug in self.related_procedures]
        return {**page, "@type": "FAQPage", **compact({"mainEntity": questions, "about": about})}
