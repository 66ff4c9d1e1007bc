"""The worker and the Python indexer turn text into the same terms (issue 21).

The real worker file (site-overrides/assets/javascripts/search-worker.js) runs under Node
(/usr/bin/node) with the tokeniser the manifest ships (`Language.spec()`), over the same lines the
indexer (`generator/pages/search_shards.py`) reads: a word is found only if both sides agree.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata

from conftest import ROOT

from generator.pages.search_shards import LANGUAGES

NODE = "/usr/bin/node"
WORKER = ROOT / "site-overrides" / "assets" / "javascripts" / "search-worker.js"
# Loads the worker as a browser would (its top level only defines functions and a message handler),
# then tokenises each line of stdin's JSON with the spec given.
RUN_WORKER = """
const fs = require("fs"), vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({ self: {}, URL, TextEncoder });
vm.runInContext(fs.readFileSync(input.worker, "utf8"), context);
context.configure(input.spec);
process.stdout.write(JSON.stringify(input.lines.map((line) => context.terms(line))));
"""
LINES = [
    # Cyrillic: case, ё and й (NFKD splits both), a hyphenated name
    "Цераксон ЦЕРАКСОН ёлка Йод Нейро-Витал",
    # Greek: accents, dialytika, final sigma in capitals and in small letters
    "Κεραξόν ΟΔΟΣ οδός ΐ Ψυχή",
    # Devanagari: vowel signs, virama, nukta, Devanagari digits
    "सिटिकोलिन हिन्दी क़लम ०१२३",
    # Latin accents, ligatures, sharp s, dotted capital I
    "Céraxon Ångström naïve Œuvre ﬁne Straße İstanbul",
    # digits, fractions, superscripts, units, hyphens and dashes
    "10 mg 2.5mg ½ m² 1,000 M2-like x‑ray 5–10 — COVID-19",
    # stop words in every case, punctuation, an underscore, an apostrophe
    "The Dose OF it: (and) snake_case don't",
]


def worker_terms(spec: dict, lines: list[str]) -> list[list[str]]:
    payload = json.dumps({"worker": str(WORKER), "spec": spec, "lines": lines})
    result = subprocess.run([NODE, "-e", RUN_WORKER], input=payload, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_worker_and_the_indexer_make_the_same_terms_of_every_script() -> None:
    english = LANGUAGES["en"]
    python = [english.terms(line) for line in LINES]
    assert worker_terms(english.spec(), LINES) == python
    # The lines exercise what could differ: folding changes words, and each script yields terms.
    assert all(terms for terms in python)
    assert any(term != word for line in LINES for term, word in zip(english.terms(line), line.lower().split(), strict=False))
    scripts = {unicodedata.name(c).split()[0] for terms in python for term in terms for c in term if c.isalpha()}
    assert {"CYRILLIC", "GREEK", "DEVANAGARI", "LATIN"} <= scripts


def test_a_tokeniser_that_differs_is_caught() -> None:
    # Negative control: the worker with other stop words, or an unknown fold, does not pass for the indexer's.
    english = LANGUAGES["en"]
    other = {**english.spec(), "stop": []}
    assert worker_terms(other, LINES) != [english.terms(line) for line in LINES]
    payload = json.dumps({"worker": str(WORKER), "spec": {**english.spec(), "fold": "lower"}, "lines": LINES})
    result = subprocess.run([NODE, "-e", RUN_WORKER], input=payload, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0 and "unknown text fold lower" in result.stderr
