"""Content lints, run by `make check` after validation: what a schema cannot see.

The models already make it impossible to publish an entity without `sources`, `last_reviewed` or
`next_review`, a price without an `as_of` key, or `provider_claims` without a provider. The lints
look inside otherwise valid values:

- **debris**: widget, navigation and footer text of the scraped pages (phrases in `lint-phrases.yaml`);
- **claims**: an evaluative claim ("the most effective", "relatively safe") outside
  `provider_claims` in a sentence that does not say who makes it;
- **voice**: a word of effect, benefit or assurance ("restores", "reduces", "safe", "does not
  contain") in a field the page shows in this site's own voice, in a sentence that does not say who
  states it; an assurance listed as a warning, whoever states it;
- **scope**: an instruction for every form ("Keep out of the reach of children") limited to some forms;
- **contradiction**: a denial ("no complications") on a page that lists side effects or reactions,
  with no editorial note naming it;
- **translation**: a known machine-translation pitfall ("productive delirium") with no editorial
  note that names it and says the translation is uncertain;
- **price**: a price written into running text, where it has no date (prices belong in `prices:`),
  and an `as_of` date later than the page's own review;
- **sources**: a source cited inside a page (a note, a price) that its `sources:` list leaves out,
  so the page's sources footer would not name it;
- **review**: a `last_reviewed` date after today, a review interval longer than the year the
  editorial policy promises, and, as a *warning* only, a `next_review` date that has passed;
- **changes**: a change note dated after today (the models already keep it on or before
  `last_reviewed`).

Each finding is one line, `path:line: field: error: message` or `... warning: message`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from generator.content.catalogue import Catalogue
from generator.content.load import RawContent, RawDocument, RawPage, Unreadable, load_content, read_text
from generator.content.models import Entity, PageFrontMatter
from generator.content.validate import validate
from generator.content.yaml_source import Location, YamlProblem, format_location
from generator.memo import digest
from generator.project import Project

PHRASES = Path(__file__).with_name("lint-phrases.yaml")
# libyaml when installed (as in yaml_source): its marks are character positions too, and it is ~20x faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
# Money written as text: an amount next to a currency word or sign, either way round.
_CURRENCY = r"(?:rubles?|roubles?|rub|руб\w*|₽|euros?|eur|€|dollars?|usd|\$|pounds?|gbp|£)"
_PRICE = re.compile(rf"(?<!\w)(?:\d[\d\s,.]*\s?{_CURRENCY}(?!\w)|{_CURRENCY}\s?\d)", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A claim phrase right after one of these is a denial ("has not been clinically proven"), not a claim.
_NEGATION = re.compile(r"\b(?:not|no|never|without|nor)\b(?:\s+\w+){0,2}\s*$|n't\s*$", re.I)
# A denial right after one of these is about the patient ("must have no complications of a chronic
# condition"), a requirement, not an assurance about the product.
_ABOUT_THE_PATIENT = re.compile(r"\b(?:have|has|having|with)(?:\s+no\b[^.;]{0,80}\b(?:and|or))?\s*$", re.I)
# Where the model's own fields already attribute the text to the provider.
CLAIMS_FIELD = "provider_claims"


@dataclass(frozen=True, order=True)
class Finding:
    """One lint result, printed as ``path:line: field: error: message`` (or ``warning:``)."""

    path: str
    line: int
    field: str
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.severity}: {self.message}"


class PhraseList:
    """Phrases found as whole words, in any case, with any whitespace between their words.

    Most values contain none of them. A regular expression per phrase (or one alternation of them
    all) tries every phrase at every character; instead each phrase is filed under its first word,
    and only a phrase all of whose words occur in a value is searched for in it.
    """

    def __init__(self, phrases: list[str]) -> None:
        self.phrases = [(p, _phrase_pattern(p), frozenset(_WORD.findall(p.casefold()))) for p in phrases]
        self.phrase_set = frozenset(phrases)
        self.by_first_word: dict[str, list[int]] = {}
        self.wordless: list[int] = []  # symbols such as a link icon: always searched for
        for i, (phrase, _, _) in enumerate(self.phrases):
            first = _WORD.findall(phrase.casefold())[:1]
            if first:
                self.by_first_word.setdefault(first[0], []).append(i)
            else:
                self.wordless.append(i)

    def __len__(self) -> int:
        return len(self.phrases)

    def candidates(self, value: str) -> list[tuple[str, re.Pattern[str]]]:
        """The phrases that may occur in `value`, in list order (a necessary condition; search each)."""
        words = _words(value)
        found = sorted([*self.wordless, *(i for word in words & self.by_first_word.keys() for i in self.by_first_word[word] if self.phrases[i][2] <= words)])
        return [self.phrases[i][:2] for i in found]


@lru_cache(maxsize=1024)  # each value is looked at by two phrase lists, one after the other
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(word) for word in phrase.split()) + r"(?!\w)", re.I)


@dataclass(frozen=True)
class Pitfall:
    """A known machine-translation pitfall: the term (matched with its plural too) and what it may mean."""

    term: str
    pattern: re.Pattern[str]
    may_mean: str


@dataclass(frozen=True)
class Phrases:
    """The phrase lists of `lint-phrases.yaml`, compiled."""

    debris: PhraseList
    claims: PhraseList
    attribution: re.Pattern[str]
    effects: PhraseList
    assurances: PhraseList
    denials: PhraseList
    general_instructions: PhraseList
    pitfalls: tuple[Pitfall, ...]
    editor_words: PhraseList


@cache
def phrases(path: Path = PHRASES) -> Phrases:
    """Load and compile the phrase lists (whole words, any case, any whitespace between words)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    attribution = re.compile("|".join(_phrase_pattern(p).pattern for p in data["attribution"]), re.I)
    pitfalls = tuple(
        Pitfall(
            item["term"],
            re.compile(_phrase_pattern(item["term"]).pattern.removesuffix(r"(?!\w)") + r"(?:e?s)?(?!\w)", re.I),
            " ".join(item["may_mean"].split()),
        )
        for item in data["translation_pitfalls"]
    )
    lists = [PhraseList(data[name]) for name in ("debris", "claims")]
    more = [PhraseList(data[name]) for name in ("effects", "assurances", "denials", "general_instructions")]
    return Phrases(*lists, attribution, *more, pitfalls, PhraseList(data["editor_words"]))


def lint_content(project: Project, today: datetime.date) -> tuple[Catalogue, list[Finding]]:
    """Validate the content (ContentError if it is invalid), then lint it; findings sorted by file and line.

    `today` is only used for the warning about a review that is due and for change notes dated in the future.
    """
    raw = load_content(project.content, project.root, project.sources)
    catalogue = validate(raw)
    return catalogue, sorted(set(lint_validated(raw, catalogue, today)))


def lint_validated(raw: RawContent, catalogue: Catalogue, today: datetime.date) -> Iterator[Finding]:
    """Every finding for content that has passed validation."""
    words = phrases()
    for item in raw.entities:
        entity = catalogue.entities[item.kind][item.slug]
        try:
            text = read_text(item.path)
        except (Unreadable, YamlProblem) as error:  # changed since it was loaded a moment ago
            yield _finding(item, 1, (), f"{error} (expected the file as it was loaded)")
            continue
        if digest(text) != item.doc.digest:
            yield _finding(item, 1, (), "the file changed while it was checked (expected the file as it was loaded; check again)")
            continue
        scalars = _TextValues(text, item.doc.data)
        yield from _debris(item, scalars, words)
        attributed = entity.attributed_fields()
        yield from _claims(item, scalars, words, attributed)
        yield from _effects(item, scalars, words, attributed, entity.warning_fields())
        yield from _assurances_in_warnings(item, scalars, words, entity.warning_fields())
        yield from _general_instructions_scoped(item, words)
        yield from _denials(item, scalars, words, entity)
        yield from _translation_pitfalls(item, scalars, words, entity)
        yield from _prices_in_text(item, scalars)
        yield from _price_dates(item, entity)
        yield from _unlisted_sources(item, entity)
        yield from _review(item, entity, today)
        yield from _future_changes(item, entity, today)
    for page in raw.pages:
        meta = next(p.meta for p in catalogue.pages if p.slug == page.slug)
        yield from _page_debris(page, words)
        yield from _review(page, meta, today)


# --- every text value, and the raw text it was written as ------------------------------------


class _TextValues:
    """The text values of a document's data with their locations; the file is composed again only
    to place a finding (most files have none), for the raw text and line of the value it is in."""

    def __init__(self, text: str, data: Any) -> None:
        self.text = text
        self.values = list(_text_values(data, ()))
        self._nodes: dict[Location, yaml.ScalarNode] | None = None

    def __iter__(self) -> Iterator[tuple[Location, str]]:
        return iter(self.values)

    def line_of(self, loc: Location, pattern: re.Pattern[str], nth: int = 0, offset: int = 0) -> int:
        """The file line where the `nth` match of `pattern` inside the value at `loc`, as written, is.

        A folded value spans lines; searching its raw text points the editor at the right one. If the
        raw text hides the match (escapes in a quoted string), the value's first line is the best guess.
        """
        if self._nodes is None:
            self._nodes = dict(_scalar_nodes(yaml.compose(self.text, Loader=_LOADER), ()))
        node = self._nodes[loc]
        raw = self.text[node.start_mark.index : node.end_mark.index]
        found = list(pattern.finditer(raw))
        start = found[min(nth, len(found) - 1)].start() if found else 0
        return node.start_mark.line + 1 + offset + raw[:start].count("\n")


def locate(text: str, data: Any, pattern: re.Pattern[str]) -> tuple[Location, int] | None:
    """The first text value of a document (`text`, parsed as `data`) that `pattern` matches, and the file line of the match."""
    scalars = _TextValues(text, data)
    for loc, value in scalars:
        if pattern.search(value):
            return loc, scalars.line_of(loc, pattern)
    return None


def _text_values(data: Any, loc: Location) -> Iterator[tuple[Location, str]]:
    """Every text value under `data` with its location (validated files have no runaway aliases)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _text_values(value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _text_values(item, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def _scalar_nodes(node: yaml.Node, loc: Location) -> Iterator[tuple[Location, yaml.ScalarNode]]:
    """The same walk over the composed nodes (keys are plain text: the file loaded)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalar_nodes(value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalar_nodes(item, (*loc, i))
    elif isinstance(node, yaml.ScalarNode):
        yield loc, node


def _finding(origin: RawDocument, line: int, loc: Location, message: str, severity: str = "error") -> Finding:
    return Finding(origin.shown_path, line, format_location(loc), severity, message)


# --- the lints --------------------------------------------------------------------------------


def _debris(origin: RawDocument, scalars: _TextValues, words: Phrases, offset: int = 0) -> Iterator[Finding]:
    for loc, value in scalars:
        for phrase, pattern in words.debris.candidates(value):
            for nth, _ in enumerate(pattern.finditer(value)):
                message = f"scraping debris {phrase!r} (expected only content: remove the page's widget, navigation or footer text)"
                yield _finding(origin, scalars.line_of(loc, pattern, nth, offset), loc, message)


def _page_debris(page: RawPage, words: Phrases) -> Iterator[Finding]:
    """Debris in a hand-written page: its front matter and its Markdown body."""
    yield from _debris(page, _TextValues(page.front, page.doc.data), words, offset=1)
    for number, line in enumerate(page.body.splitlines(), start=page.body_line):
        for phrase, pattern in words.debris.candidates(line):
            if pattern.search(line):
                yield Finding(page.shown_path, number, "(body)", "error", f"scraping debris {phrase!r} (expected only content: remove the page's widget text)")


def _denied(before: str) -> bool:
    """True when the text right `before` a phrase denies it ("has not been proven") or makes it about the patient ("must have no complications")."""
    return bool(_NEGATION.search(before[-40:]) or _ABOUT_THE_PATIENT.search(before[-120:]))


def _unattributed(value: str, pattern: re.Pattern[str], words: Phrases) -> Iterator[int]:
    """The indexes of the matches of `pattern` in `value` that stand in a sentence saying nobody states them (denials excepted)."""
    for nth, match in enumerate(pattern.finditer(value)):
        before = value[: match.start()]
        sentence = _SENTENCE_END.split(before)[-1] + value[match.start() :].split(". ", 1)[0]
        if not (_denied(before) or words.attribution.search(sentence)):
            yield nth


def _claims(origin: RawDocument, scalars: _TextValues, words: Phrases, attributed: frozenset[str]) -> Iterator[Finding]:
    for loc, value in scalars:
        if loc[0] in attributed:
            continue
        for phrase, pattern in words.claims.candidates(value):
            for nth in _unattributed(value, pattern, words):
                yield _finding(
                    origin,
                    scalars.line_of(loc, pattern, nth),
                    loc,
                    f"claim {phrase!r} is not attributed (expected it under {CLAIMS_FIELD}, or the sentence to say who claims it, e.g. 'The clinic says ...')",
                )


def _effects(origin: RawDocument, scalars: _TextValues, words: Phrases, attributed: frozenset[str], warnings: frozenset[str]) -> Iterator[Finding]:
    """An effect, benefit or assurance in this site's own voice: the sentence must say whose statement it is."""
    claims_fields = sorted(name for name in attributed if name.endswith("_claims"))
    where = f", or put it under {claims_fields[0]}" if claims_fields else ""
    for loc, value in scalars:
        if loc[0] in attributed or loc[0] == "editorial_notes":
            continue
        # Inside a claim ("the most effective"), the claims lint has reported it already.
        claimed = [match.span() for _, claim in words.claims.candidates(value) for match in claim.finditer(value)]
        for phrase, pattern in words.effects.candidates(value):
            if loc[0] in warnings and phrase in words.assurances.phrase_set:
                continue  # an assurance listed as a warning: reported as that
            matches = list(pattern.finditer(value))
            for nth in _unattributed(value, pattern, words):
                if any(start <= matches[nth].start() < end for start, end in claimed):
                    continue
                message = (
                    f"{phrase!r} states an effect or assurance in this site's own voice (say who states it, e.g. 'The product listing states that ...'{where})"
                )
                yield _finding(origin, scalars.line_of(loc, pattern, nth), loc, message)


def _assurances_in_warnings(origin: RawDocument, scalars: _TextValues, words: Phrases, warnings: frozenset[str]) -> Iterator[Finding]:
    """An assurance is never listed as a warning, whoever states it."""
    for loc, value in scalars:
        if loc[0] not in warnings:
            continue
        for phrase, pattern in words.assurances.candidates(value):
            match = pattern.search(value)
            if match and not _denied(value[: match.start()]):
                message = f"assurance {phrase!r} is listed as a warning (expected it under source_claims, shown as the source's statement)"
                yield _finding(origin, scalars.line_of(loc, pattern), loc, message)


def _general_instructions_scoped(origin: RawDocument, words: Phrases) -> Iterator[Finding]:
    """An instruction for every form ("Keep out of the reach of children") may not carry a `forms:` list."""
    for loc, item in _mappings(origin.doc.data, ()):
        text, forms = item.get("text"), item.get("forms")
        if not (isinstance(text, str) and forms):
            continue
        for phrase, pattern in words.general_instructions.candidates(text):
            if pattern.search(text):
                limited = ", ".join(map(str, forms))
                message = f"{phrase!r} is an instruction for every form, but forms: limits it to {limited} (expected no forms: unless the source limits it)"
                yield _finding(origin, origin.doc.line_of((*loc, "forms")), (*loc, "forms"), message)


def _mappings(data: Any, loc: Location) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Every mapping under `data`, with its location."""
    if isinstance(data, dict):
        yield loc, data
        for key, value in data.items():
            yield from _mappings(value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _mappings(item, (*loc, i))


def _noted(entity: Entity, pattern: re.Pattern[str], also: re.Pattern[str] | None = None) -> bool:
    """True when an editorial note of the entity names what `pattern` matches (and, given, what `also` does)."""
    return any(pattern.search(note.text) and (also is None or also.search(note.text)) for note in entity.editorial_notes)


def _denials(origin: RawDocument, scalars: _TextValues, words: Phrases, entity: Entity) -> Iterator[Finding]:
    """A source that denies complications while the page lists reactions contradicts itself: a note must say so."""
    listed = entity.adverse_effects()
    if not listed:
        return
    for loc, value in scalars:
        if loc[0] == "editorial_notes":
            continue
        for phrase, pattern in words.denials.candidates(value):
            about_the_product = [match for match in pattern.finditer(value) if not _ABOUT_THE_PATIENT.search(value[: match.start()][-120:])]
            if about_the_product and not _noted(entity, pattern):
                message = (
                    f"{phrase!r} contradicts the {len(listed)} side effects or reactions this page lists "
                    f"(expected an editorial note that names {phrase!r} and says the source contradicts itself)"
                )
                yield _finding(origin, scalars.line_of(loc, pattern), loc, message)


_TRANSLATION = re.compile(r"\btranslat", re.I)


def _translation_pitfalls(origin: RawDocument, scalars: _TextValues, words: Phrases, entity: Entity) -> Iterator[Finding]:
    """A known machine-translation pitfall needs an editorial note naming it and saying the translation is uncertain."""
    for pitfall in words.pitfalls:
        if _noted(entity, pitfall.pattern, _TRANSLATION):
            continue
        for loc, value in scalars:
            if loc[0] != "editorial_notes" and pitfall.pattern.search(value):
                message = (
                    f"{pitfall.term!r} is a known machine-translation pitfall: it may mean {pitfall.may_mean} "
                    f"(expected an editorial note that names {pitfall.term!r}, says the translation is uncertain and what it may mean; keep the source's words)"
                )
                yield _finding(origin, scalars.line_of(loc, pitfall.pattern), loc, message)


def _prices_in_text(origin: RawDocument, scalars: _TextValues) -> Iterator[Finding]:
    for loc, value in scalars:
        if loc[:1] == ("prices",) or not _DIGIT.search(value):  # every price has a digit: most values are ruled out at once
            continue
        for nth, match in enumerate(_PRICE.finditer(value)):
            yield _finding(
                origin,
                scalars.line_of(loc, _PRICE, nth),
                loc,
                f"price {match.group().strip()!r} in running text has no date (expected it under prices: with amount, currency, as_of and source)",
            )


def _price_dates(origin: RawDocument, entity: Entity) -> Iterator[Finding]:
    for i, price in enumerate(getattr(entity, "prices", [])):
        if price.as_of and price.as_of > entity.last_reviewed:
            loc = ("prices", i, "as_of")
            yield _finding(
                origin,
                origin.doc.line_of(loc),
                loc,
                f"{price.as_of} is after last_reviewed {entity.last_reviewed} (expected the date the source gives the price for)",
            )


def _unlisted_sources(origin: RawDocument, entity: Entity) -> Iterator[Finding]:
    listed = set(entity.sources)
    for loc, name in entity.source_files():
        if loc[:1] != ("sources",) and name not in listed:
            yield _finding(
                origin,
                origin.doc.line_of(loc),
                loc,
                f"cites {name!r}, which the page's sources list leaves out (expected it under sources:, so the page names every source it uses)",
            )


def _review(origin: RawDocument, dated: Entity | PageFrontMatter, today: datetime.date) -> Iterator[Finding]:
    last, due = dated.last_reviewed, dated.next_review
    if last > today:
        loc = ("last_reviewed",)
        message = f"{last} is after today, {today} (expected the date the content was checked against its sources, not a later one)"
        yield _finding(origin, origin.doc.line_of(loc), loc, message)
    loc = ("next_review",)
    if due > _one_year_after(last):
        message = f"{due} is more than a year after last_reviewed {last} (expected a review at least once a year, as the editorial policy says)"
        yield _finding(origin, origin.doc.line_of(loc), loc, message)
    if due < today:
        message = f"review was due on {due} (expected a review against the sources, then new last_reviewed and next_review dates)"
        yield _finding(origin, origin.doc.line_of(loc), loc, message, "warning")


def _future_changes(origin: RawDocument, entity: Entity, today: datetime.date) -> Iterator[Finding]:
    for i, change in enumerate(entity.changes):
        if change.date > today:
            loc = ("changes", i, "date")
            message = f"{change.date} is in the future (expected the date the change was made, today {today} at the latest)"
            yield _finding(origin, origin.doc.line_of(loc), loc, message)


def _one_year_after(day: datetime.date) -> datetime.date:
    """The same date a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity: {"error": n, "warning": m}."""
    counts = {"error": 0, "warning": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
