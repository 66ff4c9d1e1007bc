"""Building blocks every content kind shares: text types, sources, review dates, notes."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from .vocabulary import Badge, JsonLd

if TYPE_CHECKING:
    from generator.content.catalogue import Catalogue

# Text an editor writes. Length is capped so a runaway paste is caught, not published.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
SourceFile = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.txt$")]
Paragraphs = list[Text]


def _written_as_a_date(value: Any) -> Any:
    """A date must be written as one (2026-01-31, quoted or not): pydantic would read `0` as 1970-01-01."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip())):
        return value
    got = "an empty value" if value is None else f"{type(value).__name__} {value!r}" if not isinstance(value, str) else repr(value[:40])
    raise ValueError(f"got {got} (expected a date like 2026-01-31)")


# A calendar date, written as YYYY-MM-DD.
Date = Annotated[datetime.date, BeforeValidator(_written_as_a_date)]

# Where in a file a value sits: keys and list indexes from the top.
Location = tuple[str | int, ...]
# (where in the file, kind of the target, slug of the target)
Reference = tuple[Location, str, str]


class ContentModel(BaseModel):
    """Strict base: unknown fields are errors (a typo must never be silently dropped)."""

    # Attribute docstrings become field descriptions: the JSON Schema shows them to editors on hover.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Statement(ContentModel):
    """A sentence that may apply to some dosage forms only; a plain string applies to all."""

    text: Text
    """The sentence, in the source's own words corrected for language only."""
    forms: list[Slug] = []
    """Ids of the dosage forms (from `dosage_forms`) it applies to; leave empty when it applies to every form."""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class ListGroup(ContentModel):
    """A titled list, kept grouped the way the source groups it."""

    title: Text | None = None
    """The group's heading as the source gives it; leave out for an untitled list."""
    items: list[Text] = Field(min_length=1)
    """The entries, one per item, in the source's order."""
    note: Text | None = None
    """A remark the source adds after the list."""


class EditorialNote(ContentModel):
    """Shown on the page: where sources disagree or were edited, what each says, what we follow."""

    topic: Text
    """A short heading for the note; the top of the page links to it."""
    text: Text
    """What each source says and which one this page follows."""
    sources: list[SourceFile] = Field(min_length=1)
    """File names (listed in content/sources.yaml) of the sources compared."""


class Entity(ContentModel):
    """Fields every content entity carries, whatever its kind.

    A kind is a subclass with a `kind` name, its fields, and a template `<kind>.md.j2`; every
    method below has a default, so a kind that overrides none still validates, renders and
    exports. Override them to say more: names readers search for, links to other entities,
    rules across fields, a group, restriction badges, the schema.org subject.
    """

    kind: ClassVar[str]  # the folder under content/ and the template's name
    section: ClassVar[str]  # URL folder of the kind's pages (default: the kind + "s")
    label: ClassVar[str]  # plural heading for the kind (default: the section, capitalised)
    noun: ClassVar[str]  # what one entity of the kind is called (default: the kind, capitalised)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        kind = cls.__dict__.get("kind")
        if kind:
            defaults = {"section": f"{kind}s", "noun": kind.capitalize()}
            defaults["label"] = cls.__dict__.get("section", defaults["section"]).capitalize()
            for name, value in defaults.items():
                if name not in cls.__dict__:
                    setattr(cls, name, value)

    title: Text
    """The page heading: the name readers look the page up by."""
    summary: Annotated[Text, Field(max_length=300)]  # Field() as a default is ignored on an Annotated constraint
    """One or two plain sentences shown under the heading and used as the page's meta description (at most 300 characters)."""
    sources: list[SourceFile] = Field(min_length=1)
    """File names of the source documents the facts come from, each listed in content/sources.yaml."""
    last_reviewed: Date
    """Date (YYYY-MM-DD) the content was last checked against its sources."""
    next_review: Date
    """Date (YYYY-MM-DD) the next review is due; must be after last_reviewed."""
    editorial_notes: list[EditorialNote] = []
    """Where sources disagree or were edited: what each says and what the page follows; shown on the page."""

    def names(self) -> list[str]:
        """Every name a reader may search for; the title comes first."""
        return [self.title]

    def references(self) -> Iterator[Reference]:
        """Links to other entities, for cross-reference checks and back-links."""
        return iter(())

    def group(self) -> str:
        """The group whose members a page links to first among related pages (a drug's pharmacotherapeutic group); "" for none."""
        return ""

    def badges(self) -> list[Badge]:
        """Restrictions shown at the top of the page, each linking to its section; none by default."""
        return []

    def schema_org(self, catalogue: Catalogue) -> JsonLd:
        """The schema.org node the page is about (its `mainEntity`); a plain `Thing` by default."""
        return {"@type": "Thing", "name": self.title, "description": self.summary}

    def schema_org_page(self, page: JsonLd, catalogue: Catalogue) -> JsonLd:
        """The page's JSON-LD given its common part (`page`): by default a `MedicalWebPage` about `schema_org`."""
        return {**page, "about": {"@id": "#subject"}, "mainEntity": {"@id": "#subject", **self.schema_org(catalogue)}}

    def check(self) -> Iterator[tuple[Location, str]]:
        """Rules that span fields, each reported at the field an editor should fix."""
        yield from review_order(self.last_reviewed, self.next_review)

    def source_files(self) -> Iterator[tuple[Location, str]]:
        """Every source file named anywhere in the entity, with where it is named."""
        for i, name in enumerate(self.sources):
            yield ("sources", i), name
        for n, note in enumerate(self.editorial_notes):
            for i, name in enumerate(note.sources):
                yield ("editorial_notes", n, "sources", i), name


def review_order(last_reviewed: datetime.date, next_review: datetime.date) -> Iterator[tuple[Location, str]]:
    """The next review must come after the last one (entities and hand-written pages alike)."""
    if next_review <= last_reviewed:
        yield ("next_review",), f"{next_review} is not after last_reviewed {last_reviewed} (expected a later date)"


def refs(field: str, kind: str, slugs: list[str]) -> Iterator[Reference]:
    """References from a list field, each located at its index."""
    for i, slug in enumerate(slugs):
        yield (field, i), kind, slug
