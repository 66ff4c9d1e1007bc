"""Building blocks every content kind shares: text types, sources, review dates, notes."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, TypeAdapter, model_validator

from .vocabulary import VERDICT_EVIDENCE, VERDICTS, JsonLd, SafetyItem, Verdict

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

    @classmethod
    def short_form_schema(cls) -> dict[str, Any] | None:
        """The JSON Schema of a shorter way to write the model that its validators accept (plain text, one word); None for none."""
        return None


class Statement(ContentModel):
    """A sentence that may apply to some dosage forms only; a plain string applies to all."""

    plain_text: ClassVar[bool] = True  # False for a kind that needs more than its text (a verdict, a population)

    text: Text
    """The sentence, in the source's own words corrected for language only."""
    forms: list[Slug] = []
    """Ids of the dosage forms (from `dosage_forms`) it applies to; leave empty when it applies to every form."""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @classmethod
    def short_form_schema(cls) -> dict[str, Any] | None:
        """Plain text, for a statement that applies to every form; none for a kind that needs more than its text."""
        if not cls.plain_text:
            return None
        return {**TypeAdapter(Text).json_schema(), "description": "Plain text, when it applies to every dosage form."}


class GroupStatement(Statement):
    """A statement about a group of people (children, pregnancy, breastfeeding, driving) with its verdict.

    The verdict is what the key safety box shows, so it must be what the text itself says, checked
    both ways (`verdict_problem`): "must not use" needs words such as "contraindicated" or "does not
    allow", "no data" needs "not studied" or "no data", and so on; and no words may call for a
    stricter verdict than the one chosen (`vocabulary.VERDICT_EVIDENCE`).
    """

    plain_text = False

    verdict: Verdict
    """What the text says for this group: must not use, not recommended, caution, no data, or no restriction stated."""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(f"a plain sentence has no verdict (expected `text:` and `verdict:`, one of: {', '.join(VERDICTS)})")
        return value

    def verdict_problem(self) -> str | None:
        """Why the verdict is not what the text says, or None.

        Checked both ways: no words in the text may call for a stricter verdict (a contraindication
        labelled "no data" is refused), and some words must support the verdict itself.
        """
        for stricter in VERDICTS[: VERDICTS.index(self.verdict)]:
            if found := VERDICT_EVIDENCE[stricter].search(self.text):
                return (
                    f"{self.verdict!r} is weaker than the text: {found[0]!r} calls for {stricter!r} "
                    f"(expected {stricter!r}, or text without those words if the source does not say them)"
                )
        if VERDICT_EVIDENCE[self.verdict].search(self.text):
            return None
        supported = [verdict for verdict, words in VERDICT_EVIDENCE.items() if words.search(self.text)]
        hint = f"the text supports: {', '.join(supported)}" if supported else "the text states none of them in words"
        return f"{self.verdict!r} is not what the text says ({hint}; expected a verdict the statement's own words support)"


# An age's unit, and roughly how many days one is (only to compare ages given in different units).
AgeUnit = Literal["weeks", "months", "years"]
_DAYS: dict[str, float] = {"weeks": 7, "months": 30.44, "years": 365.25}


class Age(ContentModel):
    """An age with its unit, as the source states it: `{value: 18, unit: years}`, `{value: 6, unit: months}`.

    Both the number and the unit must appear together in the statement's own words ("under 6
    months"), so an age in months can never be published as years.
    """

    value: Annotated[Decimal, Field(gt=0, le=120, decimal_places=1)]
    """The number, as the source gives it (e.g. 18, or 1.5)."""
    unit: AgeUnit
    """Its unit: weeks, months or years."""

    def __str__(self) -> str:
        """ "18 years", "1 year", "6 months"."""
        return f"{self.value} {self.unit[:-1] if self.value == 1 else self.unit}"

    def days(self) -> float:
        """About how many days the age is, to compare ages in different units."""
        return float(self.value) * _DAYS[self.unit]

    def problem_in(self, text: str, where: str = "the statement's text") -> str | None:
        """Why `text` (`where`, as the message names it) does not state this age (the number followed by its unit), or None."""
        number = re.escape(str(self.value))
        said = list(re.finditer(rf"(?<![\d.,]){number}(?![.,]?\d)[\s-]*(week|month|year)s?\b", text, re.I))
        if any(match[1].lower() == self.unit[:-1] for match in said):
            return None
        if said:
            return f"{str(self)!r} but the text says {said[0][0]!r} (expected the unit the text gives: {said[0][1].lower()}s)"
        return f"{str(self)!r} is not in {where} (expected the number and its unit as the text gives them, e.g. 'under 6 months')"


class Link(ContentModel):
    """A link to another page that says something medical (a procedure offered for a condition).

    No basis, no link: the source statement that supports it is shown beside the link.
    """

    slug: Slug
    """Slug of the page linked to."""
    basis: Text
    """What the source says that supports the link, attributed to whoever says it (shown beside the link)."""
    source: SourceFile
    """File name of the source document that says it."""


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


class ChangeNote(ContentModel):
    """A change to the page that matters to readers, as they should read it (never a commit message)."""

    date: datetime.date
    """Date (YYYY-MM-DD) of the change: on or before last_reviewed, since a change is checked against the sources like the rest of the page."""
    note: Annotated[Text, Field(max_length=300)]
    """What changed, in one or two plain sentences for readers, e.g. "Pregnancy advice now says the drug must not be used." (at most 300 characters)."""


class Entity(ContentModel):
    """Fields every content entity carries, whatever its kind.

    A kind is a subclass with a `kind` name, its fields, and a template `<kind>.md.j2`; every
    method below has a default, so a kind that overrides none still validates, renders and
    exports. Override them to say more: names readers search for, links to other entities,
    rules across fields, a group, the key safety box, the schema.org subject.
    """

    kind: ClassVar[str]  # the folder under content/ and the template's name
    section: ClassVar[str]  # URL folder of the kind's pages (default: the kind + "s")
    label: ClassVar[str]  # plural heading for the kind (default: the section, capitalised)
    noun: ClassVar[str]  # what one entity of the kind is called (default: the kind, capitalised)
    # Further pages of one entity: a view "v" is `<section>/<slug>/v.md`, rendered from `<kind>-v.md.j2`
    # (a drug's professional page in SmPC order). Reached from the entity's page, not the navigation.
    views: ClassVar[tuple[str, ...]] = ()

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
    changes: list[ChangeNote]
    """Changes that matter to readers since the page was first published, each a date and a note; `[]` until the first. Shown on the page and Recent changes."""
    renamed_from: list[Slug] = []
    """Slugs (file names) this entity had before its file was renamed: each old address redirects readers to the page."""
    shared_with: dict[Text, Annotated[Text, Field(max_length=80)]] = {}
    """Names another page also has, each with a few words saying why, shown beside it in the A-Z index: `{Cellex: name until 2020}`."""

    # Fields whose names several entities may share as a matter of course, with the words the A–Z
    # index shows beside such a name (a drug's active substance: two brands of citicoline).
    shareable_names: ClassVar[dict[str, str]] = {}

    def named(self) -> Iterator[tuple[Location, str]]:
        """Every name a reader may search for, with where it is written; the title comes first."""
        yield ("title",), self.title

    def names(self) -> list[str]:
        """Every name a reader may search for, once each; the title comes first."""
        return list(dict.fromkeys(name for _, name in self.named()))

    def name_note(self, name: str) -> str:
        """What tells this entity's A–Z entry for a shared `name` apart: its `shared_with` note, or its field's words; "" for none."""
        notes = {key.casefold(): note for key, note in self.shared_with.items()}
        fields = [self.shareable_names.get(str(loc[0]), "") for loc, own in self.named() if own.casefold() == name.casefold()]
        return notes.get(name.casefold()) or next(filter(None, fields), "")

    def references(self) -> Iterator[Reference]:
        """Links to other entities, for cross-reference checks and back-links."""
        return iter(())

    def group(self) -> str:
        """The group whose members a page links to first among related pages (a drug's pharmacotherapeutic group); "" for none."""
        return ""

    def key_safety(self) -> list[SafetyItem]:
        """The key safety box at the top of the page, each item linking to its section; none by default."""
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
        for i, change in enumerate(self.changes):
            if change.date > self.last_reviewed:
                expected = "expected a change checked against the sources: on or before last_reviewed, or review the page again"
                yield ("changes", i, "date"), f"{change.date} is after last_reviewed {self.last_reviewed} ({expected})"
        for location, statement in self.group_statements():
            if problem := statement.verdict_problem():
                yield (*location, "verdict"), problem
        own = {name.casefold() for name in self.names()}
        for name in self.shared_with:
            if name.casefold() not in own:
                names = ", ".join(self.names())
                yield ("shared_with", name), f"{name!r} is not a name of this {self.kind} (expected one of its own names: {names})"

    def attributed_fields(self) -> frozenset[str]:
        """Fields the page shows as a source's statements, with who makes them ("The product listing states:");
        the content lints let these state effects and claims in the source's words. None by default."""
        return frozenset()

    def warning_fields(self) -> frozenset[str]:
        """Fields the page lists as warnings: an assurance ("does not contain viruses") never goes here. None by default."""
        return frozenset()

    def adverse_effects(self) -> list[str]:
        """The side effects or reactions the page lists, by name; a source that also denies any is contradicting itself."""
        return []

    def group_statements(self) -> Iterator[tuple[Location, GroupStatement]]:
        """Every statement with a verdict, with where it is (checked by `check`)."""
        return iter(())

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


def listed(field: str, values: list[str]) -> Iterator[tuple[Location, str]]:
    """The values of a list field, each located at its index."""
    for i, value in enumerate(values):
        yield (field, i), value


def refs(field: str, kind: str, slugs: list[str]) -> Iterator[Reference]:
    """References from a list field, each located at its index."""
    for i, slug in enumerate(slugs):
        yield (field, i), kind, slug


def link_refs(field: str, kind: str, links: list[Link]) -> Iterator[Reference]:
    """References from a list of links, each located at its slug."""
    for i, link in enumerate(links):
        yield (field, i, "slug"), kind, link.slug


def link_sources(field: str, links: list[Link]) -> Iterator[tuple[Location, str]]:
    """The source file of each link, located at it."""
    for i, link in enumerate(links):
        yield (field, i, "source"), link.source
