"""The machine-readable export: every entity as JSON next to the pages, and one index of them all.

Files, relative to the docs root (the site engine copies them as they are, into the public site,
the offline bundle and previews alike):

    api/index.json                  every entity: kind, slug, title, page, json, last_reviewed
    api/<kind>/<slug>.json          one entity, in the shape of api/schema/<kind>.schema.json
    api/sources.json                the source registry that entities cite by file name
    api/schema/<name>.schema.json   the JSON Schemas (the same as the committed schema/ files)

Each entity file is the validated model as JSON: the fields an editor writes, with every default
filled in and plain-text statements in their `{text, forms}` form, so a reader of the data needs
no knowledge of the YAML short forms. URLs in the index are relative to the index itself, so they
resolve the same on the public site and under a preview's sub-path. The bytes are deterministic
(sorted keys, fixed indentation, entities in kind then slug order): an unchanged entity keeps an
unchanged file.
"""

from __future__ import annotations

import functools
import json
import posixpath
from typing import Any

from generator.content.catalogue import Catalogue
from generator.content.models import KINDS, Entity, SourceRegistry
from generator.content.names import API
from generator.content.schema import SOURCES_SCHEMA, SUFFIX, schema_files
from generator.memo import Memo

API_DIR = API
INDEX = f"{API_DIR}/index.json"
SOURCES = f"{API_DIR}/sources.json"
SCHEMAS = f"{API_DIR}/schema"


def json_text(data: Any) -> str:
    """JSON as published: sorted keys, two-space indent, UTF-8 text as is, trailing newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def entity_json_path(catalogue: Catalogue, entity: Entity) -> str:
    """Docs-root path of an entity's JSON, e.g. `api/drug/cellex.json`."""
    return f"{API_DIR}/{entity.kind}/{catalogue.slug_of(entity)}.json"


def page_url(markdown_path: str) -> str:
    """An entity page's directory-style URL (as MkDocs and Zensical publish it): `drugs/cellex.md` → `drugs/cellex/`."""
    return f"{markdown_path.removesuffix('.md')}/"


# An entity's JSON by the digest of its file: `serve` regenerates on every edit.
_ENTITY_JSON: Memo[str] = Memo()


def _entity_json(entity: Entity) -> str:
    return json_text(entity.model_dump(mode="json"))


def api_paths(catalogue: Catalogue) -> set[str]:
    """The paths `api_files` writes, without writing the JSON."""
    paths = {entity_json_path(catalogue, entity) for entity in catalogue.all()}
    return paths | {INDEX, SOURCES} | {f"{SCHEMAS}/{name}" for name in schema_files()}


def api_files(catalogue: Catalogue) -> dict[str, str]:
    """Every file of the export: docs-root path → JSON text."""
    here = posixpath.dirname(INDEX)
    files: dict[str, str] = {}
    entries = []
    for kind in KINDS:
        for entity in sorted(catalogue.of_kind(kind), key=catalogue.slug_of):
            path = entity_json_path(catalogue, entity)
            files[path] = _ENTITY_JSON.get(catalogue.digest_of(entity), functools.partial(_entity_json, entity))
            entries.append(
                {
                    "kind": kind,
                    "slug": catalogue.slug_of(entity),
                    "title": entity.title,
                    "page": posixpath.relpath(page_url(catalogue.path_of(entity)), here) + "/",
                    "json": posixpath.relpath(path, here),
                    "last_reviewed": entity.last_reviewed.isoformat(),
                }
            )
    registry = SourceRegistry(documents=list(catalogue.sources.values()))
    files[SOURCES] = json_text(registry.model_dump(mode="json"))
    for name, text in schema_files().items():
        files[f"{SCHEMAS}/{name}"] = text
    files[INDEX] = json_text(
        {
            "entities": entries,
            "schemas": {name: posixpath.relpath(f"{SCHEMAS}/{name}{SUFFIX}", here) for name in [*KINDS, SOURCES_SCHEMA]},
            "sources": posixpath.relpath(SOURCES, here),
        }
    )
    return files
