"""Each content model accepts what the sources need and refuses what would lose or invent data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from generator.content.models import KINDS, DrugMonograph, Entity, Procedure, Statement

TRUST = {"sources": ["001_301569f03230e822.txt"], "last_reviewed": "2026-11-22", "next_review": "2027-11-22", "changes": []}


def drug(**changes: Any) -> dict[str, Any]:
    """A minimal valid drug monograph, with `changes` applied."""
    data: dict[str, Any] = {
        **TRUST,
        "title": "Testdrug",
        "summary": "A test drug.",
        "trade_names": ["Testdrug"],
        "active_substance": "testine",
        "pharmacotherapeutic_group": "test agent",
        "prescription_status": "prescription",
        "dosage_forms": [{"id": "tablet", "name": "Tablet", "routes": ["oral"]}],
        "composition": [{"basis": "per tablet", "active": [{"name": "testine", "amount": "1 mg"}]}],
        "indications": [{"items": ["testing"]}],
        "dosage": [{"text": "1 tablet a day", "population": "adults"}],
        "contraindications": ["hypersensitivity"],
    }
    data.update(changes)
    return data


def minimal(model: type[Entity]) -> dict[str, Any]:
    """The smallest entity the model's JSON Schema accepts: its required fields only, each with the
    simplest value of its type (a list holds as many items as it must), and TRUST's dates and sources.

    Derived from the model, so a new kind is tested here without a line written for it.
    """
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})

    def value(node: dict[str, Any]) -> Any:
        if "$ref" in node:
            return value(definitions[node["$ref"].rpartition("/")[2]])
        if "anyOf" in node:  # `X | None`: the X
            return value(next(option for option in node["anyOf"] if option.get("type") != "null"))
        if "enum" in node:
            return node["enum"][0]
        kind = node.get("type")
        if kind == "object":
            return {name: value(node["properties"][name]) for name in node.get("required", [])}
        if kind == "array":
            return [value(node["items"]) for _ in range(node.get("minItems", 0))]
        if kind == "string":
            return "2026-11-22" if node.get("format") == "date" else "a.txt" if ".txt" in node.get("pattern", "") else "a"
        return {"number": 1, "integer": 1, "boolean": False}[kind]

    return {**value(schema), **TRUST}


MINIMAL: dict[type, dict[str, Any]] = {model: minimal(model) for model in KINDS.values()}


@pytest.mark.parametrize("model", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_accepts_its_minimal_entity(model: type) -> None:
    entity = model.model_validate(MINIMAL[model])
    assert entity.last_reviewed == datetime.date(2026, 11, 22)
    assert list(entity.check()) == []


@pytest.mark.parametrize("model", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_rejects_unknown_fields_and_missing_sources(model: type) -> None:
    with pytest.raises(ValidationError) as typo:
        model.model_validate({**MINIMAL[model], "titel": "typo"})
    assert typo.value.errors()[0]["type"] == "extra_forbidden"
    without_sources = {k: v for k, v in MINIMAL[model].items() if k != "sources"}
    with pytest.raises(ValidationError) as missing:
        model.model_validate(without_sources)
    assert missing.value.errors()[0]["loc"] == ("sources",)


def test_statement_accepts_plain_text_or_per_form_mapping() -> None:
    assert Statement.model_validate("applies to all") == Statement(text="applies to all", forms=[])
    assert Statement.model_validate({"text": "injection only", "forms": ["inj"]}).forms == ["inj"]


def test_drug_flags_unknown_and_duplicate_dosage_forms_where_they_are() -> None:
    entity = DrugMonograph.model_validate(
        drug(
            dosage_forms=[{"id": "tablet", "name": "Tablet", "routes": ["oral"]}, {"id": "tablet", "name": "Other", "routes": ["oral"]}],
            contraindications=[{"text": "x", "forms": ["syrup"]}],
        )
    )
    problems = dict(entity.check())
    assert ("dosage_forms", 1, "id") in problems
    assert "unknown dosage form 'syrup'" in problems[("contraindications", 0, "forms", 0)]


def test_review_dates_must_move_forward() -> None:
    entity = DrugMonograph.model_validate(drug(next_review="2026-01-01"))
    assert [loc for loc, _ in entity.check()] == [("next_review",)]


@pytest.mark.parametrize("model", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_requires_its_change_notes_even_if_none(model: type) -> None:
    with pytest.raises(ValidationError) as missing:
        model.model_validate({k: v for k, v in MINIMAL[model].items() if k != "changes"})
    assert missing.value.errors()[0]["loc"] == ("changes",)


def test_a_change_note_is_dated_on_or_before_the_review_and_is_short() -> None:
    notes = [
        {"date": "2026-11-22", "note": "Pregnancy advice now says the drug must not be used."},
        {"date": "2026-11-23", "note": "Dosage for children added."},
    ]
    entity = DrugMonograph.model_validate(drug(changes=notes))
    problems = dict(entity.check())
    assert list(problems) == [("changes", 1, "date")]
    assert "2026-11-23 is after last_reviewed 2026-11-22" in problems[("changes", 1, "date")]
    with pytest.raises(ValidationError, match="at most 300 characters"):
        DrugMonograph.model_validate(drug(changes=[{"date": "2026-11-01", "note": "x" * 301}]))
    with pytest.raises(ValidationError):
        DrugMonograph.model_validate(drug(changes=[{"date": "2026-11-01", "note": " "}]))  # a date alone says nothing


def test_price_must_state_its_date_even_if_unknown() -> None:
    price = {"product": "5 ampoules", "amount": 1200, "currency": "RUB", "basis": "average", "source": "002_7709ced4b3a94a0b.txt"}
    with pytest.raises(ValidationError):
        DrugMonograph.model_validate(drug(prices=[price]))
    entity = DrugMonograph.model_validate(drug(prices=[{**price, "as_of": None}]))
    assert entity.prices[0].as_of is None
    assert ("prices", 0, "source") in [loc for loc, _ in entity.source_files()]


def test_drug_names_cover_aliases_for_search() -> None:
    entity = DrugMonograph.model_validate(drug(aliases=["Testdrugg"], active_substance_aliases=["Testin"]))
    assert entity.names() == ["Testdrug", "Testdrugg", "testine", "Testin"]


def test_procedure_references_its_provider() -> None:
    entity = Procedure.model_validate({**MINIMAL[Procedure], "provider": "clinic"})
    assert list(entity.references()) == [(("provider",), "provider", "clinic")]


def test_summary_is_at_most_300_characters() -> None:
    DrugMonograph.model_validate(drug(summary="x" * 300))
    with pytest.raises(ValidationError, match="at most 300 characters"):
        DrugMonograph.model_validate(drug(summary="x" * 301))
