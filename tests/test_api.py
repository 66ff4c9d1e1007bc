"""The JSON export, as a consumer meets it: files in the built site, checked against the schemas.

The session's real `python -m generator build` of the fixture catalogue (tests/conftest.py
`targets`), and of the live content for what must hold for any content (`live_site`); every
`api/<kind>/<slug>.json` is validated with `jsonschema` against the committed
`schema/<kind>.schema.json`, the index is checked against the content files, and every entity
page's JSON link is followed on disk.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, run, site_and_live, tree_digest

from generator.content.models import KINDS

SCHEMA_DIR = ROOT / "schema"
LINK_TEXT = "download this page's data as JSON"


def validator(name: str) -> jsonschema.protocols.Validator:
    """A validator for the committed schema `name`, checking formats (dates) too."""
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the draft the schema declares
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(name: str, data: Any) -> list[str]:
    """What the schema `name` says is wrong with `data`."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(data)]


class _Anchors(HTMLParser):
    """(href, text) of every link on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None


@pytest.fixture(scope="module")
def built(targets: dict[str, Path]) -> Path:
    """The project folder of the session's build of the fixture catalogue (tests/conftest.py `targets`)."""
    return targets["site"].parent


@pytest.fixture
def any_built(deliverable: Path) -> Path:
    """The project folder of the `target` site: the fixture catalogue's, or the live content's."""
    return deliverable.parent


def content_entities(project: Path) -> set[tuple[str, str]]:
    """(kind, slug) of every entity file in the project's content."""
    return {(kind, path.stem) for kind in KINDS for path in (project / "content" / kind).glob("*.yaml")}


@site_and_live
def test_every_entity_json_validates_against_its_schema(any_built: Path) -> None:
    api = any_built / "site" / "api"
    found = {(path.parent.name, path.stem) for kind in KINDS for path in (api / kind).glob("*.json")}
    assert found == content_entities(any_built)
    for kind, slug in sorted(found):
        data = json.loads((api / kind / f"{slug}.json").read_text(encoding="utf-8"))
        assert errors(kind, data) == [], f"api/{kind}/{slug}.json"
    assert errors("sources", json.loads((api / "sources.json").read_text(encoding="utf-8"))) == []


def test_the_json_is_the_content_with_short_forms_spelled_out(built: Path) -> None:
    cellex = json.loads((built / "site" / "api" / "drug" / "cellex.json").read_text(encoding="utf-8"))
    assert cellex["title"] == "Cellex" and cellex["last_reviewed"] == "2026-11-22"
    # Plain-text statements in the YAML become {text, forms}, so consumers meet one shape.
    assert all(set(item) >= {"text", "forms"} for item in cellex["contraindications"])
    assert cellex["dosage_forms"][0]["id"] == "sc-solution"


def test_a_broken_entity_fails_the_schema(built: Path) -> None:
    cellex = json.loads((built / "site" / "api" / "drug" / "cellex.json").read_text(encoding="utf-8"))
    del cellex["title"]
    cellex["contraindications"][0]["forms"] = ["Not A Slug"]
    cellex["surprise"] = True
    found = "\n".join(errors("drug", cellex))
    assert "'title' is a required property" in found
    assert "'surprise' was unexpected" in found
    assert re.search(r"contraindications/0.*(Not A Slug|is not valid under any of the given schemas)", found), found


@site_and_live
def test_index_lists_every_entity_and_its_links_resolve(any_built: Path) -> None:
    api = any_built / "site" / "api"
    index = json.loads((api / "index.json").read_text(encoding="utf-8"))
    entries = index["entities"]
    assert {(e["kind"], e["slug"]) for e in entries} == content_entities(any_built)
    assert len(entries) == len(content_entities(any_built)), "each entity once"
    for entry in entries:
        assert set(entry) == {"kind", "slug", "title", "page", "json", "last_reviewed"}
        data = json.loads((api / entry["json"]).read_text(encoding="utf-8"))
        assert (entry["title"], entry["last_reviewed"]) == (data["title"], data["last_reviewed"])
        page = (api / entry["page"] / "index.html").resolve()
        assert page.is_file(), entry["page"]
        heading = re.search(r'<h1 id="[^"]*">([^<]*)', page.read_text(encoding="utf-8"))
        assert heading and html.unescape(heading.group(1)) == entry["title"], entry["page"]
    for name, relative in index["schemas"].items():
        assert (api / relative).read_bytes() == (SCHEMA_DIR / f"{name}.schema.json").read_bytes(), "the published schema is the committed one"
    assert (api / index["sources"]).is_file()


@site_and_live
def test_every_entity_page_links_to_its_json(any_built: Path) -> None:
    site = any_built / "site"
    index = json.loads((site / "api" / "index.json").read_text(encoding="utf-8"))
    for entry in index["entities"]:
        page = (site / "api" / entry["page"]).resolve()
        anchors = _Anchors()
        anchors.feed((page / "index.html").read_text(encoding="utf-8"))
        targets = [href for href, text in anchors.links if text == LINK_TEXT]
        assert len(targets) == 1, f"{entry['page']}: expected one '{LINK_TEXT}' link, found {targets}"
        assert (page / targets[0]).resolve() == (site / "api" / entry["json"]).resolve()
    # Listing and hand-written pages have no data of their own, so no link.
    assert LINK_TEXT not in (site / "a-z" / "index.html").read_text(encoding="utf-8")
    assert LINK_TEXT not in (site / "about" / "index.html").read_text(encoding="utf-8")


@site_and_live
def test_export_is_byte_deterministic_and_copied_as_is(any_built: Path, tmp_path: Path) -> None:
    result = run(any_built, "render", "--out", str(tmp_path / "docs"))
    assert result.returncode == 0, result.stderr
    rendered, published = tree_digest(tmp_path / "docs" / "api"), tree_digest(any_built / "site" / "api")
    assert rendered == published, "a second process renders the same bytes, and the engine copies them unchanged"
    assert len(published) == len(content_entities(any_built)) + 1 + 1 + len(KINDS) + 1  # entities, index, sources, schemas
    text = (any_built / "site" / "api" / "index.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
