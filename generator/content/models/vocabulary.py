"""Small helpers the kinds share to describe themselves: schema.org nodes and the key safety box.

A kind's model says what its page is about (`Entity.schema_org`) and what a reader must see first
(`Entity.key_safety`); these helpers keep those methods short and alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

JsonLd = dict[str, Any]

SCHEMA_ORG = "https://schema.org"

State = Literal["restricted", "caution", "stated", "not-stated"]

# What a statement about a group of people (pregnancy, breastfeeding, children, driving) says
# for them, strictest first. The editor chooses one; `make check` refuses one the text does not support.
Verdict = Literal["must not use", "not recommended", "only as prescribed", "caution", "no data", "no restriction stated"]
VERDICTS: tuple[Verdict, ...] = ("must not use", "not recommended", "only as prescribed", "caution", "no data", "no restriction stated")
# The words in a statement that support each verdict. A statement's words must support its verdict,
# and no words in it may support a stricter one (`verdict_problem`): "contraindicated" under "no
# data" is refused. "No data" and "no restriction stated" need words that say exactly that.
_NOT = r"(?<!\bnot )(?<!\bno )"  # "is not contraindicated" is not a contraindication
VERDICT_EVIDENCE: dict[Verdict, re.Pattern[str]] = {
    "must not use": re.compile(
        rf"\b({_NOT}contraindicated|must not|do(es)? not allow|should not be (used|taken|given|administered)|not to be used|is prohibited)\b", re.I
    ),
    "not recommended": re.compile(r"\b(not recommended|undesirable|should be avoided|avoid(ed)?)\b", re.I),
    "only as prescribed": re.compile(
        r"\b(strictly as prescribed|only as prescribed|only on (a )?(doctor's )?prescription|strictly according to the doctor"
        r"|prescribed individually by (a|the) doctor|(a|the) doctor prescribes (the )?treatment individually)",
        re.I,
    ),
    "caution": re.compile(r"\b(caution|careful|with care|under (medical )?supervision|only if|outweighs?)\b", re.I),
    "no data": re.compile(
        r"\b(no (reliable |clinical )?data|not (been )?studied|not been (conducted|established)"
        r"|not (been )?clinically proven|insufficient (clinical )?data|lack of (appropriate |clinical )?(studies|data))\b",
        re.I,
    ),
    "no restriction stated": re.compile(
        r"\b(can be (used|taken|given)|may be (used|taken|given)|no (dose )?adjustment|(is|are) not needed|no restrictions?)\b", re.I
    ),
}
# How each verdict reads in the key safety box and before its statement, and the state it gives.
VERDICT_WORDS: dict[Verdict, tuple[str, State]] = {
    "must not use": ("do not use", "restricted"),
    "not recommended": ("not recommended", "restricted"),
    "only as prescribed": ("only as a doctor prescribes", "caution"),
    "caution": ("use with caution", "caution"),
    "no data": ("no data", "not-stated"),
    "no restriction stated": ("no restriction stated", "stated"),
}


def strictest(verdicts: Iterable[Verdict]) -> Verdict | None:
    """The strictest of `verdicts` (None for none)."""
    found = set(verdicts)
    return next((verdict for verdict in VERDICTS if verdict in found), None)


# What marks a contraindication as being about a topic. Used only to point at the
# contraindications ("listed under contraindications"), never to summarise what they say.
TOPICS = {
    "children": re.compile(r"\b(child|children|paediatric|pediatric|adolescen\w*|age under|under \d+ years)", re.IGNORECASE),
    "pregnancy": re.compile(r"\bpregnan", re.IGNORECASE),
    "breastfeeding": re.compile(r"\b(breast-?feed\w*|lactat\w*|nursing)", re.IGNORECASE),
    "driving": re.compile(r"\b(driv\w*|machinery|machines)\b", re.IGNORECASE),
}
NOT_STATED_DRUG = "not stated in sources"
NOT_STATED_PROCEDURE = "not stated by the provider"
CONTRAINDICATED = "listed under contraindications"
# States from strictest to mildest: an item that joins several parts takes the strictest.
STATES: tuple[State, ...] = ("restricted", "caution", "stated", "not-stated")


@dataclass(frozen=True)
class SafetyItem:
    """One line of the key safety box: `label`, then `lines` (one sentence each), linking to `#anchor`.

    The state is in the words; colour only repeats it. Nothing is guessed: where the data is silent
    an item says "not stated", and where it is prose no item can shorten it names the section (`see_section`).
    """

    label: str
    lines: tuple[str, ...]
    anchor: str
    state: State

    @property
    def value(self) -> str:
        """The lines as one text."""
        return " ".join(self.lines)


def see_section(title: str) -> str:
    """A pointer to a section below that still reads on paper, where the link is lost: 'see "Who must not have it" below'."""
    return f"see “{title}” below"


def strictest_state(states: Iterable[State]) -> State:
    """The strictest of `states` ("not-stated" for none)."""
    found = set(states)
    return next((state for state in STATES if state in found), "not-stated")


@dataclass(frozen=True)
class SeriousSign:
    """Side effects or reactions this site treats as needing emergency help, and what it calls them.

    Matched on the effect's name only. The advice that goes with them is the site's, never the
    source's, and the page says so ("This site's advice: ..."). Where the source says what to do,
    its words are shown; they take the place of the site's advice only for a sign that is
    `replaceable`: no content field can take the emergency advice away from a severe allergic reaction.
    """

    pattern: re.Pattern[str]
    what: str  # how the advice names them: "signs of a severe allergic reaction"
    replaceable: bool = True  # False: the site's emergency advice is shown whatever the source says


SERIOUS_SIGNS = (
    SeriousSign(re.compile(r"\b(anaphyla\w*|angio-?o?edema|quincke)", re.I), "signs of a severe allergic reaction", replaceable=False),
    SeriousSign(re.compile(r"\b(difficulty breathing|dyspno?ea|shortness of breath)", re.I), "difficulty breathing"),
    SeriousSign(re.compile(r"\b(seizures?|convulsions?|fits)\b", re.I), "a seizure"),
    # A fast heartbeat with pain may be the heart itself: the site does not leave it among the minor effects.
    SeriousSign(re.compile(r"\b(chest pain|(heartbeat|palpitations?|tachycardia)\b.*\bpain)", re.I), "a racing heartbeat with pain"),
)


def serious_signs(names: Iterable[str]) -> list[tuple[SeriousSign, list[str]]]:
    """The serious signs among `names` (side effects or reactions), each with the names it matched, in SERIOUS_SIGNS order.

    A name counts once, under the first sign it matches.
    """
    left = list(names)
    found = []
    for sign in SERIOUS_SIGNS:
        matched = [name for name in left if sign.pattern.search(name)]
        if matched:
            found.append((sign, matched))
            left = [name for name in left if name not in matched]
    return found


def site_advice(signs: Iterable[SeriousSign]) -> str:
    """The site's standard advice for `signs`, marked as the site's."""
    whats = [sign.what for sign in signs]
    listed = ", ".join(whats[:-1]) + f" or {whats[-1]}" if len(whats) > 1 else whats[0]
    return f"This site's advice: for {listed}, call your local emergency number at once."


# What the site says about overdose, under the source's own words (or under "the sources say nothing").
OVERDOSE_ADVICE = (
    "This site's advice: if you think you or someone else, a child especially, has used more than they should, contact a doctor "
    "or a poison centre at once, with the pack to hand. If they collapse, have a seizure or have difficulty breathing, call your "
    "local emergency number."
)


# What the site says under a drug's other side effects: which ones count as serious is this site's
# grouping, not the source's, so none of the rest may read as harmless.
OTHER_SIDE_EFFECTS_ADVICE = (
    "This site's advice: the grouping into serious and other side effects is this site's, not the source's. If any side "
    "effect is severe, does not pass or worries you, contact a doctor at once."
)

# What the site says after a procedure's reactions when none of them is a serious sign (or none is listed):
# clinics' lists are short and reassuring, and a reader at home needs to know when to get help.
AFTER_PROCEDURE_ADVICE = (
    "This site's advice: if a reaction after the procedure is severe or does not pass, contact the provider or a doctor at once; "
    "for a seizure, difficulty breathing or signs of a severe allergic reaction, call your local emergency number."
)


def mentions(topic: str, texts: Iterable[str]) -> bool:
    """True when any of `texts` is about `topic` (a key of TOPICS)."""
    return any(TOPICS[topic].search(text) for text in texts)


def compact(node: JsonLd) -> JsonLd:
    """Drop properties the content does not give (None, empty text or empty list)."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def paragraphs(items: Iterable[str]) -> str | None:
    """Paragraphs as one text, blank-line separated; None when there are none."""
    return "\n\n".join(items) or None


def sentence(text: str) -> str:
    """Text ending in a full stop, so that joined items stay apart."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def named(schema_type: str, name: str) -> JsonLd:
    """A node named, not described (an entity's own page has the details)."""
    return {"@type": schema_type, "name": name}


@dataclass(frozen=True)
class Place:
    """A section of a kind's page an editorial note may be placed at: its anchor, the words that
    place a note there, and the field without which the page has no such section."""

    anchor: str
    words: re.Pattern[str]
    needs: str = ""


def place(anchor: str, words: str, needs: str = "") -> Place:
    """A note place whose `words` (a regular expression, any case) start at a word boundary."""
    return Place(anchor, re.compile(rf"\b(?:{words})", re.I), needs)


def _each_entity(entities: list[Any], catalogue: Any) -> list[Any]:
    return entities


def _itself(row: Any) -> Any:
    return row


@dataclass(frozen=True)
class SectionListing:
    """A page of a kind's own section that lists its entities, or rows read off them (a drug's
    comparison table, its interaction overview): `<section>/<name>.md`, in the section's navigation
    after its index, split by letter when long."""

    name: str  # the page's file name in the section: `compare` → `drugs/compare.md`
    title: str
    summary: str
    template: str  # in pages/templates/; it gets the rows as `rows`
    # The rows, from the kind's entities (A to Z) and the catalogue; by default the entities themselves.
    rows: Callable[[list[Any], Any], list[Any]] = _each_entity
    # The entity a row is about: the listing is ordered and split by its title.
    entity_of: Callable[[Any], Any] = _itself
