"""At-a-glance restrictions: one badge per question a reader brings to a drug or procedure page
(children, pregnancy, breastfeeding, driving, prescription), derived from the entity's data.

Each badge is text (the state is in the words, colour only repeats it) and names the section of
the same page that says more. Nothing is guessed: where the data is silent the badge says
"not stated", and where the data is prose that no badge can shorten faithfully it says
"see section".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from generator.content.models import DrugMonograph, Entity, Procedure

State = Literal["restricted", "stated", "not-stated"]

# What marks a contraindication as being about a topic. Used only to point at the
# contraindications ("listed under contraindications"), never to summarise what they say.
_TOPICS = {
    "children": re.compile(r"\b(child|children|paediatric|pediatric|adolescen\w*|age under|under \d+ years)", re.IGNORECASE),
    "pregnancy": re.compile(r"\bpregnan", re.IGNORECASE),
    "breastfeeding": re.compile(r"\b(breast-?feed\w*|lactat\w*|nursing)", re.IGNORECASE),
    "driving": re.compile(r"\b(driv\w*|machinery|machines)\b", re.IGNORECASE),
}
NOT_STATED_DRUG = "not stated in sources"
NOT_STATED_PROCEDURE = "not stated by the provider"
CONTRAINDICATED = "listed under contraindications"
SEE_SECTION = "see section"


@dataclass(frozen=True)
class Badge:
    """One restriction: `label: value`, linking to the section `#anchor` of the same page."""

    label: str
    value: str
    anchor: str
    state: State


def restrictions(entity: Entity) -> list[Badge]:
    """The badges of a drug or procedure page; none for other kinds."""
    if isinstance(entity, DrugMonograph):
        return _drug(entity)
    if isinstance(entity, Procedure):
        return _procedure(entity)
    return []


def _mentions(topic: str, texts: Iterable[str]) -> bool:
    return any(_TOPICS[topic].search(text) for text in texts)


def _drug(drug: DrugMonograph) -> list[Badge]:
    contraindications = [item.text for item in drug.contraindications]
    badges = [_children(drug, contraindications)]
    for topic, label in (("pregnancy", "Pregnancy"), ("breastfeeding", "Breastfeeding")):
        if _mentions(topic, contraindications):
            badges.append(Badge(label, CONTRAINDICATED, "contraindications", "restricted"))
        elif drug.pregnancy_lactation:
            # One combined section in the SmPC: any statement there is worth reading for either.
            badges.append(Badge(label, SEE_SECTION, "pregnancy", "stated"))
        else:
            badges.append(Badge(label, NOT_STATED_DRUG, "pregnancy", "not-stated"))
    if drug.driving:
        badges.append(Badge("Driving", SEE_SECTION, "driving", "stated"))
    else:
        badges.append(Badge("Driving", NOT_STATED_DRUG, "driving", "not-stated"))
    prescription: dict[str, tuple[str, State]] = {
        "prescription": ("required", "restricted"),
        "non-prescription": ("not required", "stated"),
        "not stated": (NOT_STATED_DRUG, "not-stated"),
    }
    value, state = prescription[drug.prescription_status]
    badges.append(Badge("Prescription", value, "key-facts", state))
    return badges


def _children(drug: DrugMonograph, contraindications: list[str]) -> Badge:
    """The age limit when a statement gives one (per form), else a pointer, else "not stated"."""
    limits = [
        f"not under {item.minimum_age_years}" + (f" ({'; '.join(_short(name) for name in drug.form_names(item.forms))})" if item.forms else "")
        for item in drug.children
        if item.minimum_age_years is not None
    ]
    if limits:
        return Badge("Children", "; ".join(limits), "children", "restricted")
    if _mentions("children", contraindications):
        return Badge("Children", CONTRAINDICATED, "contraindications", "restricted")
    if drug.children:
        return Badge("Children", SEE_SECTION, "children", "stated")
    return Badge("Children", NOT_STATED_DRUG, "children", "not-stated")


def _short(form_name: str) -> str:
    """`Solution for injection (parenteral administration)` → `Solution for injection`."""
    return form_name.split(" (", 1)[0]


def _procedure(procedure: Procedure) -> list[Badge]:
    """Procedures have no prescription status or driving section: ages, pregnancy,
    breastfeeding from the audience and contraindications, driving from the aftercare."""
    contraindications = [*procedure.contraindications, *procedure.contraindication_notes]
    if procedure.audience.ages:
        badges = [Badge("Ages", procedure.audience.ages, "who-it-is-for", "stated")]
    elif _mentions("children", contraindications):
        badges = [Badge("Ages", CONTRAINDICATED, "contraindications", "restricted")]
    else:
        badges = [Badge("Ages", NOT_STATED_PROCEDURE, "who-it-is-for", "not-stated")]
    for topic, label in (("pregnancy", "Pregnancy"), ("breastfeeding", "Breastfeeding")):
        if _mentions(topic, contraindications):
            badges.append(Badge(label, CONTRAINDICATED, "contraindications", "restricted"))
        else:
            badges.append(Badge(label, NOT_STATED_PROCEDURE, "contraindications", "not-stated"))
    if _mentions("driving", [*procedure.aftercare, *procedure.aftercare_notes]):
        badges.append(Badge("Driving", "see aftercare", "aftercare", "stated"))
    else:
        badges.append(Badge("Driving", NOT_STATED_PROCEDURE, "aftercare", "not-stated"))
    return badges
