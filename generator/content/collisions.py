"""Checks across files on how readers find a page: titles and names two entities share, links to oneself.

Readers find a page by its title or any of its names (A–Z index, search, analogue and
interaction links), always ignoring letter case. So:

- a title belongs to one page: a second entity with the same title is refused;
- a name two entities share (a trade name, an alias) is refused unless the entity says why in
  `shared_with:`, which the A–Z index shows beside that entry. The holder whose title it is needs
  no note, and nor does a name in a field the model marks as shareable (`shareable_names`: a
  drug's active substance, which two brands of citicoline share as a matter of course);
- a `shared_with:` entry for a name no other entity has is refused (it would explain nothing);
- an entity that links to itself (a drug listed as interacting with itself) is refused.

Names a drug gives itself in its analogues or interactions are the model's own check (drug.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from generator.content.models import Entity, Location

# (entity to blame, where in its file, what is wrong (what to do))
Problem = tuple[Entity, Location, str]


def collision_problems(entities: dict[str, dict[str, Entity]], path_of: Callable[[Entity], str]) -> Iterator[Problem]:
    """Every shared title, unexplained shared name, stale `shared_with:` entry and link to oneself."""
    everyone = [entity for by_slug in entities.values() for entity in by_slug.values()]
    everyone.sort(key=path_of)
    yield from _shared_titles(everyone, path_of)
    yield from _shared_names(everyone, path_of)
    for kind, by_slug in entities.items():
        for slug, entity in by_slug.items():
            for loc, target_kind, target in entity.references():
                if (target_kind, target) == (kind, slug):
                    yield entity, loc, f"{target!r} is this {kind}'s own slug: the page would link to itself (expected another {kind}'s slug, or leave it out)"


def _shared_titles(everyone: list[Entity], path_of: Callable[[Entity], str]) -> Iterator[Problem]:
    first: dict[str, Entity] = {}
    for entity in everyone:
        holder = first.setdefault(entity.title.casefold(), entity)
        if holder is not entity:
            expected = "expected a title no other page has; a name both share can stay as an alias, with a shared_with: note"
            yield entity, ("title",), f"{entity.title!r} is also the title of {path_of(holder)} ({expected})"


def _shared_names(everyone: list[Entity], path_of: Callable[[Entity], str]) -> Iterator[Problem]:
    holders: dict[str, dict[int, Entity]] = defaultdict(dict)
    for entity in everyone:
        for name in entity.names():
            holders[name.casefold()][id(entity)] = entity
    for entity in everyone:
        explained = {name.casefold() for name in entity.shared_with}
        seen = {entity.title.casefold()}  # the title's holder needs no note; a name listed twice gets one line
        for loc, name in entity.named():
            key = name.casefold()
            others = [other for other in holders[key].values() if other is not entity]
            if not others or key in seen or key in explained or str(loc[0]) in entity.shareable_names:
                continue
            seen.add(key)
            other = min(others, key=lambda other: other.title.casefold() != key)  # the page it is the title of, if any
            role = "the title" if other.title.casefold() == key else "a name"
            note = f"`shared_with: {{{name}: <a few words>}}`"
            yield entity, loc, f"{name!r} is also {role} of {path_of(other)} (expected a note saying why, shown in the A–Z index: {note}; or remove it)"
        for name in entity.shared_with:  # a name not its own is the model's check
            if set(holders[name.casefold()]) == {id(entity)}:
                yield entity, ("shared_with", name), f"no other page has the name {name!r} (expected only names another page shares: remove the entry)"
