"""The validated content: every entity by kind and slug, with back-links and page paths."""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.models import KINDS, Entity, PageFrontMatter, SourceDocument
from generator.memo import digest

# How many "other" pages of the same kind a page links to.
RELATED_LIMIT = 10


@dataclass(frozen=True)
class HandwrittenPage:
    """A hand-written Markdown page that passed validation."""

    slug: str
    meta: PageFrontMatter
    body: str
    shown_path: str = ""  # the content file, as problems name it
    body_line: int = 1  # the file line the body starts on

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
    digests: dict[int, str] = field(default_factory=dict)  # id(entity) → digest of its file's text
    files: dict[int, tuple[str, Path]] = field(default_factory=dict)  # id(entity) → its file, as problems name it and on disk
    _slugs: dict[int, str] = field(default_factory=dict)
    _sorted: dict[str, list[Entity]] = field(default_factory=dict)
    _groups: dict[tuple[str, str], list[Entity]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._slugs = {id(e): slug for by_slug in self.entities.values() for slug, e in by_slug.items()}
        # Sorted once: templates ask for a kind's list on every page, which at catalogue scale is N² sorts.
        self._sorted = {kind: sorted(by_slug.values(), key=lambda e: e.title.casefold()) for kind, by_slug in self.entities.items()}
        for kind, entities in self._sorted.items():
            for entity in entities:
                if group := entity.group():
                    self._groups.setdefault((kind, group.casefold()), []).append(entity)
        linked: dict[tuple[str, str], dict[int, Entity]] = defaultdict(dict)
        for entity in self.all():
            for _, kind, slug in entity.references():
                linked[(kind, slug)][id(entity)] = entity
        self.backlinks = {key: sorted(found.values(), key=lambda e: e.title.casefold()) for key, found in linked.items()}

    @functools.cached_property
    def link_key(self) -> str:
        """Digest of what a page reads from entities it does not show in full: titles, names, groups, references, sources.

        An edit that leaves this unchanged (most edits: a dose, a paragraph, a summary) changes only
        the pages that show the edited entity (see `neighbour_key`).
        """
        parts = [repr(sorted((name, doc.model_dump_json()) for name, doc in self.sources.items()))]
        for entity in self.all():
            parts.append(repr((entity.kind, self.slug_of(entity), entity.title, entity.names(), entity.group(), list(entity.references()))))
        return digest(*parts)

    def neighbour_key(self, entity: Entity) -> str:
        """Digest of the summaries of the entities an entity's page links to: a page may show them (a clinic shows its procedures')."""
        neighbours = [self.get(kind, slug) for _, kind, slug in entity.references()]
        neighbours += self.linked_from(entity) + self.related(entity)
        return digest(*(f"{n.kind}/{self.slug_of(n)}\0{n.summary}" for n in neighbours))

    def digest_of(self, entity: Entity) -> str:
        """Digest of the text of the file an entity was loaded from."""
        return self.digests[id(entity)]

    def all(self) -> list[Entity]:
        """Every entity, kinds in their fixed order, then by title."""
        return [entity for kind in KINDS for entity in self.of_kind(kind)]

    def of_kind(self, kind: str) -> list[Entity]:
        """Entities of one kind, sorted by title."""
        return self._sorted.get(kind, [])

    def get(self, kind: str, slug: str) -> Entity:
        """The entity of `kind` with `slug` (validation guarantees references exist)."""
        return self.entities[kind][slug]

    def by_name(self, kind: str) -> dict[str, Entity]:
        """Entities of `kind` by each name (case-folded) that leads to one page: its title, or a name no other entity of the kind has.

        A name two entities share on purpose (`shared_with:`, a drug's active substance) leads to
        neither: a link would pick one of them at random.
        """
        holders: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.of_kind(kind):
            for name in dict.fromkeys(name.casefold() for name in entity.names()):
                holders[name].append(entity)
        found = {}
        for name, entities in holders.items():
            titled = [entity for entity in entities if entity.title.casefold() == name]
            if len(entities) == 1 or titled:
                found[name] = (titled or entities)[0]
        return found

    def slug_of(self, entity: Entity) -> str:
        """The slug an entity was loaded under."""
        return self._slugs[id(entity)]

    def path_of(self, entity: Entity) -> str:
        """Output path of an entity's page, e.g. `drugs/ceraxon.md`."""
        return f"{entity.section}/{self.slug_of(entity)}.md"

    def publishers_of(self, entity: Entity) -> list[Entity]:
        """The clinics on this site that wrote or published the entity's sources (`provider` in content/sources.yaml), in source order."""
        slugs = dict.fromkeys(self.sources[name].provider for name in entity.sources if name in self.sources)
        return [self.get("provider", slug) for slug in slugs if slug and slug in self.entities.get("provider", {})]

    def offered_by(self, entity: Entity, providers: list[Entity]) -> list[Entity]:
        """The procedures the entity links to that one of `providers` offers."""
        slugs = {self.slug_of(provider) for provider in providers}
        return [
            self.get(kind, slug) for _, kind, slug in entity.references() if kind == "procedure" and getattr(self.get(kind, slug), "provider", None) in slugs
        ]

    def related(self, entity: Entity, limit: int = RELATED_LIMIT) -> list[Entity]:
        """Up to `limit` other entities of the same kind: same pharmacotherapeutic group first, then A–Z.

        Bounded, because a page listing every other page makes a catalogue's build quadratic.
        """
        group = (entity.kind, entity.group().casefold())
        candidates = itertools.chain(self._groups.get(group, []), self.of_kind(entity.kind))
        picked: dict[int, Entity] = {}
        for other in candidates:
            if len(picked) == limit:
                break
            if other is not entity:
                picked.setdefault(id(other), other)
        return list(picked.values())

    def linked_from(self, entity: Entity, kind: str | None = None) -> list[Entity]:
        """Entities whose references point at `entity`, optionally only of one kind."""
        found = self.backlinks.get((entity.kind, self.slug_of(entity)), [])
        return [e for e in found if kind is None or e.kind == kind]
