"""Step 2, validate: turn parsed documents into models and check what spans files.

Every problem becomes one `path:line: field: what is wrong (what was expected)` line; all of
them are collected so an editor fixes everything in one pass.
"""

from __future__ import annotations

import datetime
import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.content.catalogue import Catalogue, HandwrittenPage
from generator.content.characters import non_ascii_letter
from generator.content.collisions import collision_problems
from generator.content.load import RawContent, RawDocument
from generator.content.models import KINDS, Entity, Location, PageFrontMatter, SourceRegistry
from generator.content.page_body import body_problems
from generator.content.registry import registry_problems
from generator.content.renames import rename_problems, renamed_slugs
from generator.content.yaml_source import format_location
from generator.errors import ContentError, ContentProblem
from generator.memo import Memo, digest


def validate(raw: RawContent) -> Catalogue:
    """Validate everything loaded; raise ContentError listing every problem found."""
    problems = list(raw.problems)
    registry = _model(raw.sources, SourceRegistry, problems) if raw.sources else None
    sources = {doc.file: doc for doc in registry.documents} if isinstance(registry, SourceRegistry) else {}
    if isinstance(registry, SourceRegistry):
        problems.extend(registry_problems(raw, registry))

    entities: dict[str, dict[str, Entity]] = {kind: {} for kind in KINDS}
    origins: dict[int, RawDocument] = {}
    for item in raw.entities:
        entity = _model(item, KINDS[item.kind], problems)
        if isinstance(entity, Entity):
            entities[item.kind][item.slug] = entity
            origins[id(entity)] = item

    pages = []
    for page in raw.pages:
        for line, message in body_problems(page.body):
            problems.append(ContentProblem(page.shown_path, page.body_line + line, "(body)", message))
        meta = _model(page, PageFrontMatter, problems)
        if isinstance(meta, PageFrontMatter):
            pages.append(HandwrittenPage(page.slug, meta, page.body, page.shown_path, page.body_line))
            for loc, message in meta.check():
                problems.append(_problem(page, loc, message))
            for i, name in enumerate(meta.sources):
                _check_source(page, ("sources", i), name, sources, problems)

    renames = renamed_slugs(entities)
    for entity, loc, message in rename_problems(entities, lambda kind, slug: slug in entities[kind] or (kind, slug) in raw.found):
        problems.append(_problem(origins[id(entity)], loc, message))
    for by_slug in entities.values():
        for entity in by_slug.values():
            origin = origins[id(entity)]
            for loc, message in entity.check():
                problems.append(_problem(origin, loc, message))
            for loc, name in entity.source_files():
                _check_source(origin, loc, name, sources, problems)
            for loc, kind, slug in entity.references():
                # A file that exists but failed to load or validate has its own problem line.
                if slug not in entities[kind] and (kind, slug) not in raw.found and kind not in raw.unlisted:
                    if (kind, slug) in renames:
                        message = f"{kind} {slug!r} was renamed to {renames[kind, slug]!r} (expected its new slug)"
                    else:
                        message = f"no {kind} with slug {slug!r} ({_expected_slugs(slug, sorted(entities[kind]))})"
                    problems.append(_problem(origin, loc, message))
    for entity, loc, message in collision_problems(entities, lambda entity: origins[id(entity)].shown_path):
        problems.append(_problem(origins[id(entity)], loc, message))
    if isinstance(registry, SourceRegistry) and raw.sources and any(entities.values()):
        for i, doc in enumerate(registry.documents):
            found = doc.provider in entities.get("provider", {}) or ("provider", doc.provider) in raw.found or "provider" in raw.unlisted
            if doc.provider and not found:  # like references: a clinic whose file failed has its own problem line
                message = f"no provider with slug {doc.provider!r} ({_expected_slugs(doc.provider, sorted(entities.get('provider', {})))})"
                problems.append(_problem(raw.sources, ("documents", i, "provider"), message))
    if problems:
        raise ContentError(problems)
    digests = {id(entity): origins[id(entity)].doc.digest for by_slug in entities.values() for entity in by_slug.values()}
    files = {id(entity): (origins[id(entity)].shown_path, origins[id(entity)].path) for by_slug in entities.values() for entity in by_slug.values()}
    return Catalogue(sources, entities, sorted(pages, key=lambda p: (p.meta.nav_order, p.slug)), digests=digests, files=files)


# Past this many, a line listing every slug would be unreadable: name the closest ones instead.
LIST_SLUGS_UP_TO = 20


def _expected_slugs(slug: str, known: list[str]) -> str:
    """`expected one of: a, b` for a few slugs; for a catalogue, the closest ones and where the rest are."""
    if not known:
        return "expected one of: none yet"
    if len(known) <= LIST_SLUGS_UP_TO:
        return f"expected one of: {', '.join(known)}"
    close = difflib.get_close_matches(slug, known, n=3, cutoff=0.6)
    hint = f"closest: {', '.join(close)}; " if close else ""
    return f"{hint}{len(known)} exist, each a file name in the kind's folder"


def _check_source(origin: RawDocument, loc: Location, name: str, sources: dict[str, Any], problems: list[ContentProblem]) -> None:
    # Without a valid registry every citation would be reported; the registry's own error is enough.
    if sources and name not in sources:
        problems.append(_problem(origin, loc, f"unknown source {name!r} (expected a file listed in content/sources.yaml)"))


def _problem(origin: RawDocument, loc: Location, message: str) -> ContentProblem:
    return ContentProblem(origin.shown_path, origin.doc.line_of(loc), format_location(loc), message)


# Validated documents by model, path and text: an unchanged file is not validated again in `serve`.
_VALIDATED: Memo[tuple[BaseModel | None, list[ContentProblem]]] = Memo()


def _model(origin: RawDocument, model: type[BaseModel], problems: list[ContentProblem]) -> BaseModel | None:
    def validated() -> tuple[BaseModel | None, list[ContentProblem]]:
        try:
            return model.model_validate(origin.doc.data), []
        except ValidationError as exc:
            found = []
            for error in exc.errors():
                loc = tuple(part for part in error["loc"] if isinstance(part, int) or part.isidentifier())
                found.append(_problem(origin, loc, _describe(error, model, loc)))
            return None, found

    instance, found = _VALIDATED.get(digest(model.__qualname__, origin.shown_path, origin.doc.digest), validated)
    problems.extend(found)
    return instance


def _describe(error: Any, model: type[BaseModel], loc: Location) -> str:
    """A pydantic error as `what is wrong (what was expected)`."""
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "required field is missing (expected a value)"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if guess:
            return f"unknown field (expected a known field: did you mean {guess[0]!r}?)"
        return f"unknown field (expected one of: {', '.join(allowed)})"
    if kind in ("model_type", "dict_type"):
        return f"got {_kind_of(value)} (expected a mapping of fields)"
    if kind == "value_error":
        return str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
    if kind == "string_type" and isinstance(value, datetime.date):  # YAML reads an unquoted 2026-01-31 as a date
        return f'{value} is read by YAML as a date (expected text: put it in quotes, "{value}")'
    if kind == "string_pattern_mismatch" and (letter := non_ascii_letter(str(value))):
        return f"{value!r} contains {letter}, which only looks like a Latin letter (expected Latin letters a-z, digits and hyphens: retype it)"
    expected = re.sub(r"^(Input|String|List|Value|Decimal|Date) should (be |have )?", "", error["msg"])
    expected = re.sub(r" after validation, not \d+$", "", expected)
    return f"got {_kind_of(value)} (expected {expected})"


def _kind_of(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def _allowed_fields(model: Any, loc: Location) -> list[str]:
    """Field names of the (nested) model found at `loc`."""
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", {})
        if part not in fields:
            return []
        model = _model_in(fields[part].annotation)
    return sorted(getattr(model, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside `list[X]`, `X | None` or `Annotated[X, ...]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
