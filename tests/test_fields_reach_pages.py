"""No authored field is lost: every non-empty value of every entity reaches its page, as text or as a link.

Walks each entity's model instance field by field (so a field added to a model is covered without
editing this test) and looks for each value in the entity's rendered Markdown, compared as words.
A few kinds of value are shown in another form; each is named below with how it is shown.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from generator.content.catalogue import Catalogue
from generator.content.models import Entity
from generator.content.models.drug import POPULATION_WORDS
from generator.content.models.vocabulary import VERDICT_WORDS
from generator.pages.generate import check
from generator.pages.render import render_site
from generator.project import PACKAGE_ROOT, Project
from generator.tools.synth import synthesise

# Values that are identifiers, shown through what they identify (checked below), or choices shown as words.
SHOWN_AS_FORM_NAME = {"forms"}  # dosage form ids: the page names the forms
NOT_SHOWN = {
    "id": "a dosage form's id: an identifier for `forms:` lists, never shown",
    "groups": "whom a pregnancy statement is about: shown by the Pregnancy and Breastfeeding badges it feeds",
    "prescription_status": "shown as the Prescription badge's words (required / not required / not stated)",
}


def words(text: str) -> str:
    """Text as lowercase words separated by single spaces: Markdown, entities and punctuation removed."""
    return " ".join(re.findall(r"[^\W_]+", html.unescape(html.unescape(text)).casefold()))


def values(node: Any, location: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every leaf value of a model instance, with its location; empty values are skipped."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from values(getattr(node, name), (*location, name))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from values(item, (*location, i))
    elif node not in (None, "", []):
        yield location, node


def expected_text(entity: Entity, catalogue: Catalogue, location: tuple[str | int, ...], value: Any) -> list[str] | None:
    """What must be on the page for this value (any one of them), or None when it is shown in another way."""
    field = next(part for part in reversed(location) if isinstance(part, str))
    references = {loc: (kind, slug) for loc, kind, slug in entity.references()}
    if location in references:
        kind, slug = references[location]
        return [catalogue.get(kind, slug).title]
    if field in ("sources", "source"):
        return [value, catalogue.sources[value].title]
    if field in SHOWN_AS_FORM_NAME:
        return [form.name for form in getattr(entity, "dosage_forms", []) if form.id == value] or [value]
    if field == "verdict":
        return [VERDICT_WORDS[value][0]]
    if location[-2:-1] == ("population",) and field == "group":
        return [POPULATION_WORDS[value]]
    if field in NOT_SHOWN:
        return None
    if isinstance(value, datetime.date):
        return [value.isoformat()]
    if isinstance(value, Decimal):
        return [f"{value:,}", str(value)]
    return [str(value)]


def lost_fields(catalogue: Catalogue) -> list[str]:
    """`kind/slug: location: value` for every value not found on its entity's page."""
    site = render_site(catalogue)
    lost = []
    for entity in catalogue.all():
        page = words(site.pages[catalogue.path_of(entity)])
        for location, value in values(entity, ()):
            expected = expected_text(entity, catalogue, location, value)
            if expected is not None and not any(words(text) in page for text in expected):
                lost.append(f"{entity.kind}/{catalogue.slug_of(entity)}: {'.'.join(map(str, location))}: {str(value)[:80]!r}")
    return lost


def test_every_field_of_the_real_content_reaches_its_page(catalogue: Catalogue) -> None:
    assert lost_fields(catalogue) == []


def test_every_field_of_a_synthetic_catalogue_reaches_its_page(tmp_path: Path) -> None:
    synthesise(tmp_path / "synthetic", drugs=20, seed=5)
    assert lost_fields(check(Project.at(PACKAGE_ROOT, tmp_path / "synthetic"))) == []


def test_a_field_the_template_drops_is_found(catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: render with a template that leaves out the procedures' contraindication notes."""
    from generator.pages import render

    original = render.environment()
    source = original.loader.get_source(original, "procedure.md.j2")[0]  # type: ignore[union-attr]
    assert "{{ m.paragraphs(page.contraindication_notes) }}" in source
    environment = render.environment.__wrapped__()  # type: ignore[attr-defined]
    environment.loader = __import__("jinja2").DictLoader({"procedure.md.j2": source.replace("{{ m.paragraphs(page.contraindication_notes) }}", "")})
    environment.loader = __import__("jinja2").ChoiceLoader([environment.loader, original.loader])
    monkeypatch.setattr(render, "environment", lambda: environment)
    monkeypatch.setattr(render, "_RENDERED", render.Memo())
    lost = lost_fields(catalogue)
    with_notes = [p for p in catalogue.of_kind("procedure") if p.contraindication_notes]  # type: ignore[attr-defined]
    assert with_notes, "the fixture needs a procedure with contraindication notes"
    assert any("contraindication_notes" in line for line in lost), lost
