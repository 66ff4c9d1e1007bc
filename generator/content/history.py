"""Change history for readers, from the content itself: each entity's `changes:` notes.

An editor who changes a page in a way that matters to readers adds a dated note in plain words,
reviewed in the pull request like any other field (a PR preview flags changed pages that gained
none). Pages show their own notes; the "Recent changes" page lists the newest across the site.
Everything comes from the content, never from git or the clock, so two builds of the same content
are identical wherever they run (a shallow CI checkout, a `git archive` export, a copied folder).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.catalogue import Catalogue
from generator.content.models import ChangeNote, Entity

RECENT = 20  # change notes listed on the site-wide "Recent changes" page


def page_changes(entity: Entity) -> list[ChangeNote]:
    """The entity's change notes, newest first (notes of one day in the order written)."""
    return sorted(entity.changes, key=lambda change: change.date, reverse=True)


@dataclass(frozen=True)
class SiteChange:
    """One change note and the page it is on."""

    change: ChangeNote
    entity: Entity


def recent_changes(catalogue: Catalogue, limit: int = RECENT) -> list[SiteChange]:
    """The newest `limit` change notes across the site, newest first (ties by page title)."""
    notes = [SiteChange(change, entity) for entity in catalogue.all() for change in page_changes(entity)]
    notes.sort(key=lambda item: (-item.change.date.toordinal(), item.entity.title.casefold()))
    return notes[:limit]
