"""The public site's search index, sharded so that a query fetches only what it needs.

Material's worker fetches the whole lunr index and builds it in the browser (12 MB at 1,000
drugs). This writes, under `<site>/search/shards/`, an index that a query reads in pieces
(`site-overrides/assets/javascripts/search-worker.js` reads it; keep the two in step):

- `manifest.json`: the format version, the language, how many documents there are, the first
  document of every page (delta-encoded: documents are numbered in page order, each page's own
  document first) and the list of term shards that exist.
- `t/<hex>.json`: the terms whose normalised form starts with the shard's prefix (the first
  `PREFIX` characters, or one more for a shard that would be too large; hex of their UTF-8 in the
  file name), each term with its postings as one flat
  list `[document delta, weight, …]`; weight = 16 if the term is in the title, plus its count in the
  text (at most 15).
- `p/<n>.json`: page n's documents, `[location, title, text]` each, fetched only to show a hit.

A first query therefore fetches the manifest, one shard per term and the pages it shows.

**Language.** `LANGUAGES` maps the site language (`theme.language`) to its normaliser, stop
words and stemmer; the worker has the same table (`LANGUAGES` in search-worker.js). Prefix
matching is language-neutral. A stemmer (e.g. Snowball's Russian) goes in the `stem` slot on both
sides with the same algorithm, so that a word is indexed and looked up by the same stem.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 2
PREFIX = 2  # characters of a term that name its shard
SPLIT_POSTINGS = 40_000  # a shard with more numbers than this is split by a third character (~50 KB gzip)
ASCII_WORD = re.compile(r"[a-z0-9]+")  # the fast path for ASCII text, same result as `words` there
TITLE_WEIGHT = 16
MAX_COUNT = 15
# A professional page says what its reader's page says, in another order: it is found by its
# headings (the SmPC's terms) and the opening of its lead (the summary, and that it is in SmPC
# order), not by the same text indexed twice. Characters of that lead kept:
PROFESSIONAL_LEAD = 600


def fold(text: str) -> str:
    """Lower case, accents and every other combining mark dropped, final sigma as sigma: `Céraxon` → `ceraxon`.

    The worker's `fold` is this algorithm (`FOLD` in the manifest names it; tests/test_search_parity.py
    runs both over the same words): NFKD, drop Unicode category M*, lower case, `ς` → `σ`.
    """
    if text.isascii():  # nearly all English text: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower().replace("ς", "σ")


def words(text: str) -> list[str]:
    """The folded words of `text`: runs of letters and digits (Unicode L* and N*), as the worker's `[\\p{L}\\p{N}]+`."""
    folded = fold(text)
    if folded.isascii():
        return ASCII_WORD.findall(folded)
    found: list[str] = []
    current: list[str] = []
    for c in folded:
        if unicodedata.category(c)[0] in "LN":
            current.append(c)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


FOLD = "nfkd-drop-marks-lower-sigma"  # names `fold` for the worker (it refuses a manifest with another)


@dataclass(frozen=True)
class Language:
    """How one language turns text into index terms; shipped to the worker in the manifest (`text`)."""

    name: str  # in English, for the message to a reader who types in another script
    script: str  # the Unicode script its words are written in (a `\\p{Script=…}` name)
    stop_words: frozenset[str] = frozenset()
    professional: str = "for health professionals"  # the mark on results from a page for health professionals

    def terms(self, text: str) -> list[str]:
        """The index terms of `text`, in order, stop words left out."""
        return [word for word in words(text) if word not in self.stop_words]

    def spec(self) -> dict[str, Any]:
        """What the worker needs to tokenise exactly as `terms` does (no stemmer: Material's English pipeline has none)."""
        return {"fold": FOLD, "stop": sorted(self.stop_words), "name": self.name, "script": self.script, "professional": self.professional}


# Material's English pipeline ("stopWordFilter" only, no stemmer) leaves out the same kind of words.
ENGLISH_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
LANGUAGES: dict[str, Language] = {"en": Language("English", "Latin", ENGLISH_STOP_WORDS)}


class LanguageMismatch(ValueError):
    """The site's declared language has no tokeniser here: the index would silently be another language's."""


def language_of(code: str) -> Language:
    """The tokeniser of the site language `code` (`theme.language`); `LanguageMismatch` if there is none."""
    if code not in LANGUAGES:
        raise LanguageMismatch(
            f"theme.language: {code!r} has no search tokeniser (expected one of: {', '.join(sorted(LANGUAGES))}; "
            "add it to LANGUAGES in generator/pages/search_shards.py)"
        )
    return LANGUAGES[code]


def write_shards(entries: Iterable[dict[str, Any]], search_dir: Path | None, language: str, a_to_z: str) -> dict[str, Any]:
    """Write `search_dir/shards/` from Material-style entries (location, title, text as HTML), in page order.

    A page's own entry (no `#` in its location) may carry `names` (every name of the entity it is
    about: indexed as its title, and listed in the manifest for ranking and for typo correction)
    and `professional` (a page for health professionals: its lead is clipped and its sections are
    indexed by their headings alone, see `PROFESSIONAL_LEAD`). `a_to_z` is the A–Z index's location, which
    the worker links to when a query is in another script. With `search_dir` None nothing is
    written and the whole index is returned (the offline bundle inlines it); otherwise the
    manifest is returned.

    Documents are numbered in the order given; each page's file is written as soon as the next page
    starts, and postings are kept as flat arrays of 32-bit deltas and weights, so that the index of
    a large catalogue costs little memory beside the entries themselves.
    """
    lang = language_of(language)
    inline: dict[str, Any] = {"t": {}, "p": {}}
    out = None if search_dir is None else search_dir / "shards"

    def emit(folder: str, name: str, data: object) -> None:
        if out is None:
            inline[folder][name] = data
        else:
            _dump(out / folder / f"{name}.json", data)

    if out is not None:
        shutil.rmtree(out, ignore_errors=True)
        (out / "t").mkdir(parents=True)
        (out / "p").mkdir()
    postings: dict[str, array[int]] = {}
    last: dict[str, int] = {}  # each term's previous document, for the deltas
    first_docs: list[int] = []
    names: list[list[Any]] = []  # [page, name, name, …] for each page with names
    professional: list[int] = []
    page: list[list[str]] = []
    docs = 0
    for doc, entry in enumerate(entries):
        location, title, text = entry["location"], html.unescape(entry["title"]), _text(entry["text"])
        if "#" not in location or not first_docs:  # a page's own document starts a page
            if page:
                emit("p", str(len(first_docs) - 1), page)
            first_docs.append(doc)
            page = []
            if entry.get("names"):
                names.append([len(first_docs) - 1, *entry["names"]])
            if entry.get("professional"):
                professional.append(len(first_docs) - 1)
                text = _clip(text, PROFESSIONAL_LEAD)
        elif professional and professional[-1] == len(first_docs) - 1:
            text = ""
        page.append([location, title, text])
        counts = Counter(lang.terms(text))
        titled = " ".join([title, *entry.get("names", ())])
        weights = {term: TITLE_WEIGHT + min(counts.pop(term, 0), MAX_COUNT) for term in set(lang.terms(titled))}
        weights.update((term, min(count, MAX_COUNT)) for term, count in counts.items())
        for term, weight in weights.items():
            flat = postings.get(term)
            if flat is None:
                flat = postings[term] = array("I")
            flat.append(doc - last.get(term, 0))
            flat.append(weight)
            last[term] = doc
        docs = doc + 1
    if page:
        emit("p", str(len(first_docs) - 1), page)
    shards: dict[str, dict[str, list[int]]] = {}
    for term in sorted(postings):
        shards.setdefault(shard_of(term), {})[term] = postings[term].tolist()
    # A shard of very common prefixes would cost a query more than the budget: split it by one more
    # character (its two-character terms stay); the worker looks for the longer shard first.
    for terms in list(shards.values()):
        if sum(len(flat) for flat in terms.values()) > SPLIT_POSTINGS:
            for term in [term for term in terms if len(term) > PREFIX]:
                shards.setdefault(term[: PREFIX + 1], {})[term] = terms.pop(term)
    for prefix, terms in shards.items():
        emit("t", shard_name(prefix), terms)
    manifest = {
        "format": FORMAT,
        "lang": language,
        "text": lang.spec(),
        "prefix": PREFIX,
        "docs": docs,
        "pages": _deltas(first_docs),
        "shards": sorted(shard_name(p) for p in shards),
        # Page numbers delta-encoded, as `pages`: the list grows with the catalogue.
        "names": [[delta, *row[1:]] for delta, row in zip(_deltas([row[0] for row in names]), names, strict=True)],
        "professional": _deltas(professional),
        "a_to_z": a_to_z,
    }
    if out is None:
        return {"manifest": manifest, **inline}
    _dump(out / "manifest.json", manifest)
    return manifest


def _deltas(numbers: list[int]) -> list[int]:
    """Ascending numbers as differences from the one before (the first from 0)."""
    return [b - a for a, b in zip([0, *numbers], numbers, strict=False)]


def shard_of(term: str) -> str:
    """The prefix naming the shard a term is in."""
    return term[:PREFIX]


def shard_name(prefix: str) -> str:
    """A shard's file name: the hex of its prefix's UTF-8 (safe on every file system and URL)."""
    return prefix.encode("utf-8").hex()


def _clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a space, with "…" if it was cut."""
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


def _text(value: str) -> str:
    """An entry's text as plain text (Material's entries hold HTML)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
