"""A synthetic catalogue for benchmarks and scale tests: N valid, varied, obviously fake drugs.

`synthesise(out_dir, drugs=N, seed=S)` writes a content folder with the same layout as
`content/` (drugs, procedures, conditions, clinics, a FAQ, sources.yaml and the hand-written
pages the site links to). Every file passes the same validation as real content. Names are
made-up words spread over every letter A–Z; every text is nonsense built from made-up words,
and every summary and home page says "Synthetic ... not medical information", so none of it
can be taken for a fact. The same seed gives the same bytes.

It is never written into the project's real `content/`: the output folder must be new, empty,
or an earlier synthetic catalogue (marked by a `.synthetic` file, which the loader ignores).
"""

from __future__ import annotations

import datetime
import json
import random
import shutil
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = ".synthetic"
NOTICE = "Synthetic monograph for benchmarking; not medical information."
SOURCE_FILES = [f"synthetic-source-{n:02d}.txt" for n in range(1, 9)]
# Syllables for made-up names and words.
_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gl", "kr", "pl", "tr", "st", "sk"]
_VOWELS = ["a", "e", "i", "o", "u", "ae", "io", "ou"]
_CODAS = ["", "", "n", "r", "l", "s", "x", "m"]
_DRUG_ENDINGS = ["ab", "ex", "ol", "ine", "ax", "ide", "mab", "zol", "pril", "stat", "vir", "cin", "tan", "on", "il"]
_FILLER = ["the", "a", "of", "and", "to", "in", "is", "with", "for", "by", "on", "as", "at", "from", "this", "that", "its", "their", "when"]
_FORMS = [
    ("Film-coated tablets", ["oral"], "1 tablet", "mg"),
    ("Capsules", ["oral"], "1 capsule", "mg"),
    ("Oral solution", ["oral"], "1 ml", "mg/ml"),
    ("Syrup", ["oral"], "5 ml", "mg/5 ml"),
    ("Solution for injection", ["intravenous", "intramuscular"], "1 ml", "mg/ml"),
    ("Solution for subcutaneous administration", ["subcutaneous"], "1 ml", "mg/ml"),
    ("Cream", ["cutaneous"], "1 g", "mg/g"),
    ("Eye drops", ["ocular"], "1 ml", "mg/ml"),
    ("Nasal spray", ["nasal"], "1 dose", "micrograms/dose"),
    ("Powder for oral suspension", ["oral"], "1 sachet", "mg"),
]
_GROUPS = [f"Synthetic group {letter}" for letter in "ABCDEFGHIJKL"]
_FREQUENCIES = ["very common (synthetic)", "common (synthetic)", "uncommon (synthetic)", "rare (synthetic)", None]
_POPULATIONS = ["adults", "children", "elderly", "not stated"]
# A group statement's verdict and words that support it (the model checks that they do).
_VERDICT_WORDS = {
    "must not use": "Use is contraindicated (synthetic).",
    "not recommended": "Use is not recommended (synthetic).",
    "caution": "Use with caution (synthetic).",
    "no data": "There are no data (synthetic).",
    "no restriction stated": "No dose adjustment needed (synthetic).",
}


def _group_statement(text: _Text, rng: random.Random) -> dict[str, str]:
    """A statement about a group of people with a verdict its words support."""
    verdict = rng.choice(sorted(_VERDICT_WORDS))
    return {"text": f"{text.sentence()} {_VERDICT_WORDS[verdict]}", "verdict": verdict}


def _links(slugs: list[str], sources: list[str]) -> list[dict[str, str]]:
    """Links with a basis: a synthetic source statement for each."""
    return [{"slug": slug, "basis": "The synthetic source links these pages (synthetic).", "source": sources[0]} for slug in slugs]


_STATUS = ["prescription", "non-prescription", "not stated"]


@dataclass(frozen=True)
class SynthCounts:
    """How many files of each kind a synthetic catalogue holds."""

    drug: int
    procedure: int
    condition: int
    provider: int
    faq: int

    @classmethod
    def for_drugs(cls, drugs: int) -> SynthCounts:
        """Other kinds in proportion to the drugs, at least one of each."""
        return cls(drugs, max(1, drugs // 10), max(1, drugs // 20), max(1, drugs // 50), max(1, drugs // 200))

    def summary(self) -> str:
        """`drug 30, procedure 3, …`."""
        return ", ".join(f"{kind} {count}" for kind, count in vars(self).items())


class SynthRefused(Exception):
    """The output folder is the real content, or holds files that are not a synthetic catalogue."""


@dataclass
class _Text:
    """Nonsense text from a fixed pool of made-up sentences, picked by a seeded generator."""

    rng: random.Random
    sentences: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # on the current page: a sentence is not said twice on a page (proofreading)

    def __post_init__(self) -> None:
        words = sorted({_word(self.rng, 2 + self.rng.randrange(2)) for _ in range(1500)})
        for _ in range(4000):
            picked = [self.rng.choice(words) if self.rng.random() < 0.65 else self.rng.choice(_FILLER) for _ in range(7 + self.rng.randrange(10))]
            self.sentences.append(" ".join(picked).capitalize() + ".")

    def sentence(self, name: str | None = None) -> str:
        """One made-up sentence, mentioning `name` when given (so each page's text is its own)."""
        text = self.rng.choice(self.sentences)
        while text in self.used:
            text = self.rng.choice(self.sentences)
        self.used.add(text)
        return f"{text[:-1]} for {name}." if name else text

    def paragraph(self, name: str, sentences: int) -> str:
        """A paragraph of `sentences` made-up sentences, one of them naming `name`."""
        chosen = [self.sentence() for _ in range(sentences - 1)]
        chosen.insert(self.rng.randrange(sentences), self.sentence(name))
        return " ".join(chosen)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))


def _unique_names(rng: random.Random, count: int, ending: list[str], taken: set[str]) -> list[str]:
    """`count` new made-up names, the i-th starting with letter i mod 26 so A–Z is covered."""
    names: list[str] = []
    letters = string.ascii_uppercase
    while len(names) < count:
        letter = letters[len(names) % 26].lower()
        # After a vowel initial comes a consonant, so names read as words (Avoremab, not Aaeremab).
        second = rng.choice(_ONSETS) if letter in "aeiouy" else rng.choice(_VOWELS)
        name = (letter + second + _word(rng, 1 + rng.randrange(2)) + rng.choice(ending)).capitalize()
        if name.casefold() not in taken:
            taken.add(name.casefold())
            names.append(name)
    return names


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def synthesise(out_dir: Path, drugs: int, seed: int = 0, real_content: Path | None = None) -> SynthCounts:
    """Write a synthetic catalogue of `drugs` drugs (other kinds in proportion) into `out_dir`.

    Raises SynthRefused if `out_dir` is (inside) `real_content` or holds anything but an earlier
    synthetic catalogue, which is replaced.
    """
    if drugs < 1:
        raise SynthRefused(f"--drugs must be at least 1, got {drugs}")
    _check_target(out_dir, real_content)
    counts = SynthCounts.for_drugs(drugs)
    files = _catalogue_files(counts, random.Random(seed))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    for folder in {Path(relative).parent for relative in files}:
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        (out_dir / relative).write_text(text, encoding="utf-8")
    (out_dir / MARKER).write_text(f"synthetic catalogue: drugs={drugs} seed={seed}\n", encoding="utf-8")
    return counts


def _check_target(out_dir: Path, real_content: Path | None) -> None:
    target = out_dir.resolve()
    if real_content is not None:
        content = real_content.resolve()
        if target == content or target.is_relative_to(content) or content.is_relative_to(target):
            raise SynthRefused(f"refusing to write a synthetic catalogue into or over the real content folder {real_content}")
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).is_file())):
        raise SynthRefused(f"refusing to overwrite {out_dir}: it exists and is not an earlier synthetic catalogue (no {MARKER} file)")


def _catalogue_files(counts: SynthCounts, rng: random.Random) -> dict[str, str]:
    """Every file of the catalogue, relative path → text, in a fixed order."""
    text = _Text(rng)
    taken: set[str] = set()
    drug_names = _unique_names(rng, counts.drug, _DRUG_ENDINGS, taken)
    procedure_names = [f"{name} course" for name in _unique_names(rng, counts.procedure, ["ation", "osis", "ery"], taken)]
    condition_names = [f"{name} syndrome" for name in _unique_names(rng, counts.condition, ["ia", "itis", "osis"], taken)]
    provider_names = [f"{name} Clinic" for name in _unique_names(rng, counts.provider, ["ford", "vale", "holm"], taken)]
    faq_names = [f"{name}: questions and answers" for name in _unique_names(rng, counts.faq, ["ex", "ine"], taken)]
    base = datetime.date(2026, 6, 1)
    files: dict[str, str] = {"sources.yaml": _yaml(_sources())}
    slugs = {"drug": [_slug(n) for n in drug_names], "procedure": [_slug(n) for n in procedure_names], "condition": [_slug(n) for n in condition_names]}
    for name in provider_names:
        text.used.clear()  # each page's sentences are its own
        files[f"provider/{_slug(name)}.yaml"] = _yaml(_provider(name, text, rng, base))
    for i, name in enumerate(procedure_names):
        text.used.clear()  # each page's sentences are its own
        files[f"procedure/{slugs['procedure'][i]}.yaml"] = _yaml(_procedure(name, _slug(provider_names[i % len(provider_names)]), text, rng, base))
    for i, name in enumerate(condition_names):
        text.used.clear()  # each page's sentences are its own
        files[f"condition/{slugs['condition'][i]}.yaml"] = _yaml(_condition(name, slugs["procedure"], text, rng, base))
    for name in faq_names:
        text.used.clear()  # each page's sentences are its own
        files[f"faq/{_slug(name.split(':')[0])}.yaml"] = _yaml(_faq(name, slugs["procedure"], text, rng, base))
    for i, slug in enumerate(slugs["drug"]):
        text.used.clear()  # each page's sentences are its own
        files[f"drug/{slug}.yaml"] = _yaml(_drug(i, drug_names, slugs, text, rng, base))
    files.update(_pages(counts))
    return files


def _dates(rng: random.Random, base: datetime.date) -> dict[str, Any]:
    # Reviewed on one of the 170 days from `base`, due again a year later (the editorial policy's interval).
    reviewed = base + datetime.timedelta(days=rng.randrange(170))
    # Every third page has a change note, on its review day (a note is never after the review); no random draw,
    # so the rest of the catalogue is the same as without notes.
    changes = [{"date": reviewed, "note": "Synthetic change note: the dosage section now follows the newer source."}] if reviewed.toordinal() % 3 == 0 else []
    return {"last_reviewed": reviewed, "next_review": reviewed.replace(year=reviewed.year + 1), "changes": changes}


def _sources_of(rng: random.Random) -> list[str]:
    return sorted(rng.sample(SOURCE_FILES, 1 + rng.randrange(2)))


def _sources() -> dict[str, Any]:
    return {
        "documents": [
            {
                "file": name,
                "title": f"Synthetic source document {n} (benchmark placeholder)",
                "kind": "product listing",
                "description": "A placeholder source for the synthetic benchmark catalogue. It does not exist and states no facts.",
                "defects": ["Entirely synthetic: every page citing it is generated nonsense for benchmarking."],
            }
            for n, name in enumerate(SOURCE_FILES, start=1)
        ]
    }


def _drug(index: int, names: list[str], slugs: dict[str, list[str]], text: _Text, rng: random.Random, base: datetime.date) -> dict[str, Any]:
    name = names[index]
    others = [i for i in rng.sample(range(len(names)), min(len(names), 6)) if i != index]
    forms = []
    for n, (form, routes, basis, unit) in enumerate(rng.sample(_FORMS, 1 + rng.randrange(3))):
        forms.append(
            {
                "id": f"form-{n + 1}",
                "name": form,
                "routes": routes,
                "strengths": [f"{rng.choice([1, 2, 5, 10, 20, 25, 50, 100, 250])} {unit}" for _ in range(1 + rng.randrange(2))],
                "appearance": text.sentence(),
                "packaging": [text.sentence(), f"{rng.choice([10, 20, 30, 60])} units per synthetic pack."],
                "_basis": basis,
            }
        )
    substance = f"{name.lower()[:-1]}amide (synthetic substance)"
    doc: dict[str, Any] = {
        "title": name,
        "summary": f"{NOTICE} {name} is a made-up product in {forms[0]['name'].lower()} used to exercise the site at catalogue scale.",
        "sources": _sources_of(rng),
        **_dates(rng, base),
        "trade_names": [name, f"{name} Forte"] if rng.random() < 0.4 else [name],
        "aliases": [f"{name.upper()}-S"] if rng.random() < 0.3 else [],
        "active_substance": substance,
        "pharmacotherapeutic_group": rng.choice(_GROUPS),
        "prescription_status": rng.choice(_STATUS),
        "description": [text.paragraph(name, 2), text.paragraph(name, 2)],
        "dosage_forms": [{k: v for k, v in form.items() if k != "_basis"} for form in forms],
        "composition": [
            {
                "forms": [form["id"]],
                "basis": form["_basis"],
                "active": [{"name": substance, "amount": form["strengths"][0]}],
                "excipients": [
                    {"name": f"Placeholder excipient {rng.randrange(1, 40)}", "amount": f"{rng.randrange(1, 90)} mg"} for _ in range(2 + rng.randrange(3))
                ],
            }
            for form in forms
        ],
        "indications": [
            {"title": f"Synthetic indication group {g + 1}", "items": [text.sentence() for _ in range(2 + rng.randrange(2))]}
            for g in range(1 + rng.randrange(2))
        ],
        "dosage": [
            {
                "text": text.sentence(name),
                "forms": [form["id"]],
                "population": rng.choice(_POPULATIONS),
                "indication": f"Synthetic indication {rng.randrange(1, 99)}",
            }
            for form in forms
        ],
        "administration": [{"forms": [forms[0]["id"]], "steps": [text.sentence() for _ in range(3)], "rules": [text.sentence(name)]}],
        "children": [_group_statement(text, rng)],
        "contraindications": [text.sentence() for _ in range(3 + rng.randrange(3))],
        "cautions": [text.sentence() for _ in range(2 + rng.randrange(2))],
        "interactions": [{"agent": names[i], "effect": text.sentence(), "drug": slugs["drug"][i]} for i in others[:4]],
        # One per group: two random verdicts for the same group could contradict each other (refused by the model).
        "pregnancy_lactation": [{**_group_statement(text, rng), "groups": [group]} for group in ("pregnancy", "breastfeeding")],
        "driving": [_group_statement(text, rng)],
        "side_effects": [{"effect": text.sentence(), "frequency": rng.choice(_FREQUENCIES)} for _ in range(4 + rng.randrange(4))],
        "side_effect_notes": [text.sentence()],
        "overdose": [text.paragraph(name, 1)],
        "pharmacodynamics": [text.paragraph(name, 3), text.paragraph(name, 3)],
        "pharmacokinetics": [text.paragraph(name, 3), text.paragraph(name, 2)],
        "special_instructions": [text.sentence(), text.sentence()],
        "shelf_life": [f"{rng.choice([12, 18, 24, 36])} months (synthetic)."],
        "storage": [text.sentence()],
        "analogues": [{"form": forms[0]["name"], "names": [names[i] for i in others[4:]] or ["Placeholder analogue"]}],
    }
    doc["related_conditions"] = _links(sorted(set(rng.sample(slugs["condition"], min(2, len(slugs["condition"]))))), doc["sources"])
    doc["related_procedures"] = _links([rng.choice(slugs["procedure"])], doc["sources"])
    if rng.random() < 0.25:
        # A note may cite only the page's own sources (the page's footer names every source it uses).
        doc["editorial_notes"] = [{"topic": "Synthetic disagreement", "text": text.paragraph(name, 2), "sources": doc["sources"]}]
    return doc


def _procedure(name: str, provider: str, text: _Text, rng: random.Random, base: datetime.date) -> dict[str, Any]:
    return {
        "title": name,
        "summary": f"Synthetic procedure for benchmarking; not medical information. {name} is made up.",
        "sources": _sources_of(rng),
        **_dates(rng, base),
        "provider": provider,
        "description": [text.paragraph(name, 4), text.paragraph(name, 3)],
        "routes": [rng.choice(["intravenous", "oral", "subcutaneous"])],
        "audience": {"ages": "Adults (synthetic)", "conditions": [text.sentence() for _ in range(2)]},
        "contraindications": [text.sentence() for _ in range(3)],
        "steps": [{"title": f"Synthetic step {n}", "details": [text.sentence(name)], "duration": f"{rng.randrange(1, 9)} hours"} for n in range(1, 4)],
        "reactions": [{"reaction": text.sentence(), "frequency": "rare (synthetic)"}],
        "aftercare": [text.sentence() for _ in range(2)],
        "reported_effects": [{"effect": text.sentence(), "timing": f"after {rng.randrange(2, 12)} weeks (synthetic)"}],
        "provider_claims": [text.sentence()],
    }


def _condition(name: str, procedures: list[str], text: _Text, rng: random.Random, base: datetime.date) -> dict[str, Any]:
    sources = _sources_of(rng)
    return {
        "title": name,
        "summary": f"Synthetic condition article for benchmarking; not medical information. {name} does not exist.",
        "sources": sources,
        **_dates(rng, base),
        "definition": [text.paragraph(name, 4)],
        "characteristics": [text.sentence() for _ in range(3)],
        "forms": [{"name": f"Synthetic form {n}", "description": [text.sentence(name)]} for n in range(1, 3)],
        "causes": [text.paragraph(name, 3)],
        "symptoms": [text.paragraph(name, 3)],
        "symptom_list": [text.sentence() for _ in range(4)],
        "treatment": [text.paragraph(name, 3)],
        "treatment_methods": [text.sentence() for _ in range(3)],
        "prevalence": [{"figure": f"{rng.randrange(1, 99)} per 100,000 (synthetic)", "population": "Synthetic population", "region": "Nowhere", "year": 2026}],
        "related_procedures": _links(sorted(set(rng.sample(procedures, min(2, len(procedures))))), sources),
    }


def _provider(name: str, text: _Text, rng: random.Random, base: datetime.date) -> dict[str, Any]:
    return {
        "title": name,
        "summary": f"Synthetic clinic for benchmarking; not a real provider. {name} does not exist.",
        "sources": _sources_of(rng),
        **_dates(rng, base),
        "description": [text.paragraph(name, 4)],
        "address": {"country": "Synthetic country", "locality": "Placeholder town", "street": f"{rng.randrange(1, 200)} Example street"},
        "languages": ["English"],
        "provider_claims": [text.sentence()],
    }


def _faq(name: str, procedures: list[str], text: _Text, rng: random.Random, base: datetime.date) -> dict[str, Any]:
    return {
        "title": name,
        "summary": f"Synthetic questions and answers for benchmarking; not medical information. {name.split(':')[0]} is made up.",
        "sources": _sources_of(rng),
        **_dates(rng, base),
        "groups": [
            {"title": f"Synthetic group {g}", "questions": [{"question": text.sentence()[:-1] + "?", "answer": [text.paragraph(name, 3)]} for _ in range(3)]}
            for g in range(1, 3)
        ],
        "related_procedures": [rng.choice(procedures)],
    }


def _pages(counts: SynthCounts) -> dict[str, str]:
    """The hand-written pages the site links to: home, disclaimer, editorial policy, about."""
    front = "last_reviewed: 2026-06-01\nnext_review: 2027-06-01\n"
    home = (
        f"---\ntitle: Synthetic catalogue\ndescription: {NOTICE}\n{front}nav_order: 0\n---\n"
        "# Synthetic catalogue\n\n"
        f"**{NOTICE}** Every name and sentence on this site is made up to measure how the site builds "
        f"at scale ({counts.summary()}).\n\n"
        '<div class="grid cards" markdown>\n\n'
        "- **[Drugs](drugs/index.md)**: made-up monographs and a [side-by-side comparison](drugs/compare.md).\n"
        "- **[Procedures](procedures/index.md)**: made-up procedures.\n"
        "- **[Conditions](conditions/index.md)**: made-up conditions.\n"
        "- **[Questions and answers](faq/index.md)**: made-up questions.\n"
        "- **[Clinics](providers/index.md)**: made-up clinics.\n"
        "- **[A–Z index](a-z.md)**: every made-up name.\n\n"
        "</div>\n\n"
        "Read the [disclaimer](disclaimer.md) and the [editorial policy](editorial-policy.md).\n"
    )

    def page(slug: str, title: str, order: int, more: str = "") -> tuple[str, str]:
        body = f"# {title}\n\n{NOTICE} This page stands in for the real site's {title.lower()} in the synthetic benchmark catalogue.\n{more}"
        return f"pages/{slug}.md", f"---\ntitle: {title}\ndescription: {NOTICE}\n{front}nav_order: {order}\n---\n{body}"

    # As on the real site, the About page is where readers find the offline copy (pages/downloads.py).
    about = page("about", "About", 10, "\nThe [offline copy](downloads.md) works from disk.\n")
    return dict([("pages/index.md", home), about, page("editorial-policy", "Editorial policy", 20), page("disclaimer", "Disclaimer", 30)])


def _yaml(doc: dict[str, Any]) -> str:
    """Block-style YAML for plain data; strings are JSON-quoted (valid YAML, and far faster than a YAML dumper)."""
    lines: list[str] = []
    _emit_mapping(doc, "", "", lines)
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# Lists a model requires even when empty: written as `[]` rather than left out.
_REQUIRED_LISTS = frozenset({"changes"})


def _emit_mapping(doc: dict[str, Any], first: str, indent: str, lines: list[str]) -> None:
    """Emit `doc`'s keys at `indent`; the first key is prefixed by `first` (e.g. `- ` of a list item)."""
    prefix = first
    for key, value in doc.items():
        if value == [] and key in _REQUIRED_LISTS:
            lines.append(f"{prefix}{key}: []")
            prefix = indent
            continue
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _emit_mapping(value, indent + "  ", indent + "  ", lines)
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}:")
            for item in value:
                if isinstance(item, dict):
                    _emit_mapping(item, f"{indent}  - ", indent + "    ", lines)
                else:
                    lines.append(f"{indent}  - {_scalar(item)}")
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")
        prefix = indent
