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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
PREFIX = 2  # characters of a term that name its shard
SPLIT_POSTINGS = 40_000  # a shard with more numbers than this is split by a third character (~50 KB gzip)
WORD = re.compile(r"[^\W_]+")  # letters and digits: the same class as the worker's [\p{L}\p{N}]+
TITLE_WEIGHT = 16
MAX_COUNT = 15


# Combining marks (accents) of the Latin, Greek and Cyrillic scripts, once text is decomposed.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    """Lower case without accents: `Céraxon` → `ceraxon` (the worker folds the same way)."""
    if text.isascii():  # nearly all English text: nothing to decompose
        return text.lower()
    return COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


@dataclass(frozen=True)
class Language:
    """How one language turns text into index terms; the worker's table must match."""

    normalise: Callable[[str], str] = _fold
    stop_words: frozenset[str] = frozenset()
    stem: Callable[[str], str] | None = None  # the slot for a stemmer; None = none

    def terms(self, text: str) -> list[str]:
        """The index terms of `text`, in order, stop words left out."""
        words = [word for word in WORD.findall(self.normalise(text)) if word not in self.stop_words]
        return words if self.stem is None else [self.stem(word) for word in words]


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
LANGUAGES: dict[str, Language] = {"en": Language(stop_words=ENGLISH_STOP_WORDS)}


def write_shards(entries: Iterable[dict[str, Any]], search_dir: Path, language: str) -> None:
    """Write `search_dir/shards/` from Material-style entries (location, title, text as HTML), in page order.

    Documents are numbered in the order given; each page's file is written as soon as the next page
    starts, and postings are kept as flat arrays of 32-bit deltas and weights, so that the index of
    a large catalogue costs little memory beside the entries themselves.
    """
    lang = LANGUAGES.get(language, LANGUAGES["en"])
    out = search_dir / "shards"
    shutil.rmtree(out, ignore_errors=True)
    (out / "t").mkdir(parents=True)
    (out / "p").mkdir()
    postings: dict[str, array[int]] = {}
    last: dict[str, int] = {}  # each term's previous document, for the deltas
    first_docs: list[int] = []
    page: list[list[str]] = []
    docs = 0
    for doc, entry in enumerate(entries):
        location, title, text = entry["location"], html.unescape(entry["title"]), _text(entry["text"])
        if "#" not in location or not first_docs:  # a page's own document starts a page
            if page:
                _dump(out / "p" / f"{len(first_docs) - 1}.json", page)
            first_docs.append(doc)
            page = []
        page.append([location, title, text])
        counts = Counter(lang.terms(text))
        weights = {term: TITLE_WEIGHT + min(counts.pop(term, 0), MAX_COUNT) for term in set(lang.terms(title))}
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
        _dump(out / "p" / f"{len(first_docs) - 1}.json", page)
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
        _dump(out / "t" / f"{shard_name(prefix)}.json", terms)
    deltas = [b - a for a, b in zip([0, *first_docs], first_docs, strict=False)]
    manifest = {"format": FORMAT, "lang": language, "prefix": PREFIX, "docs": docs, "pages": deltas, "shards": sorted(shard_name(p) for p in shards)}
    _dump(out / "manifest.json", manifest)


def shard_of(term: str) -> str:
    """The prefix naming the shard a term is in."""
    return term[:PREFIX]


def shard_name(prefix: str) -> str:
    """A shard's file name: the hex of its prefix's UTF-8 (safe on every file system and URL)."""
    return prefix.encode("utf-8").hex()


def _text(value: str) -> str:
    """An entry's text as plain text (Material's entries hold HTML)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
