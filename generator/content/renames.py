"""Renamed pages keep their address: `renamed_from:` lists an entity's old slugs.

Each old slug becomes a redirect from the old page (and its further views) to the new one
(`generator/engines/redirects.py` writes them). A rename must not leave a link dead or hide a page:
an old slug may not be a slug a page of its kind has (that page would be hidden by the redirect, or
hide it), a name the section's own pages use, the entity's own slug, or another entity's old slug.
Links to an old address (a reference in YAML, a link in a hand-written page) are refused with the
new one named, so the site links to pages, not to redirects.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.content.models import Entity, Location
from generator.content.names import reserved_problem

# (kind, old slug) → new slug.
Renames = dict[tuple[str, str], str]


def renamed_slugs(entities: dict[str, dict[str, Entity]]) -> Renames:
    """Every old slug of every entity, by kind, mapped to the entity's current slug (the first claim wins)."""
    renames: Renames = {}
    for kind, by_slug in entities.items():
        for slug, entity in by_slug.items():
            for old in entity.renamed_from:
                renames.setdefault((kind, old), slug)
    return renames


def rename_problems(entities: dict[str, dict[str, Entity]], known: Callable[[str, str], bool]) -> list[tuple[Entity, Location, str]]:
    """(entity, location, message) for every old slug that would hide a page or be claimed twice.

    `known(kind, slug)` says whether a content file of that kind and slug exists (loaded or not).
    """
    problems = []
    claimed: Renames = {}
    for kind, by_slug in entities.items():
        section = type(next(iter(by_slug.values()))).section if by_slug else kind
        for slug, entity in by_slug.items():
            for i, old in enumerate(entity.renamed_from):
                loc: Location = ("renamed_from", i)
                if old == slug:
                    message = f"{old!r} is this file's own slug (expected the slug it had before it was renamed)"
                elif known(kind, old):
                    message = f"{section}/{old}/ is still a page, content/{kind}/{old}.yaml (expected a slug no {kind} has: a redirect there would hide it)"
                elif reserved := reserved_problem(kind, old):
                    message = reserved
                elif (kind, old) in claimed:
                    message = f"{old!r} is also listed by {section}/{claimed[kind, old]} (expected each old slug under one {kind} only)"
                else:
                    claimed[kind, old] = slug
                    continue
                problems.append((entity, loc, message))
    return problems
