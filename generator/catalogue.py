"""The validated content: every entity by kind and slug, with back-links and page paths."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .models import KINDS, Entity, PageFrontMatter, SourceDocument


@dataclass(frozen=True)
class HandwrittenPage:
    """A hand-written Markdown page that passed validation."""

    slug: str
    meta: PageFrontMatter
    body: str

    @property
    def path(self) -> str:
        """Output path of the page's Markdown."""
        return f"{self.slug}.md"


@dataclass
class Catalogue:
    """All validated content, the one input of the render step."""

    sources: dict[str, SourceDocument]
    entities: dict[str, dict[str, Entity]]
    pages: list[HandwrittenPage] = field(default_factory=list)
    backlinks: dict[tuple[str, str], list[Entity]] = field(default_factory=dict)
    _slugs: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._slugs = {id(e): slug for by_slug in self.entities.values() for slug, e in by_slug.items()}
        linked: dict[tuple[str, str], dict[int, Entity]] = defaultdict(dict)
        for entity in self.all():
            for _, kind, slug in entity.references():
                linked[(kind, slug)][id(entity)] = entity
        self.backlinks = {key: sorted(found.values(), key=lambda e: e.title.casefold()) for key, found in linked.items()}

    def all(self) -> list[Entity]:
        """Every entity, kinds in their fixed order, then by title."""
        return [entity for kind in KINDS for entity in self.of_kind(kind)]

    def of_kind(self, kind: str) -> list[Entity]:
        """Entities of one kind, sorted by title."""
        return sorted(self.entities.get(kind, {}).values(), key=lambda e: e.title.casefold())

    def get(self, kind: str, slug: str) -> Entity:
        """The entity of `kind` with `slug` (validation guarantees references exist)."""
        return self.entities[kind][slug]

    def slug_of(self, entity: Entity) -> str:
        """The slug an entity was loaded under."""
        return self._slugs[id(entity)]

    def path_of(self, entity: Entity) -> str:
        """Output path of an entity's page, e.g. `drugs/ceraxon.md`."""
        return f"{entity.section}/{self.slug_of(entity)}.md"

    def linked_from(self, entity: Entity, kind: str | None = None) -> list[Entity]:
        """Entities whose references point at `entity`, optionally only of one kind."""
        found = self.backlinks.get((entity.kind, self.slug_of(entity)), [])
        return [e for e in found if kind is None or e.kind == kind]
