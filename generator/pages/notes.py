"""Editorial notes beside what they qualify: each note is shown at the section it is about.

A note has a topic and a text but no place, so it is placed by its words: at the first place of its
kind (below, in order) whose words its topic uses; failing that, at the place whose words come
first in its text; failing that, at the end of the page ("Other editorial notes"). The top of the
page keeps a short index linking to every note wherever it is shown.

The places are the kind's (`note_places` on its model). A place is a section anchor of the kind's page. A place the page leaves out when a field is empty
(a drug without prices has no price section) names that field, so no note is placed where it
would not be shown.
"""

from __future__ import annotations

from generator.content.models import Entity
from generator.content.models.common import EditorialNote
from generator.content.models.vocabulary import Place


def place_notes(entity: Entity) -> dict[str, list[EditorialNote]]:
    """The entity's editorial notes by the anchor of the section each is shown at ("" for the end of the page).

    Within a place, notes keep the order the editor gave them.
    """
    places = [place for place in type(entity).note_places if not place.needs or getattr(entity, place.needs)]
    placed: dict[str, list[EditorialNote]] = {}
    for note in entity.editorial_notes:
        placed.setdefault(_place_of(note, places), []).append(note)
    return placed


def _place_of(note: EditorialNote, places: list[Place]) -> str:
    """The topic's first place; else the place whose words come first in the text; else ""."""
    for place in places:
        if place.words.search(note.topic):
            return place.anchor
    found = [(match.start(), i, place.anchor) for i, place in enumerate(places) if (match := place.words.search(note.text))]
    return min(found)[2] if found else ""
