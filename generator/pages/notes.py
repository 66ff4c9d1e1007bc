"""Editorial notes beside what they qualify: each note is shown at the section it is about.

A note has a topic and a text but no place, so it is placed by its words: at the first place of its
kind (below, in order) whose words its topic uses; failing that, at the place whose words come
first in its text; failing that, at the end of the page ("Other editorial notes"). The top of the
page keeps a short index linking to every note wherever it is shown.

A place is a section anchor of the kind's page. A place the page leaves out when a field is empty
(a drug without prices has no price section) names that field, so no note is placed where it
would not be shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.content.models import Entity
from generator.content.models.common import EditorialNote


@dataclass(frozen=True)
class Place:
    """A section a note may be placed at: its anchor, the words that place a note there, and the field without which the page has no such section."""

    anchor: str
    words: re.Pattern[str]
    needs: str = ""


def _place(anchor: str, words: str, needs: str = "") -> Place:
    return Place(anchor, re.compile(rf"\b(?:{words})", re.I), needs)


# Per kind, the places in the order a topic is tried against them (most specific first).
PLACES: dict[str, tuple[Place, ...]] = {
    "drug": (
        _place("analogues", r"analogues?\b", "analogues"),
        _place("patient-reports", r"(patient )?reviews?\b|patient reports?\b|experiences?\b", "patient_reports"),
        _place("price", r"prices?\b", "prices"),
        _place("key-facts", r"names?\b|spellings?\b|trade names?\b|active substance"),
        _place("indications", r"used for\b|indications?\b|indicated\b"),
        _place("contraindications", r"contraindicat"),
        _place("children", r"child|paediatric|pediatric|adolescen"),
        _place("pregnancy", r"pregnan|breast-?feed|lactation"),
        _place("driving", r"driv|machines?\b|machinery"),
        _place("interactions", r"interact"),
        _place("warnings", r"warnings?\b|cautions?\b|precautions?\b"),
        _place("dosage-forms", r"forms?\b|strengths?\b|routes?\b|appearance"),
        _place("composition", r"composition|excipients?\b|ingredients?\b"),
        _place("dosage", r"dos(e|es|ing|age)\b|administration"),
        _place("side-effects", r"side effects?\b|adverse|undesirable"),
        _place("overdose", r"overdos"),
        _place("pharmacodynamics", r"pharmacodynamic|how it works|mechanism"),
        _place("pharmacokinetics", r"pharmacokinetic|absorption|metaboli"),
        _place("shelf-life", r"shelf life|expiry"),
        _place("storage", r"storage|store\b"),
        _place("packaging", r"packag|packs?\b|ampoules?\b"),
    ),
    "procedure": (
        _place("source-statement", r"who wrote|publisher|written by"),
        _place("provider-claims", r"claims?\b", "provider_claims"),
        _place("contraindications", r"contraindicat"),
        _place("reactions", r"reactions?\b|side effects?\b"),
        _place("who-it-is-for", r"who it is for|audience|ages?\b|requirements?\b|conditions?\b|indications?\b"),
        _place("aftercare", r"aftercare|after the procedure|recovery"),
        _place("reported-effects", r"effects?\b|results?\b"),
        _place("steps", r"steps?\b|timing|schedule|stay\b|sessions?\b|course\b|injected|routes?\b|administration"),
        _place("about", r"details|description|status"),
    ),
    "condition": (
        _place("source-statement", r"who wrote|publisher|written by"),
        _place("forms", r"forms?\b|types?\b|classification", "forms"),
        _place("causes", r"causes?\b|risk factors?\b|damage\b|occurs?\b"),
        _place("symptoms", r"symptoms?\b|signs?\b"),
        _place("complications", r"complications?\b", "complications"),
        _place("procedures", r"procedures?\b|clinics?\b", "related_procedures"),
        _place("treatment", r"treatment|rehabilitation|therapy|therapies"),
        _place("prevalence", r"prevalence|how common|figures?\b|statistics", "prevalence"),
        _place("definition", r"definition|what it is"),
    ),
}


def place_notes(entity: Entity) -> dict[str, list[EditorialNote]]:
    """The entity's editorial notes by the anchor of the section each is shown at ("" for the end of the page).

    Within a place, notes keep the order the editor gave them.
    """
    places = [place for place in PLACES.get(entity.kind, ()) if not place.needs or getattr(entity, place.needs)]
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
