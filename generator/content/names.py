"""Names the site gives its own pages and folders, which no content file may take.

A content file's slug becomes a page path: `content/drug/<slug>.yaml` → `drugs/<slug>.md`,
`content/pages/<slug>.md` → `<slug>.md`. The generator writes pages of its own next to them (a
section's index, the drug comparison, the A–Z index, one page per letter of a long listing), and
the engine and the publishing step own a few folders at the site root. A content file with one
of those names would silently replace a generated page, or be replaced by it, so it is refused.

This is the one list: the render step names its pages from these constants, and a test checks
that every page it generates is either an entity, a hand-written page, or reserved here.
"""

from __future__ import annotations

import re

from generator.content.models import KINDS

HOME = "index"  # content/pages/index.md: the home page (required)
A_TO_Z = "a-z"
CHANGES = "changes"
SOURCES = "sources"
API = "api"  # the JSON export (pages/export.py)
DOWNLOADS = "downloads"  # the Offline copy page and the offline zip beside it (pages/downloads.py)
# Generated pages at the site root (besides the sections' own folders).
SITE_PAGES = (A_TO_Z, CHANGES, SOURCES, DOWNLOADS)
# Folders and pages the engine, the JSON export, previews or publishing put at the site root.
SITE_OTHERS = ("404", API, "assets", "search", "pr-preview", "preview-changes")
# Generated pages inside a kind's section, besides its index.
SECTION_INDEX = "index"
COMPARE = "compare"
INTERACTIONS = "interactions"
SECTION_PAGES = {"drug": (COMPARE, INTERACTIONS)}
# A listing longer than letters.SPLIT_AT gets one page per initial letter (pages/letters.py
# letter_path): `<listing>-<a..z|other>`, and for a section's index `<section>/letter-<a..z|other>`.
SPLIT_SITE_PAGES = (A_TO_Z,)
SECTION_LETTERS = "letter"
_LETTER_SUFFIX = r"-(?:[a-z]|other)"


def reserved_page_slugs() -> list[str]:
    """Slugs a hand-written page may not have, letter pages written as `a-z-*`."""
    sections = [model.section for model in KINDS.values()]
    return [*SITE_PAGES, *sections, *SITE_OTHERS, *(f"{name}-*" for name in SPLIT_SITE_PAGES)]


def reserved_entity_slugs(kind: str) -> list[str]:
    """Slugs an entity of `kind` may not have, letter pages written as `letter-*`."""
    listings = SECTION_PAGES.get(kind, ())
    return [SECTION_INDEX, *listings, *(f"{name}-*" for name in (SECTION_LETTERS, *listings))]


def _matches(slug: str, names: list[str]) -> bool:
    return any(re.fullmatch(re.escape(name[:-2]) + _LETTER_SUFFIX if name.endswith("-*") else re.escape(name), slug) for name in names)


def reserved_problem(kind: str | None, slug: str) -> str | None:
    """Why `slug` cannot name an entity of `kind` (None: a hand-written page), or None if it can.

    The message lists the reserved names: `what is wrong (what was expected)`.
    """
    names = reserved_entity_slugs(kind) if kind else reserved_page_slugs()
    if not _matches(slug, names):
        return None
    where = f"the {KINDS[kind].section}/ section" if kind else "the site"
    return f"{slug!r} is the name of a page {where} generates (expected another name; reserved: {', '.join(names)}, where * is a letter or 'other')"
