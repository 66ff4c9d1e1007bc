"""Split a long listing into one page per initial letter, so no page grows with the catalogue.

A catalogue of thousands of drugs cannot list every drug, name or comparison row on one page
(the reader's budget is 300 KiB of HTML a page) nor in one navigation section (every page would
render thousands of entries). Up to `SPLIT_AT` items a listing stays one page; beyond that, its
page becomes a row of letters linking to one page per letter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

SPLIT_AT = 50


@dataclass
class ListingPart(Generic[T]):
    """One page of a listing: the whole listing (`letter` empty) or one letter of it."""

    path: str
    letter: str
    items: list[T]
    # (letter, path) of every letter page; empty when the listing is not split.
    letters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        """What a letter page adds to the listing's title, e.g. `: A`."""
        return f": {self.letter}" if self.letter else ""


def letter_of(name: str) -> str:
    """The letter a name is filed under: its first letter, or `#` for a digit or symbol."""
    first = unicodedata.normalize("NFKD", name[:1])[:1].upper()  # É → E
    return first if first.isascii() and first.isalpha() else "#"


def letter_path(path: str, letter: str) -> str:
    """`drugs/index.md`, `B` → `drugs/letter-b.md`; `a-z.md`, `#` → `a-z-other.md`."""
    base = path.removesuffix(".md")
    base = base.removesuffix("/index") + "/letter" if base.endswith("/index") else base
    return f"{base}-{letter.lower() if letter.isalpha() else 'other'}.md"


def by_letter(path: str, items: list[T], name: Callable[[T], str]) -> list[ListingPart[T]]:
    """The pages of a listing at `path`: itself with all items, or itself (no items) then one page per letter."""
    if len(items) <= SPLIT_AT:
        return [ListingPart(path, "", items)]
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(letter_of(name(item)), []).append(item)
    letters = [(letter, letter_path(path, letter)) for letter in sorted(groups)]
    return [ListingPart(path, "", [], letters), *(ListingPart(p, letter, groups[letter], letters) for letter, p in letters)]
